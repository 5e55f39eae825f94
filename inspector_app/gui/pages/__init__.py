"""The pages of the main window and the list of default pages per role.

Each page module is imported only when its page is first shown (start-up stays fast). Later pages (the
supervisor's 审核 page) plug in here: :func:`register_default_pages` adds ``pages/review.py`` when present.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

from inspector_app.core.accounts import Role

if TYPE_CHECKING:
    from inspector_app.gui.main_window import MainWindow

#: (key, title, module, class, roles) in navigation order.
DEFAULT_PAGES: tuple[tuple[str, str, str, str, frozenset[Role]], ...] = (
    ("home", "今日任务", "home", "HomePage", frozenset(Role)),
    ("registry", "主体查询", "registry", "RegistryPage", frozenset(Role)),
    ("inspections", "检查记录", "inspections", "InspectionsPage", frozenset(Role)),
    ("review", "审核", "review", "ReviewPage", frozenset({Role.SUPERVISOR})),
    ("accounts", "账号", "accounts", "AccountsPage", frozenset({Role.ADMIN})),
)


def _factory(window: MainWindow, module: str, class_name: str):  # noqa: ANN202
    def create():  # noqa: ANN202
        cls = getattr(importlib.import_module(f"inspector_app.gui.pages.{module}"), class_name)
        return cls(window.services, window.user)

    return create


def register_default_pages(window: MainWindow) -> None:
    """Add the standard pages the window's user may see (pages whose module is missing are skipped)."""
    for key, title, module, class_name, roles in DEFAULT_PAGES:
        if importlib.util.find_spec(f"inspector_app.gui.pages.{module}") is None:
            continue
        window.add_page(key, title, _factory(window, module, class_name), roles)
