"""``inspector init`` — create (or check) the data home and show where it is."""

from __future__ import annotations

import click

from inspector_app.cli.common import CliContext, emit_json, friendly, json_option, pass_ctx


@click.command("init")
@json_option
@pass_ctx
@friendly
def init(ctx: CliContext, as_json: bool) -> None:
    """创建（或检查）数据目录和数据库，并显示其位置。"""
    home = ctx.services.home
    ctx.services.check_integrity()
    info = {"home": str(home.root), "database": str(home.db_path), "attachments": str(home.attachments_dir)}
    if as_json:
        emit_json(info)
        return
    click.echo(f"数据目录：{info['home']}\n数据库：{info['database']}\n附件目录：{info['attachments']}")
    click.echo("数据库完整性检查通过，数据目录已就绪。")


commands = [init]
