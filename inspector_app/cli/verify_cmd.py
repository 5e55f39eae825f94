"""``inspector verify [--json]`` — check the database, every finalized record and every attachment file."""

from __future__ import annotations

import sys

import click

from inspector_app.cli.common import CliContext, ProgressBar, emit_json, friendly, json_option, pass_ctx


@click.command("verify")
@json_option
@pass_ctx
@friendly
def verify(ctx: CliContext, as_json: bool) -> None:
    """校验数据：数据库完整性、每份已定稿记录的内容哈希和状态、每个附件文件的哈希；全部通过时以 0 退出，否则逐条列出问题并以 1 退出。"""
    bar = ProgressBar("校验中", enabled=not as_json)
    try:
        report = ctx.services.verify.verify(progress=bar)
    finally:
        bar.close()
    if as_json:
        emit_json(report.to_dict())
    elif report.ok:
        click.echo(
            f"校验通过：数据库完整，{report.records_checked} 份已定稿记录与其内容哈希一致，"
            f"{report.attachments_checked} 个附件文件齐全且未被改动。"
        )
    else:
        for problem in report.problems:
            click.echo(f"{problem.subject}：{problem.message}")
        bad = report.bad_records()
        click.echo(
            f"校验未通过：共 {len(report.problems)} 处问题"
            + (f"，涉及 {len(bad)} 份记录" if bad else "")
            + "。请从备份恢复（inspector restore）或联系技术支持。",
            err=True,
        )
    if not report.ok:
        sys.exit(1)


commands = [verify]
