"""Login and first-run dialogs: right and wrong passwords, lock-out messages, creating the first admin."""

from __future__ import annotations

import pytest

from inspector_app.demo.accounts import DEMO_HINT, ensure_demo_accounts
from inspector_app.gui.app import LoginFlow
from inspector_app.gui.login import FirstAdminDialog, LoginDialog
from inspector_app.paths import DataHome
from inspector_app.services.accounts import MAX_FAILURES
from tests.gui.pages import FirstAdminPage, LoginPage
from tests.shell import PASSWORD

pytestmark = pytest.mark.gui


@pytest.fixture
def login(qtbot, shell):
    dialog = LoginDialog(shell.services.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    return LoginPage(qtbot, dialog)


def test_right_password_logs_in_and_emits_the_user(qtbot, login, shell):
    with qtbot.waitSignal(login.dialog.logged_in, timeout=5000) as signal:
        user = login.log_in("zhangwei", PASSWORD)
    assert user is not None and user.id == shell.users["zhangwei"].id
    assert signal.args[0].display_name == "张伟"
    assert login.dialog.result() == LoginDialog.DialogCode.Accepted


def test_wrong_password_shows_a_chinese_error_and_clears_the_password(login):
    assert login.log_in("zhangwei", "not-the-password") is None
    assert "用户名或密码错误" in login.error_text()
    assert login.dialog.password.text() == ""
    assert login.dialog.isVisible()


def test_empty_fields_are_refused_without_asking_the_service(login):
    assert login.log_in("", "") is None
    assert login.error_text() == "请输入用户名和密码"


def test_repeated_failures_lock_and_say_how_long_to_wait(login):
    for _ in range(MAX_FAILURES):
        login.log_in("lina", "wrong-password")
    assert "已锁定" in login.error_text() and "5 分钟" in login.error_text()
    assert login.log_in("lina", PASSWORD) is None
    assert "后重试" in login.error_text()


def test_demo_hint_is_shown_only_when_set(login):
    assert not login.dialog.hint.isVisibleTo(login.dialog)
    login.dialog.set_hint(DEMO_HINT)
    assert login.dialog.hint.isVisibleTo(login.dialog)


def _first_admin(qtbot, tmp_path):
    from inspector_app.services.app import Services
    from tests.builders import CHEAP_HASHER

    services = Services(DataHome(tmp_path / "fresh").ensure(), hasher=CHEAP_HASHER)
    dialog = LoginFlow(DataHome(tmp_path / "fresh"), demo=False, services=services).make_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return services, dialog


def test_fresh_home_asks_for_the_first_admin_and_creates_it(qtbot, tmp_path):
    services, dialog = _first_admin(qtbot, tmp_path)
    assert isinstance(dialog, FirstAdminDialog)
    user = FirstAdminPage(qtbot, dialog).create("系统管理员", "good-password")
    assert user is not None and user.role.label == "管理员"
    assert services.accounts.has_users()
    services.close()


def test_first_admin_passwords_must_match_and_follow_the_policy(qtbot, tmp_path):
    services, dialog = _first_admin(qtbot, tmp_path)
    page = FirstAdminPage(qtbot, dialog)
    assert page.create("管理员", "good-password", confirm="other-password") is None
    assert "不一致" in page.error_text()
    dialog.password.clear()
    dialog.confirm.clear()
    assert page.create("", "short") is None
    assert "密码至少 8 位" in page.error_text()
    assert not services.accounts.has_users()
    services.close()


def test_home_with_accounts_asks_for_login_without_a_demo_hint(qtbot, shell):
    dialog = LoginFlow(shell.services.home, demo=True, services=shell.services).make_dialog()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, LoginDialog)
    assert not dialog.hint.isVisibleTo(dialog)  # --demo on a home without the demo accounts: no hint


def test_demo_home_login_shows_the_demo_accounts(qtbot, shell):
    ensure_demo_accounts(shell.services)
    dialog = LoginFlow(shell.services.home, demo=True, services=shell.services).make_dialog()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, LoginDialog)
    assert dialog.hint.text() == DEMO_HINT
