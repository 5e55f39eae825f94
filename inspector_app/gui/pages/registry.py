"""主体查询: search-as-you-type over the registry (300,000 businesses) and the business page.

Typing never blocks the window: queries run on a background thread (:class:`LatestOnlyRunner`, which drops
stale results by generation), throttled to one every ``THROTTLE_MS`` — the first keystroke after a pause is
searched at once, a burst of keystrokes is coalesced and the final text is always searched. The table model
holds USCCs only; the worker hands over the rows it read so painting never waits for the database.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from inspector_app.core.accounts import User
from inspector_app.gui.models.tables import BusinessTableModel
from inspector_app.gui.pages.widgets import IdTable, hint_label, on_escape, title_label
from inspector_app.gui.workers import LatestOnlyRunner, run_task

if TYPE_CHECKING:
    from inspector_app.services.app import Services
    from inspector_app.services.registry import RegistryService

RESULT_LIMIT = 200
#: Rows read together with the ids (about two screens); the rest are fetched when scrolled to.
PREFETCH_ROWS = 60
THROTTLE_MS = 150


def search_businesses(
    registry: RegistryService, query: str, limit: int = RESULT_LIMIT
) -> tuple[str, list[str], dict[str, Any]]:
    """(query, USCCs best first, USCC → Business for the first rows) — runs on the worker thread."""
    ids = registry.search_ids(query, limit)
    rows = registry.get_many(ids[:PREFETCH_ROWS]) if ids else []
    return query, ids, {b.uscc: b for b in rows}


class SearchView(QWidget):
    """The search box and results table.

    Signals: ``business_chosen(uscc)`` when the user opened a result; ``results_shown(query, count)`` after new
    results were put in the table (tests and benchmarks wait on it).
    """

    business_chosen = Signal(str)
    results_shown = Signal(str, int)

    def __init__(self, registry: RegistryService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._registry = registry
        self._last_submit = 0.0
        self._shown_query = ""
        self.model = BusinessTableModel(self._fetch, self)
        self.runner = LatestOnlyRunner(lambda q: search_businesses(self._registry, q), self)
        self.runner.resulted.connect(self._show_results)
        self.runner.failed.connect(self._show_error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._submit)
        self._build()

    def _build(self) -> None:
        self.count_label = QLabel("")
        self.count_label.setObjectName("countBadge")
        head = QHBoxLayout()
        head.addWidget(title_label("主体查询"))
        head.addWidget(self.count_label)
        head.addStretch(1)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            "输入主体名称（1 个字即可）、统一社会信用代码或拼音首字母（如 hsdjd）"
        )
        self.search_box.setAccessibleName("查找主体")
        self.search_box.textChanged.connect(self._text_changed)
        self.search_box.returnPressed.connect(self._enter_results)
        self.status = hint_label("输入后立即查询；按 ↓ 或 Enter 进入结果列表，Enter 打开主体。")
        self.table = IdTable(self.model, stretch_column=5)
        self.table.set_column_widths([300, 170, 120, 70, 70, 200])
        self.table.setAccessibleName("查询结果")
        self.table.activated_id.connect(self.business_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(head)
        layout.addWidget(self.search_box)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.search_box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self._enter_results()
            return True
        return super().eventFilter(watched, event)

    # -- setters -------------------------------------------------------------------------------------

    def set_total(self, total: int) -> None:
        self.count_label.setText(f"登记库共 {total:,} 家主体")

    def set_query(self, text: str) -> None:
        self.search_box.setText(text)

    # -- searching -----------------------------------------------------------------------------------

    def _fetch(self, uscc: str) -> Any:
        return self._registry.find(uscc)

    def _text_changed(self, _text: str) -> None:
        wait = THROTTLE_MS - (time.monotonic() - self._last_submit) * 1000
        if wait <= 0 and not self._timer.isActive():
            self._submit()
        elif not self._timer.isActive():
            self._timer.start(max(1, int(wait)))

    def _submit(self) -> None:
        query = self.search_box.text().strip()
        self._last_submit = time.monotonic()
        if not query:
            self.runner.invalidate()
            self._show_results(("", [], {}))
            return
        self.runner.submit(query)

    def _show_results(self, result: tuple[str, list[str], dict[str, Any]]) -> None:
        query, ids, rows = result
        self._shown_query = query
        self.model.set_ids(ids, rows)
        if not query:
            self.status.setText("输入后立即查询；按 ↓ 或 Enter 进入结果列表，Enter 打开主体。")
        elif not ids:
            self.status.setText(f"没有找到与“{query}”相关的主体。可换用简称、统一社会信用代码或拼音首字母。")
        elif len(ids) >= RESULT_LIMIT:
            self.status.setText(
                f"“{query}”匹配的主体很多，只显示最相关的 {RESULT_LIMIT} 家；请再输入几个字缩小范围。"
            )
        else:
            self.status.setText(f"找到 {len(ids)} 家主体")
        if ids:
            self.table.scrollToTop()
        self.results_shown.emit(query, len(ids))

    def _show_error(self, message: str) -> None:
        self.status.setText(f"查询失败：{message}")

    def _enter_results(self) -> None:
        if self.model.rowCount() > 0:
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.select_first()

    def shown_query(self) -> str:
        return self._shown_query


class RegistryPage(QWidget):
    """The 主体查询 page: a search view and a business view in a stack.

    Signals: ``start_requested(uscc, equipment_code)`` (the user pressed 开始检查), ``record_activated(id)`` (a
    past inspection was opened), ``status_message(text)``.
    """

    start_requested = Signal(str, str)
    record_activated = Signal(str)
    status_message = Signal(str)

    def __init__(self, services: Services, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user
        self.search = SearchView(services.registry)
        self.search.business_chosen.connect(self.open_business)
        from inspector_app.gui.pages.business import BusinessView

        self.business = BusinessView(services, user)
        self.business.back_requested.connect(self.show_search)
        self.business.start_requested.connect(self.start_requested)
        self.business.record_activated.connect(self.record_activated)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.search)
        self.stack.addWidget(self.business)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        on_escape(self.business, self.show_search)
        self._total_known = False

    def refresh(self) -> None:
        if not self._total_known:
            run_task(self.services.registry.count, on_finished=self._set_total)
        if self.stack.currentWidget() is self.business:
            self.business.reload()

    def _set_total(self, total: int) -> None:
        self._total_known = True
        self.search.set_total(total)

    def focus_search(self) -> None:
        self.show_search()
        self.search.search_box.setFocus()
        self.search.search_box.selectAll()

    def show_search(self) -> None:
        self.stack.setCurrentWidget(self.search)
        self.search.table.setFocus() if self.search.model.rowCount() else self.search.search_box.setFocus()

    def open_business(self, uscc: str) -> None:
        self.business.show_business(uscc)
        self.stack.setCurrentWidget(self.business)
        self.business.setFocus()
