"""``inspector`` — the admin/automation command line (every command has ``--help``)."""

from __future__ import annotations

import click

from inspector_app.cli import (
    accounts_cmd,
    backup_cmd,
    demo_cmd,
    forms_cmd,
    home_cmd,
    inspections_cmd,
    planning_cmd,
    publish_cmd,
    registry_cmd,
    report_cmd,
    sync_cmd,
    verify_cmd,
)
from inspector_app.cli.common import CliContext
from inspector_app.version import app_version

#: Every top-level command and group; each ``*_cmd`` module lists its own in ``commands``.
COMMANDS: list[click.Command] = [
    *home_cmd.commands,
    *demo_cmd.commands,
    *forms_cmd.commands,
    *accounts_cmd.commands,
    *registry_cmd.commands,
    *inspections_cmd.commands,
    *report_cmd.commands,
    *publish_cmd.commands,
    *verify_cmd.commands,
    *backup_cmd.commands,
    *planning_cmd.commands,
    *sync_cmd.commands,
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="INSPECTOR_HOME",
    help="数据目录（数据库、附件、PDF、同步发件箱）；默认取 INSPECTOR_HOME 或系统用户数据目录",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _show_version(ctx, value),
    help="显示版本号并退出",
)
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """市场监管现场检查 — 命令行工具（管理与自动化）。"""
    ctx.obj = CliContext(home)


def _show_version(ctx: click.Context, value: bool) -> None:
    """``--version``: looked up only when asked (reading the package metadata costs start-up time)."""
    if value and not ctx.resilient_parsing:
        click.echo(f"inspector {app_version()}")
        ctx.exit()


def _set_home(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(CliContext).home_arg = value


def _accept_home_everywhere(command: click.Command) -> None:
    """``--home DIR`` works after any command too (``inspector registry list --home DIR``)."""
    command.params.append(
        click.Option(
            ["--home"],
            type=click.Path(file_okay=False),
            expose_value=False,
            is_eager=True,
            callback=_set_home,
            help="数据目录（同顶层 --home）",
        )
    )
    for sub in getattr(command, "commands", {}).values():
        _accept_home_everywhere(sub)


for _command in COMMANDS:
    _accept_home_everywhere(_command)
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="inspector")


if __name__ == "__main__":
    main()
