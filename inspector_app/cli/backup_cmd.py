"""``inspector backup FILE`` and ``inspector restore FILE`` — the data home in one verified file."""

from __future__ import annotations

import click

from inspector_app.cli.common import CliContext, ProgressBar, emit_json, friendly, json_option, pass_ctx


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_ctx
@friendly
def backup(ctx: CliContext, file: str, as_json: bool) -> None:
    """把数据库、全部附件和本机标识备份到一个文件 FILE（.zip，含各文件哈希清单；程序可继续使用）。"""
    from inspector_app.services.backup import restored_at

    bar = ProgressBar("备份中", enabled=not as_json)
    try:
        summary = ctx.services.backup.backup(file, progress=bar)
    finally:
        bar.close()
    data = {
        "path": str(summary.path), "created_at": summary.created_at, "records": summary.records,
        "businesses": summary.businesses, "attachments": summary.attachments, "size": summary.size,
    }  # fmt: skip
    if as_json:
        emit_json(data)
        return
    click.echo(
        f"已备份到 {summary.path}（{summary.size / 1e6:.1f} MB，{restored_at(summary)}）：检查记录 {summary.records} 份，"
        f"市场主体 {summary.businesses} 户，附件 {summary.attachments} 个。"
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="不再询问，直接恢复（供脚本使用）")
@json_option
@pass_ctx
@friendly
def restore(ctx: CliContext, file: str, yes: bool, as_json: bool) -> None:
    """从备份文件 FILE 恢复数据：先逐个校验备份内容，全部通过后才替换；被替换的数据保留在数据目录的 replaced-* 目录中。"""
    from inspector_app.paths import resolve_home
    from inspector_app.services.backup import read_backup, restore_home, restored_at

    home = resolve_home(ctx.home_arg)
    found = read_backup(file)
    if not yes:
        click.confirm(
            f"将用 {restored_at(found)} 的备份（检查记录 {found.records} 份，附件 {found.attachments} 个）"
            f"替换 {home.root} 中的数据；现有数据会移到该目录下的 replaced-* 目录中保留。继续吗？",
            abort=True,
        )
    bar = ProgressBar("校验并恢复", enabled=not as_json)
    try:
        summary = restore_home(home, file, progress=bar)
    finally:
        bar.close()
    kept = str(summary.replaced_kept_in) if summary.replaced_kept_in else None
    if as_json:
        emit_json({"restored_from": str(summary.backup.path), "replaced_kept_in": kept})
        return
    click.echo(
        f"已从 {summary.backup.path} 恢复（备份时间 {restored_at(summary.backup)}），备份内容校验通过。"
    )
    if kept:
        click.echo(f"原有数据保留在 {kept}。")


commands = [backup, restore]
