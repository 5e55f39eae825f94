"""GUI fixtures: ``shell`` (a data home with accounts, a few businesses and the shipped forms, see
:mod:`tests.shell`) and ``window_for`` (a logged-in main window). Others may add fixtures here; keep them small.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from tests.shell import make_shell


@pytest.fixture
def shell(tmp_path):
    shell = make_shell(tmp_path / "home")
    yield shell
    QThreadPool.globalInstance().waitForDone(5000)
    shell.services.close()


@pytest.fixture
def window_for(qtbot, shell):
    """``window_for("zhangwei")`` → a shown MainWindow logged in as that user."""
    from inspector_app.gui.main_window import MainWindow

    def make(username: str) -> MainWindow:
        window = MainWindow(shell.services, shell.users[username], "/tmp/测试数据目录")
        qtbot.addWidget(window)
        with qtbot.waitActive(window):  # window shortcuts (Alt+1…, Ctrl+F) need the active window
            window.show()
            window.activateWindow()
        return window

    return make
