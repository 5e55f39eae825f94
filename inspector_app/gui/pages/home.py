"""今日任务: drafts to finish, records returned by the supervisor, overdue rectification orders (red) and 回头看
tasks due soon; supervisors also see the review queue.

The lists load on a worker thread after the window is shown, so start-up does not wait for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from inspector_app.core.accounts import Role, User
from inspector_app.core.clock import CHINA_TZ, local_display, local_today
from inspector_app.gui import theme
from inspector_app.gui.models.base import Column, IdTableModel
from inspector_app.gui.models.tables import FollowUpTableModel, InspectionTableModel
from inspector_app.gui.pages.widgets import Card, IdTable, hint_label, title_label
from inspector_app.gui.workers import run_task

if TYPE_CHECKING:
    from inspector_app.services.app import Services

_WEEKDAYS = "一二三四五六日"

RETURNED_COLUMNS = (
    Column("主体名称", lambda r: r.business_name),
    Column("退回人", lambda r: r.returned_by),
    Column("退回时间", lambda r: local_display(r.returned_at).removesuffix(" (UTC+8)")),
    Column("退回意见", lambda r: r.comment, color=lambda r: theme.DANGER, tooltip=lambda r: r.comment),
)

QUEUE_COLUMNS = (
    Column("检查时间", lambda q: local_display(q.summary.started_at).removesuffix(" (UTC+8)")),
    Column("主体名称", lambda q: q.summary.business_name),
    Column("检查人员", lambda q: "、".join(q.inspector_names)),
    Column("检查结果", lambda q: q.summary.verdict),
)


@dataclass
class HomeData:
    """Everything the home page shows, read on a worker thread."""

    today: date
    drafts: list[Any] = field(default_factory=list)
    returned: list[Any] = field(default_factory=list)
    overdue: list[Any] = field(default_factory=list)
    due: list[Any] = field(default_factory=list)
    queue: list[Any] = field(default_factory=list)


def load_home(services: Services, user: User) -> HomeData:
    """Read the home lists for ``user`` (runs off the UI thread)."""
    inspections = services.inspections
    data = HomeData(today=local_today(services.clock))
    data.overdue = inspections.overdue_orders(data.today)
    data.due = inspections.followups_due(data.today)
    if user.role is Role.INSPECTOR:
        data.drafts = inspections.drafts(user)
    if user.role is Role.SUPERVISOR:
        data.queue = services.review.queue(user)
    if user.role in (Role.INSPECTOR, Role.SUPERVISOR):
        data.returned = services.review.returned_to_me(user)
    return data


def greeting(user: User, today: date, hour: int) -> str:
    part = "早上好" if hour < 11 else "中午好" if hour < 13 else "下午好" if hour < 18 else "晚上好"
    return f"{user.display_name}，{part}　{today.year}年{today.month}月{today.day}日 星期{_WEEKDAYS[today.weekday()]}"


class HomePage(QWidget):
    """The 今日任务 page.

    Setter: :meth:`set_data` (``refresh()`` loads it in the background).
    Signals: ``record_activated(record_id)``, ``business_activated(uscc)``, ``loaded()`` after the lists were
    filled.
    """

    record_activated = Signal(str)
    business_activated = Signal(str)
    loaded = Signal()

    def __init__(self, services: Services, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user
        self._rows: dict[str, Any] = {}
        self._today = local_today(services.clock)
        self._loading = False
        get = self._rows.get
        self.drafts_model = InspectionTableModel(get, self)
        self.returned_model = IdTableModel(RETURNED_COLUMNS, get, parent=self)
        self.overdue_model = FollowUpTableModel(get, lambda: self._today, self)
        self.due_model = FollowUpTableModel(get, lambda: self._today, self)
        self.queue_model = IdTableModel(QUEUE_COLUMNS, get, parent=self)
        self._build()

    def _build(self) -> None:
        now = self.services.clock.now().astimezone(CHINA_TZ)
        self.greeting = title_label(greeting(self.user, self._today, now.hour))
        self.summary = hint_label("正在读取今日任务…")
        grid = QGridLayout()
        grid.setSpacing(10)
        self.cards: dict[str, Card] = {}
        self.tables: dict[str, IdTable] = {}
        role = self.user.role
        # (key, title, model, column widths, hidden columns, stretch column, where Enter goes)
        first: tuple[str, str, IdTableModel, list[int], tuple[int, ...], int, Any] = (
            "drafts",
            "待完成的草稿",
            self.drafts_model,
            [125, 0, 60, 0, 110],
            (3, 5, 6),
            1,
            self.record_activated,
        )
        if role is Role.SUPERVISOR:
            first = ("queue", "待审核记录", self.queue_model, [125, 0, 110, 80], (), 1, self.record_activated)
        plan = [
            first,
            ("returned", "被退回待更正", self.returned_model, [150, 60, 125, 0], (), 3, self._open_returned),
            ("overdue", "逾期未整改", self.overdue_model, [185, 170, 0], (), 2, self.business_activated),
            ("due", "近 7 天内到期的回头看", self.due_model, [185, 170, 0], (), 2, self.business_activated),
        ]
        if role is Role.ADMIN:
            plan = plan[2:]
        for n, (key, title, model, widths, hidden, stretch, target) in enumerate(plan):
            card = Card(title)
            table = IdTable(model, stretch_column=stretch)
            table.set_column_widths(widths)
            table.hide_columns(*hidden)
            table.activated_id.connect(target)
            card.set_body(table)
            self.cards[key] = card
            self.tables[key] = table
            grid.addWidget(card, n // 2, n % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        head = QHBoxLayout()
        head.addWidget(self.greeting)
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)

    # -- data ----------------------------------------------------------------------------------------

    @property
    def is_loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        run_task(load_home, self.services, self.user, on_finished=self.set_data, on_failed=self._failed)

    def _failed(self, message: str) -> None:
        self._loading = False
        self.summary.setText(f"读取今日任务失败：{message}")
        self.summary.setObjectName("errorText")
        self.summary.setStyle(self.summary.style())

    def set_data(self, data: HomeData) -> None:
        self._loading = False
        self._today = data.today
        self._rows.clear()
        self._fill("drafts", self.drafts_model, data.drafts, lambda s: s.id, "没有未完成的草稿。")
        self._fill("queue", self.queue_model, data.queue, lambda q: q.id, "没有待审核的记录。")
        self._fill(
            "returned", self.returned_model, data.returned, lambda r: r.inspection_id, "没有被退回的记录。"
        )
        self._fill("overdue", self.overdue_model, data.overdue, lambda f: f.id, "没有逾期未整改的事项。")
        self._fill("due", self.due_model, data.due, lambda f: f.id, "近 7 天没有到期的回头看任务。")
        parts = []
        if self.user.role is Role.INSPECTOR:
            parts.append(f"草稿 {len(data.drafts)} 份")
        if self.user.role is Role.SUPERVISOR:
            parts.append(f"待审核 {len(data.queue)} 份")
        if "returned" in self.cards:
            parts.append(f"被退回 {len(data.returned)} 份")
        parts += [f"逾期未整改 {len(data.overdue)} 项", f"近期回头看 {len(data.due)} 项"]
        self.summary.setText("，".join(parts) + "。双击或按 Enter 打开。")
        overdue_card = self.cards["overdue"]
        overdue_card.title.setStyleSheet(f"color: {theme.DANGER.name()};" if data.overdue else "")
        self.loaded.emit()

    def _fill(self, key: str, model: IdTableModel, items: list[Any], key_of: Any, empty: str) -> None:
        if key not in self.cards:
            return
        ids = []
        for item in items:
            self._rows[key_of(item)] = item
            ids.append(key_of(item))
        model.set_ids(ids, {i: self._rows[i] for i in ids})
        card = self.cards[key]
        card.title.setText(f"{card.title.text().split('（')[0]}（{len(ids)}）")
        card.show_empty(empty, not ids)

    def _open_returned(self, inspection_id: str) -> None:
        record = self._rows.get(inspection_id)
        self.record_activated.emit(record.successor_id or inspection_id if record else inspection_id)
