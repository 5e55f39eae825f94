"""``inspector-app`` / ``python -m inspector_app``: start the desktop app.

Start-up is kept lazy: the login dialog shows before the database opens (see :mod:`.startup`); pages, the
inspection editor, forms, reportlab, openpyxl and pypinyin load on first use.

Options: ``--home DIR`` (data home), ``--demo`` (fill an empty home with demo data and demo accounts),
``--quit-after SECONDS`` (automation). Screenshots for the docs: ``scripts/app_screenshots.py``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from inspector_app.demo.accounts import DEMO_PASSWORD
from inspector_app.gui.startup import LoginFlow, open_services, prepare_demo_home
from inspector_app.gui.theme import apply_style
from inspector_app.paths import APP_ICON, resolve_home

__all__ = ["LoginFlow", "main", "open_services", "parse_args", "prepare_demo_home"]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="inspector-app", description="市场监管现场检查 — 桌面程序")
    parser.add_argument("--home", help="数据目录；默认取 INSPECTOR_HOME 或系统用户数据目录")
    parser.add_argument(
        "--demo", action="store_true", help=f"数据目录为空时填入演示数据和演示账号（密码 {DEMO_PASSWORD}）"
    )
    parser.add_argument("--quit-after", type=float, default=0, help="启动若干秒后自动退出（自动化测试用）")
    return parser.parse_args(list(argv) if argv is not None else None)


def create_app() -> QApplication:
    """The QApplication with our names, font and stylesheet."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("inspector-app")
    app.setApplicationDisplayName("市场监管现场检查")
    # Matches the installed inspector-app.desktop (taskbar icon and grouping, the Wayland app id).
    app.setDesktopFileName("inspector-app")
    app.setWindowIcon(QIcon(str(APP_ICON)))
    app.setQuitOnLastWindowClosed(False)  # the session decides when to quit (logout reopens the login)
    apply_style(app)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    app = create_app()
    flow = LoginFlow(resolve_home(args.home), demo=args.demo)
    if args.quit_after:
        QTimer.singleShot(int(args.quit_after * 1000), app.quit)
    flow.start()
    code = app.exec()
    if flow.services is not None:
        flow.services.close()
    return int(code)
