"""``inspector users add/list``: adding accounts from scripts, friendly errors, JSON output."""

from __future__ import annotations

import json

from click.testing import CliRunner

from inspector_app.cli.accounts_cmd import users
from inspector_app.cli.common import CliContext


def _run(home, *args, stdin=None):
    return CliRunner().invoke(users, list(args), obj=CliContext(str(home)), input=stdin)


def test_add_then_list_shows_the_account_with_its_role_in_chinese(tmp_path):
    added = _run(
        tmp_path,
        "add",
        "zhangwei",
        "--name",
        "张伟",
        "--badge",
        "42080220230012",
        "--password-stdin",
        stdin="long-enough-1\n",
    )
    assert added.exit_code == 0, added.output
    assert "已添加账号 zhangwei（张伟，检查员）" in added.output
    listed = _run(tmp_path, "list", "--json")
    rows = json.loads(listed.output)
    assert [(r["username"], r["role_label"], r["badge_no"]) for r in rows] == [
        ("zhangwei", "检查员", "42080220230012")
    ]


def test_weak_password_is_a_one_line_chinese_error_without_traceback(tmp_path):
    result = _run(
        tmp_path, "add", "lina", "--name", "李娜", "--role", "supervisor", "--password-stdin", stdin="short\n"
    )
    assert result.exit_code == 1
    assert "密码至少 8 位" in result.output
    assert "Traceback" not in result.output


def test_reset_password_of_unknown_user_says_how_to_find_names(tmp_path):
    result = _run(tmp_path, "reset-password", "ghost", "--password-stdin", stdin="long-enough-1\n")
    assert result.exit_code == 1
    assert "inspector users list" in result.output
