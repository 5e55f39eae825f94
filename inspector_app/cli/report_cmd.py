"""``inspector report ID -o FILE.pdf`` and ``inspector report --all --out DIR`` — PDF 现场检查记录."""

from __future__ import annotations

from pathlib import Path

import click

from inspector_app.cli.common import CliContext, ProgressBar, emit_json, fail, friendly, json_option, pass_ctx


@click.command("report")
@click.argument("record_id", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出 PDF 文件路径（单条记录）")
@click.option("--all", "all_records", is_flag=True, help="为全部已定稿的记录生成 PDF（需配合 --out）")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="批量输出目录（文件名为文书编号）")
@json_option
@pass_ctx
@friendly
def report(
    ctx: CliContext,
    record_id: str | None,
    output: str | None,
    all_records: bool,
    out_dir: str | None,
    as_json: bool,
) -> None:
    """生成现场检查记录 PDF：单条（ID -o 文件）或全部已定稿记录（--all --out 目录）。"""
    reports = ctx.services.reports
    if all_records:
        if record_id or output:
            fail("--all 不能与记录编号或 -o 同时使用；批量输出请用 --all --out 目录")
        if not out_dir:
            fail("批量生成需要指定输出目录：--all --out 目录")
        bar = ProgressBar("生成 PDF", enabled=not as_json)
        try:
            paths = reports.write_all(Path(out_dir), progress=bar)
        finally:
            bar.close()
        if as_json:
            emit_json({"count": len(paths), "files": [str(p) for p in paths]})
        else:
            click.echo(f"已生成 {len(paths)} 份 PDF，保存在 {out_dir}")
        return
    if not record_id:
        fail("请指定记录编号（ID），或使用 --all --out 目录 批量生成")
    if out_dir:
        fail("--out 仅用于 --all；单条记录请用 -o 文件")
    target = reports.write(record_id, output) if output else reports.export(record_id)
    if as_json:
        emit_json({"id": record_id, "file": str(target), "bytes": target.stat().st_size})
    else:
        click.echo(f"已生成 {target}")


commands = [report]
