"""The start-up sequence: login dialog first, data home opened behind it, then the main window.

The login dialog appears before the database is opened (opening imports the storage layer and checks the
file, a few hundred milliseconds): the data home opens on a worker thread while the user types. A home
without accounts gets the first-administrator dialog instead; ``--demo`` on an empty home creates the demo
accounts and data first. After 退出登录 the login dialog comes back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from inspector_app.core.accounts import User
from inspector_app.gui.workers import run_task
from inspector_app.paths import DataHome

DEMO_HINT = "演示账号（密码均为 demo1234）：检查员 zhangwei、lina；审核人 chenjing；管理员 admin"


def open_services(home: DataHome) -> Any:
    """The services of ``home`` (creating the folder and database if needed)."""
    from inspector_app.services.app import Services

    return Services(home.ensure())


def demo_setup(services: Any) -> bool:
    """On a data home with no accounts and no data: create the demo accounts, then the demo data.

    Returns False (and changes nothing) for a home that already has accounts or data: demo accounts with a
    published password must never be added to a real data home.
    """
    from inspector_app.core.summaries import InspectionQuery
    from inspector_app.demo.accounts import ensure_demo_accounts
    from inspector_app.demo.fill import fill_demo_if_empty

    if services.accounts.has_users():
        return False
    if services.registry.count() or services.inspections.list(InspectionQuery(limit=1)):
        return False
    ensure_demo_accounts(services)  # first, so the demo drafts belong to the demo inspectors
    fill_demo_if_empty(services)
    return True


class Session(QObject):
    """Drives login → main window → logout for one data home. Nothing here blocks the event loop.

    Signals: ``window_opened(MainWindow)`` after a login; ``dialog_shown(QDialog)`` whenever the login or
    first-admin dialog appears (automation uses it); ``ended()`` when the user quit.
    """

    window_opened = Signal(object)
    dialog_shown = Signal(object)
    ended = Signal()

    def __init__(self, home: DataHome, demo: bool = False, services: Any = None) -> None:
        super().__init__()
        self.home = home
        self.demo = demo
        self.services = services
        self.dialog: Any = None
        self.window: Any = None

    # -- sequence ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the login dialog now; open the data home in the background if not open yet."""
        if self.services is not None:
            self._ask()
            return
        from inspector_app.gui.login import LoginDialog

        self._show_dialog(LoginDialog(None))
        run_task(open_services, self.home, on_finished=self._opened, on_failed=self._failed)

    def _opened(self, services: Any) -> None:
        self.services = services
        if self.demo and not services.accounts.has_users():
            if hasattr(self.dialog, "set_waiting"):
                self.dialog.set_waiting("正在准备演示数据（约 10 秒）…")
            run_task(demo_setup, services, on_finished=lambda _done: self._ask(), on_failed=self._failed)
            return
        self._ask()

    def _failed(self, message: str) -> None:
        QMessageBox.critical(self.dialog, "无法打开数据目录", f"{message}\n\n数据目录：{self.home.root}")
        self._end()

    def make_dialog(self) -> Any:
        """The first-admin dialog on a home without accounts, else the login dialog (services must be open)."""
        from inspector_app.gui.login import FirstAdminDialog, LoginDialog

        accounts = self.services.accounts
        if not accounts.has_users():
            return FirstAdminDialog(accounts, str(self.home.root))
        dialog = LoginDialog(accounts)
        self._demo_hint(dialog)
        return dialog

    def _demo_hint(self, dialog: Any) -> None:
        if self.demo:
            from inspector_app.demo.accounts import is_demo_home

            if is_demo_home(self.services):
                dialog.set_hint(DEMO_HINT)

    def _ask(self) -> None:
        from inspector_app.gui.login import LoginDialog

        if isinstance(self.dialog, LoginDialog) and self.services.accounts.has_users():
            self.dialog.set_accounts(self.services.accounts)  # the dialog already on screen
            self._demo_hint(self.dialog)
            return
        self._show_dialog(self.make_dialog())

    def _show_dialog(self, dialog: Any) -> None:
        if self.dialog is not None:
            self._drop_dialog()
        self.dialog = dialog
        signal = getattr(dialog, "logged_in", None) or dialog.admin_created
        signal.connect(self.open_window)
        dialog.rejected.connect(self._end)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog_shown.emit(dialog)

    def _drop_dialog(self) -> None:
        old, self.dialog = self.dialog, None
        old.rejected.disconnect(self._end)
        old.hide()
        old.deleteLater()

    def open_window(self, user: User) -> Any:
        from inspector_app.gui.main_window import MainWindow

        if self.dialog is not None:
            self._drop_dialog()
        self.window = MainWindow(self.services, user, str(self.home.root))
        self.window.logged_out.connect(self._logged_out, Qt.ConnectionType.QueuedConnection)
        self.window.closed.connect(self._end)
        self.window.show()
        self.window_opened.emit(self.window)
        return self.window

    def _logged_out(self) -> None:
        old, self.window = self.window, None
        if old is not None:
            old.closed.disconnect(self._end)
            old.deleteLater()
        self._ask()

    def _end(self) -> None:
        self.ended.emit()
        app = QApplication.instance()
        if app is not None:
            app.quit()
