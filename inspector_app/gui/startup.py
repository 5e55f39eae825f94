"""The start-up sequence: login dialog first, data home opened behind it, then the main window.

The login dialog appears before the database is opened (opening imports the storage layer and checks the
file, a few hundred milliseconds): the data home opens on a worker thread while the user types. A home
without accounts gets the first-administrator dialog instead; ``--demo`` on an empty home creates the demo
accounts and data first (:func:`inspector_app.demo.fill.prepare_demo_home`, which refuses any other home).
After 退出登录 the login dialog comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from inspector_app.core.accounts import User
from inspector_app.gui.workers import run_task
from inspector_app.paths import DataHome

if TYPE_CHECKING:
    from inspector_app.demo.fill import DemoSummary
    from inspector_app.gui.login import FirstAdminDialog, LoginDialog
    from inspector_app.gui.main_window import MainWindow
    from inspector_app.services.app import Services


def open_services(home: DataHome) -> Services:
    """The services of ``home`` (creating the folder and database if needed)."""
    from inspector_app.services.app import Services

    return Services(home.ensure())


def prepare_demo_home(services: Services) -> DemoSummary | None:
    """The demo accounts and data on an empty home (runs on a worker thread; None for any other home)."""
    from inspector_app.demo.fill import prepare_demo_home as prepare

    return prepare(services)


class LoginFlow(QObject):
    """Drives login → main window → logout for one data home. Nothing here blocks the event loop.

    Signals: ``window_opened(MainWindow)`` after a login; ``dialog_shown(QDialog)`` whenever the login or
    first-admin dialog appears (automation uses it); ``ended()`` when the user quit.
    """

    window_opened = Signal(object)
    dialog_shown = Signal(object)
    ended = Signal()

    def __init__(self, home: DataHome, demo: bool = False, services: Services | None = None) -> None:
        super().__init__()
        self.home = home
        self.demo = demo
        self.services = services
        self.dialog: LoginDialog | FirstAdminDialog | None = None
        self.window: MainWindow | None = None

    # -- sequence ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the login dialog now; open the data home in the background if not open yet."""
        if self.services is not None:
            self._ask()
            return
        from inspector_app.gui.login import LoginDialog

        self._show_dialog(LoginDialog(None))
        run_task(open_services, self.home, on_finished=self._opened, on_failed=self._failed)

    def _opened(self, services: Services) -> None:
        from inspector_app.gui.login import LoginDialog

        self.services = services
        if self.demo and not services.accounts.has_users():
            if isinstance(self.dialog, LoginDialog):
                self.dialog.set_waiting("正在准备演示数据（约 10 秒）…")
            run_task(
                prepare_demo_home, services, on_finished=lambda _done: self._ask(), on_failed=self._failed
            )
            return
        self._ask()

    def _services(self) -> Services:
        assert self.services is not None, "the data home is not open yet"
        return self.services

    def _failed(self, message: str) -> None:
        QMessageBox.critical(self.dialog, "无法打开数据目录", f"{message}\n\n数据目录：{self.home.root}")
        self._end()

    def make_dialog(self) -> LoginDialog | FirstAdminDialog:
        """The first-admin dialog on a home without accounts, else the login dialog (services must be open)."""
        from inspector_app.gui.login import FirstAdminDialog, LoginDialog

        accounts = self._services().accounts
        if not accounts.has_users():
            return FirstAdminDialog(accounts, str(self.home.root))
        dialog = LoginDialog(accounts)
        self._demo_hint(dialog)
        return dialog

    def _demo_hint(self, dialog: LoginDialog) -> None:
        if self.demo:
            from inspector_app.demo.accounts import DEMO_HINT, is_demo_home

            if is_demo_home(self._services()):
                dialog.set_hint(DEMO_HINT)

    def _ask(self) -> None:
        from inspector_app.gui.login import LoginDialog

        accounts = self._services().accounts
        if isinstance(self.dialog, LoginDialog) and accounts.has_users():
            self.dialog.set_accounts(accounts)  # the dialog already on screen
            self._demo_hint(self.dialog)
            return
        self._show_dialog(self.make_dialog())

    def _show_dialog(self, dialog: LoginDialog | FirstAdminDialog) -> None:
        from inspector_app.gui.login import LoginDialog

        if self.dialog is not None:
            self._drop_dialog()
        self.dialog = dialog
        signal = dialog.logged_in if isinstance(dialog, LoginDialog) else dialog.admin_created
        signal.connect(self.open_window)
        dialog.rejected.connect(self._end)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog_shown.emit(dialog)

    def _drop_dialog(self) -> None:
        old, self.dialog = self.dialog, None
        if old is None:
            return
        old.rejected.disconnect(self._end)
        old.hide()
        old.deleteLater()

    def open_window(self, user: User) -> MainWindow:
        from inspector_app.gui.main_window import MainWindow

        if self.dialog is not None:
            self._drop_dialog()
        window = MainWindow(self._services(), user, str(self.home.root))
        window.logged_out.connect(self._logged_out, Qt.ConnectionType.QueuedConnection)
        window.closed.connect(self._end)
        self.window = window
        window.show()
        self.window_opened.emit(window)
        return window

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
