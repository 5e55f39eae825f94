"""``inspector users …`` — manage local accounts from the command line (runs as the system administrator)."""

from __future__ import annotations

import sys

import click

from inspector_app.cli.common import CliContext, emit_json, emit_table, friendly, json_option, pass_ctx
from inspector_app.core.accounts import SYSTEM_USER, Role, User
from inspector_app.core.errors import NotFound

_ROLE_CHOICES = {"inspector": Role.INSPECTOR, "supervisor": Role.SUPERVISOR, "admin": Role.ADMIN}
_ROLE_HELP = "角色：inspector（检查员）、supervisor（审核人）、admin（管理员）"


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码"))


@click.group("users")
def users() -> None:
    """本地账号管理（添加、列出、重置密码、停用）。"""


@users.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="姓名（显示在界面和检查记录上）")
@click.option(
    "--role",
    type=click.Choice(sorted(_ROLE_CHOICES)),
    default="inspector",
    show_default=True,
    help=_ROLE_HELP,
)
@click.option("--badge", default="", help="执法证号（检查员必填，如 42080220230012）")
@click.option("--area", default="", help="辖区，如 东宝区")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（供脚本使用）；否则交互输入两次")
@json_option
@pass_ctx
@friendly
def add(
    ctx: CliContext,
    username: str,
    display_name: str,
    role: str,
    badge: str,
    area: str,
    password_stdin: bool,
    as_json: bool,
) -> None:
    """添加账号 USERNAME（密码至少 8 位）。"""
    password = _read_password(password_stdin)
    user = ctx.services.accounts.create_user(
        SYSTEM_USER, username, display_name, _ROLE_CHOICES[role], password, badge_no=badge, area=area
    )
    if as_json:
        emit_json(_row(user))
    else:
        click.echo(f"已添加账号 {user.username}（{user.display_name}，{user.role.label}）")


@users.command("list")
@json_option
@pass_ctx
@friendly
def list_users(ctx: CliContext, as_json: bool) -> None:
    """列出全部账号。"""
    rows = [_row(u) for u in ctx.services.accounts.list_users(SYSTEM_USER)]
    if as_json:
        emit_json(rows)
        return
    emit_table(
        rows,
        [
            ("username", "用户名"),
            ("display_name", "姓名"),
            ("role_label", "角色"),
            ("badge_no", "执法证号"),
            ("area", "辖区"),
            ("status", "状态"),
        ],
    )


@users.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码（供脚本使用）")
@pass_ctx
@friendly
def reset_password(ctx: CliContext, username: str, password_stdin: bool) -> None:
    """为 USERNAME 设置新密码（同时解除登录锁定）。"""
    user = _find(ctx, username)
    ctx.services.accounts.reset_password(SYSTEM_USER, user.id, _read_password(password_stdin))
    click.echo(f"已重置 {user.username} 的密码")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="重新启用已停用的账号")
@pass_ctx
@friendly
def disable(ctx: CliContext, username: str, enable: bool) -> None:
    """停用（或用 --enable 启用）账号 USERNAME。"""
    user = _find(ctx, username)
    ctx.services.accounts.set_active(SYSTEM_USER, user.id, enable)
    click.echo(f"已{'启用' if enable else '停用'}账号 {user.username}")


def _find(ctx: CliContext, username: str) -> User:
    for user in ctx.services.accounts.list_users(SYSTEM_USER):
        if user.username.casefold() == username.strip().casefold():
            return user
    raise NotFound(f"没有用户名为“{username}”的账号；用 inspector users list 查看全部账号")


def _row(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value,
        "role_label": user.role.label,
        "badge_no": user.badge_no,
        "area": user.area,
        "status": "启用" if user.active else "停用",
    }


commands = [users]
