"""The pages of the main window and the list of default pages per role.

Each page module is imported only when its page is first shown (start-up stays fast): the factories below
import their page inside the function, so the import graph (and import-linter) still sees every edge.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from inspector_app.core.accounts import Role

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from inspector_app.gui.main_window import MainWindow

PageFactory = Callable[["MainWindow"], "QWidget"]


def _home(window: MainWindow) -> QWidget:
    from inspector_app.gui.pages.home import HomePage

    return HomePage(window.services, window.user)


def _registry(window: MainWindow) -> QWidget:
    from inspector_app.gui.pages.registry import RegistryPage

    return RegistryPage(window.services, window.user)


def _inspections(window: MainWindow) -> QWidget:
    from inspector_app.gui.pages.inspections import InspectionsPage

    return InspectionsPage(window.services, window.user)


def _review(window: MainWindow) -> QWidget:
    from inspector_app.gui.review.page import ReviewPage

    return ReviewPage(window.services, window.user)


def _accounts(window: MainWindow) -> QWidget:
    from inspector_app.gui.pages.accounts import AccountsPage

    return AccountsPage(window.services, window.user)


def _sync(window: MainWindow) -> QWidget:
    from inspector_app.gui.pages.sync import SyncPage

    return SyncPage(window.services)


#: (key, title, factory, roles) in navigation order.
DEFAULT_PAGES: tuple[tuple[str, str, PageFactory, frozenset[Role]], ...] = (
    ("home", "今日任务", _home, frozenset(Role)),
    ("registry", "主体查询", _registry, frozenset(Role)),
    ("inspections", "检查记录", _inspections, frozenset(Role)),
    ("review", "审核", _review, frozenset({Role.SUPERVISOR})),
    ("accounts", "账号", _accounts, frozenset({Role.ADMIN})),
    ("sync", "同步", _sync, frozenset({Role.ADMIN})),
)


def register_default_pages(window: MainWindow) -> None:
    """Add the standard pages the window's user may see."""
    for key, title, factory, roles in DEFAULT_PAGES:
        window.add_page(key, title, partial(factory, window), roles)
