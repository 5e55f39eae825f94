"""``inspector-app`` / ``python -m inspector_app``: start the desktop app.

Start-up is kept lazy: only Qt widgets, the database and the home page load before the window shows;
pages, the inspection editor, forms, reportlab, openpyxl and pypinyin load on first use.

Options: ``--home DIR`` (data home), ``--demo`` (fill an empty home with demo data and demo accounts),
``--screenshot-dir DIR`` (with ``--demo``: walk through the main screens, save PNGs and quit),
``--quit-after SECONDS`` (automation).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from inspector_app.core.accounts import User
from inspector_app.core.errors import InspectorError
from inspector_app.gui.style import apply_style
from inspector_app.paths import DataHome, resolve_home

DEMO_HINT = "演示账号（密码均为 demo1234）：检查员 zhangwei、lina；审核人 chenjing；管理员 admin"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="inspector-app", description="市场监管现场检查 — 桌面程序")
    parser.add_argument("--home", help="数据目录；默认取 INSPECTOR_HOME 或系统用户数据目录")
    parser.add_argument("--demo", action="store_true", help="数据目录为空时填入演示数据和演示账号")
    parser.add_argument("--screenshot-dir", help="（需配合 --demo）依次打开主要界面并截图保存到该目录，然后退出")
    parser.add_argument("--quit-after", type=float, default=0, help="启动若干秒后自动退出（自动化测试用）")
    return parser.parse_args(list(argv) if argv is not None else None)


def demo_setup(services) -> bool:  # noqa: ANN001
    """On a data home with no accounts and no data: create the demo accounts, then the demo data.

    Returns False (and changes nothing) for a home that already has accounts or data: demo accounts with a
    published password must never be added to a real data home.
    """
    from inspector_app.core.summaries import InspectionQuery
    from inspector_app.services.demo import fill_demo_if_empty
    from inspector_app.services.demo_accounts import ensure_demo_accounts

    if services.accounts.has_users():
        return False
    if services.registry.count() or services.inspections.list(InspectionQuery(limit=1)):
        return False
    ensure_demo_accounts(services)  # first, so the demo drafts belong to the demo inspectors
    fill_demo_if_empty(services)
    return True


def prepare_demo(services, parent: QWidget | None = None) -> None:  # noqa: ANN001
    """Run :func:`demo_setup` on a worker thread behind a busy dialog (it takes several seconds)."""
    from PySide6.QtCore import QEventLoop

    from inspector_app.gui.workers import run_task

    dialog = QProgressDialog("正在准备演示数据（约 10 秒）…", "", 0, 0, parent)
    dialog.setWindowTitle("演示数据")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(0)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    loop = QEventLoop()
    failure: list[str] = []
    run_task(demo_setup, services, on_finished=lambda _r: loop.quit(), on_failed=lambda m: (failure.append(m), loop.quit()))
    dialog.show()
    loop.exec()
    dialog.close()
    if failure:
        raise InspectorError(f"准备演示数据失败：{failure[0]}")


class Session(QObject):
    """Log in, show the main window, and go back to the login after 退出登录."""

    def __init__(self, app: QApplication, services, home: DataHome, demo: bool) -> None:  # noqa: ANN001
        super().__init__()
        self.app = app
        self.services = services
        self.home = home
        self.demo = demo
        self.window = None

    def make_dialog(self) -> QDialog:
        """The first-admin dialog on a home without accounts, else the login dialog."""
        from inspector_app.gui.login import FirstAdminDialog, LoginDialog

        accounts = self.services.accounts
        if not accounts.has_users():
            return FirstAdminDialog(accounts, str(self.home.root))
        dialog = LoginDialog(accounts)
        if self.demo:
            from inspector_app.services.demo_accounts import is_demo_home

            if is_demo_home(self.services):
                dialog.set_hint(DEMO_HINT)
        return dialog

    def ask_user(self) -> User | None:
        """Run the dialog of :meth:`make_dialog`; the user it accepted, or None if cancelled."""
        dialog = self.make_dialog()
        dialog.exec()
        return dialog.user  # type: ignore[attr-defined]

    def start(self) -> bool:
        user = self.ask_user()
        if user is None:
            return False
        self.open_window(user)
        return True

    def open_window(self, user: User):  # noqa: ANN201
        from inspector_app.gui.main_window import MainWindow

        self.window = MainWindow(self.services, user, str(self.home.root))
        self.window.logged_out.connect(self._logged_out, Qt.ConnectionType.QueuedConnection)
        self.window.show()
        return self.window

    def _logged_out(self) -> None:
        old, self.window = self.window, None
        if old is not None:
            old.deleteLater()
        if not self.start():
            self.app.quit()


def _open_services(home: DataHome):  # noqa: ANN202
    from inspector_app.services.app import Services

    return Services(home.ensure())


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("inspector-app")
    app.setApplicationDisplayName("市场监管现场检查")
    apply_style(app)
    home = resolve_home(args.home)
    try:
        services = _open_services(home)
        if args.demo and not services.accounts.has_users():
            prepare_demo(services)
    except InspectorError as exc:
        QMessageBox.critical(None, "无法打开数据目录", f"{exc}\n\n数据目录：{home.root}")
        return 1
    session = Session(app, services, home, args.demo)
    if args.quit_after:
        QTimer.singleShot(int(args.quit_after * 1000), app.quit)
    if args.screenshot_dir:
        if not args.demo:
            print("--screenshot-dir 需要与 --demo 一起使用", file=sys.stderr)
            return 2
        from inspector_app.gui.tour import run_tour

        return run_tour(app, session, args.screenshot_dir)
    app.setQuitOnLastWindowClosed(True)
    if not session.start():
        return 0
    code = app.exec()
    services.close()
    return int(code)
