"""The business page: registry details, past inspections, open rectification orders, equipment, 开始检查."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.accounts import Role, User
from inspector_app.core.clock import local_today
from inspector_app.core.errors import InspectorError
from inspector_app.core.registry import Business, BusinessKind, Equipment
from inspector_app.core.summaries import FollowUp, InspectionQuery, InspectionSummary
from inspector_app.gui import theme
from inspector_app.gui.models.base import Column, IdTableModel
from inspector_app.gui.models.tables import FollowUpTableModel, InspectionTableModel
from inspector_app.gui.pages.widgets import IdTable, hint_label, title_label

if TYPE_CHECKING:
    from inspector_app.services.app import Services


def _next_inspection_color(today: date) -> Callable[[Equipment], QColor | None]:
    def color(e: Equipment) -> QColor | None:
        return theme.DANGER if e.next_inspection and e.next_inspection < today else None

    return color


def equipment_columns(today: date) -> tuple[Column, ...]:
    return (
        Column("设备代码", lambda e: e.code),
        Column("设备种类", lambda e: str(e.type)),
        Column("注册代码", lambda e: e.registration_no),
        Column(
            "下次检验日期",
            lambda e: (
                e.next_inspection.isoformat() + ("（已超期）" if e.next_inspection < today else "")
                if e.next_inspection
                else "—"
            ),
            color=_next_inspection_color(today),
        ),
        Column("使用地点", lambda e: e.location),
    )


class BusinessView(QWidget):
    """One business: details, then tabs for past inspections, open orders and (equipment units) equipment.

    Setter: :meth:`show_business` (loads through the services).
    Signals: ``back_requested()``, ``start_requested(uscc, equipment_code)``, ``record_activated(record_id)``.
    """

    back_requested = Signal()
    start_requested = Signal(str, str)
    record_activated = Signal(str)

    def __init__(self, services: Services, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user
        self.uscc = ""
        self._summaries: dict[str, InspectionSummary] = {}
        self._followups: dict[str, FollowUp] = {}
        self._equipment: dict[str, Equipment] = {}
        today = local_today(services.clock)
        self.inspections_model = InspectionTableModel(lambda i: self._summaries.get(i), self)
        self.orders_model = FollowUpTableModel(lambda i: self._followups.get(i), lambda: today, self)
        self.equipment_model = IdTableModel(
            equipment_columns(today), lambda c: self._equipment.get(c), parent=self
        )
        self._build()

    def _build(self) -> None:
        back = QPushButton("← 返回查询")
        back.setToolTip("返回查询结果（Esc）")
        back.clicked.connect(self.back_requested)
        self.name_label = title_label("")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind_label = QLabel("")
        self.kind_label.setObjectName("countBadge")
        self.start_button = QPushButton("开始检查(&S)")
        self.start_button.setObjectName("primary")
        self.start_button.setShortcut(QKeySequence("Ctrl+N"))
        self.start_button.setToolTip("对该主体开始一次现场检查（Ctrl+N）")
        self.start_button.clicked.connect(lambda: self.start_requested.emit(self.uscc, ""))
        self.start_button.setVisible(self.user.role is Role.INSPECTOR)
        head = QHBoxLayout()
        head.addWidget(back)
        head.addSpacing(8)
        head.addWidget(self.name_label)
        head.addWidget(self.kind_label)
        head.addStretch(1)
        head.addWidget(self.start_button)
        self.details = QGridLayout()
        self.details.setHorizontalSpacing(16)
        self.details.setVerticalSpacing(4)
        self.inspections_table = IdTable(self.inspections_model, stretch_column=6)
        self.inspections_table.set_column_widths([140, 0, 70, 100, 130, 120, 160])
        self.inspections_table.hide_columns(1)  # the business is the page's own
        self.inspections_table.activated_id.connect(self.record_activated)
        self.orders_table = IdTable(self.orders_model, stretch_column=2)
        self.orders_table.set_column_widths([210, 240, 300])
        self.equipment_table = IdTable(self.equipment_model, stretch_column=4)
        self.equipment_table.set_column_widths([190, 110, 190, 170, 200])
        self.equipment_table.activated_id.connect(self._start_for_equipment)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.inspections_table, "检查记录")
        self.tabs.addTab(self.orders_table, "未完成整改")
        self.equipment_tab = QWidget()
        eq_layout = QVBoxLayout(self.equipment_tab)
        eq_layout.setContentsMargins(0, 4, 0, 0)
        eq_layout.addWidget(hint_label("选中设备后按 Enter 或双击，即对该设备开始检查。"))
        eq_layout.addWidget(self.equipment_table)
        self.tabs.addTab(self.equipment_tab, "特种设备")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(head)
        layout.addLayout(self.details)
        layout.addSpacing(4)
        layout.addWidget(self.tabs, 1)

    # -- loading -------------------------------------------------------------------------------------

    def show_business(self, uscc: str) -> None:
        self.uscc = uscc
        self.reload()

    def reload(self) -> None:
        if not self.uscc:
            return
        try:
            business = self.services.registry.get(self.uscc)
        except InspectorError as exc:
            self.name_label.setText(str(exc))
            return
        self._fill_details(business)
        self._load_inspections(business)
        self._load_orders(business)
        is_unit = business.kind is BusinessKind.EQUIPMENT_UNIT
        self.tabs.setTabVisible(2, is_unit)
        if is_unit:
            equipment = self.services.registry.equipment_of(business.uscc)
            self._equipment = {e.code: e for e in equipment}
            self.equipment_model.set_ids(list(self._equipment))
            self.tabs.setTabText(2, f"特种设备（{len(equipment)}）")

    def _fill_details(self, b: Business) -> None:
        self.name_label.setText(b.name)
        self.kind_label.setText(str(b.kind))
        while self.details.count():
            item = self.details.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        fields = [
            ("统一社会信用代码", b.uscc),
            ("辖区", b.area),
            ("风险等级", b.risk_grade or "未评定"),
            ("负责人", b.responsible),
            ("联系电话", b.phone),
            ("信用分", "" if b.credit_score is None else f"{b.credit_score:g}"),
            ("许可证号", b.licence_no),
            ("发证日期", b.licensed_on.isoformat() if b.licensed_on else ""),
        ]
        self._detail_row(0, 0, "经营地址", b.address, span=5)
        for n, (title, value) in enumerate(fields):
            row, col = divmod(n, 3)
            self._detail_row(row + 1, col * 2, title, value)
        if b.kind is BusinessKind.SMALL_CATERING:
            self._detail_row(len(fields) // 3 + 2, 0, "量化分级年度等级", self._annual_grade(b), span=5)
        self.details.setColumnStretch(1, 1)
        self.details.setColumnStretch(3, 1)
        self.details.setColumnStretch(5, 1)

    def _annual_grade(self, b: Business) -> str:
        """餐饮服务食品安全量化分级年度等级 (A/B/C over the past 12 months), computed from the visits."""
        try:
            return str(self.services.grading.catering_annual_grade(b.uscc).text)
        except InspectorError as exc:
            return f"无法计算：{exc}"

    def _detail_row(self, row: int, col: int, title: str, value: str, span: int = 1) -> None:
        name = QLabel(f"{title}：")
        name.setObjectName("hint")
        text = QLabel(value or "—")
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.addWidget(name, row, col)
        self.details.addWidget(text, row, col + 1, 1, span)

    def _load_inspections(self, b: Business) -> None:
        summaries = self.services.inspections.list(InspectionQuery(uscc=b.uscc))
        self._summaries = {s.id: s for s in summaries}
        self.inspections_model.set_ids([s.id for s in summaries])
        self.tabs.setTabText(0, f"检查记录（{len(summaries)}）")

    def _load_orders(self, b: Business) -> None:
        today = local_today(self.services.clock)
        mine = self.services.inspections.open_followups(b.uscc)
        self._followups = {f.id: f for f in mine}
        self.orders_model.set_ids([f.id for f in mine])
        overdue = sum(1 for f in mine if f.overdue(today))
        label = f"未完成整改（{len(mine)}）" + (f"，{overdue} 项逾期" if overdue else "")
        self.tabs.setTabText(1, label)
        self.tabs.tabBar().setTabTextColor(
            1, theme.DANGER if overdue else self.palette().windowText().color()
        )

    def _start_for_equipment(self, code: str) -> None:
        if self.user.role is Role.INSPECTOR:
            self.start_requested.emit(self.uscc, code)
