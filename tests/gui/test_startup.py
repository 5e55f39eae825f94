"""Start-up: the login dialog shows before the data home is open, then login → main window → logout → login."""

from __future__ import annotations

import pytest

from inspector_app.gui.login import FirstAdminDialog, LoginDialog
from inspector_app.gui.startup import LoginFlow
from inspector_app.paths import DataHome
from tests.gui.pages import LoginPage
from tests.shell import PASSWORD

pytestmark = pytest.mark.gui


@pytest.fixture
def quit_calls(monkeypatch):
    """LoginFlow._end quits the application; record it instead (the test's app must keep running)."""
    calls = []

    class NoApp:
        @staticmethod
        def instance():
            calls.append("quit")

    monkeypatch.setattr("inspector_app.gui.startup.QApplication", NoApp)
    return calls


def test_login_dialog_shows_at_once_and_enables_login_when_the_home_is_open(qtbot, tmp_path, quit_calls):
    flow = LoginFlow(DataHome(tmp_path / "new"))
    shown = []
    flow.dialog_shown.connect(shown.append)
    flow.start()
    first = shown[0]
    assert isinstance(first, LoginDialog)
    assert not first.login_button.isEnabled() and first.login_button.text() == "正在打开数据目录…"
    # a fresh home has no accounts: the first-admin dialog replaces the login dialog once it is open
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    assert isinstance(shown[1], FirstAdminDialog)
    flow.services.close()


def test_login_opens_the_window_and_logout_brings_the_login_back(qtbot, shell, quit_calls):
    flow = LoginFlow(shell.services.home, services=shell.services)
    dialogs = []
    flow.dialog_shown.connect(dialogs.append)
    flow.start()
    with qtbot.waitSignal(flow.window_opened, timeout=5000) as opened:
        LoginPage(qtbot, dialogs[-1]).log_in("lina", PASSWORD)
    window = opened.args[0]  # owned by the flow (deleted on logout), so not handed to qtbot
    assert window.user.username == "lina" and window.isVisible()
    with qtbot.waitSignal(flow.dialog_shown, timeout=5000):
        window._logout()
    assert isinstance(dialogs[-1], LoginDialog) and dialogs[-1].isVisible()
    assert flow.window is None
    dialogs[-1].reject()
    assert quit_calls == ["quit"]


def test_cancelling_the_login_ends_the_flow(qtbot, shell, quit_calls):
    flow = LoginFlow(shell.services.home, services=shell.services)
    dialogs = []
    flow.dialog_shown.connect(dialogs.append)
    flow.start()
    with qtbot.waitSignal(flow.ended, timeout=2000):
        dialogs[-1].reject()
    assert quit_calls == ["quit"]
