"""整改要求: for every failed item, the requirement and a deadline (today or later); equipment orders also carry
the 隐患整改“五落实” (责任人、措施、时限、资金、应急预案). Each order becomes a 回头看 task when the record is
finalized.

An order is one composite fact (the service validates it as a whole), so it is issued with 下达整改要求 and
removed with 删除 rather than autosaved field by field.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.checklist import Family, Item
from inspector_app.core.records import FiveImplementations, RectificationOrder
from inspector_app.gui.inspection.items import hide_keeping_focus, key_mark
from inspector_app.gui.inspection.page_body import page_body
from inspector_app.gui.inspection.record_session import RecordSession

DEFAULT_DAYS = 7


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def deadline_edit(today: date, default_days: int, parent: QWidget) -> QDateEdit:
    """A date picker that cannot go before today."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(to_qdate(today))
    edit.setDate(to_qdate(today + timedelta(days=default_days)))
    return edit


class HazardFields(QWidget):
    """The 五落实 inputs of an equipment hazard."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.responsible = QLineEdit(self)
        self.responsible.setPlaceholderText("整改责任人（姓名、职务）")
        self.measures = QLineEdit(self)
        self.measures.setPlaceholderText("具体整改措施")
        self.deadline = deadline_edit(today, DEFAULT_DAYS, self)
        self.funds = QLineEdit(self)
        self.funds.setPlaceholderText("资金来源及金额")
        self.emergency_plan = QLineEdit(self)
        self.emergency_plan.setPlaceholderText("整改期间的应急预案/防范措施")
        form.addRow("责任落实：", self.responsible)
        form.addRow("措施落实：", self.measures)
        form.addRow("时限落实：", self.deadline)
        form.addRow("资金落实：", self.funds)
        form.addRow("应急预案：", self.emergency_plan)

    def value(self) -> FiveImplementations:
        return FiveImplementations(
            responsible=self.responsible.text().strip(),
            measures=self.measures.text().strip(),
            deadline=from_qdate(self.deadline.date()),
            funds=self.funds.text().strip(),
            emergency_plan=self.emergency_plan.text().strip(),
        )


def order_text(order: RectificationOrder) -> str:
    text = f"整改要求：{order.requirement}\n整改期限：{order.deadline.isoformat()}"
    hazard = order.hazard
    if hazard is not None:
        text += (
            f"\n五落实 — 责任：{hazard.responsible}；措施：{hazard.measures}；时限：{hazard.deadline.isoformat()}；"
            f"资金：{hazard.funds}；应急预案：{hazard.emergency_plan}"
        )
    return text


class OrderCard(QFrame):
    """One failed item: its issued orders and (in a draft) the form for a new one.

    Signals: ``issue_requested(code)``, ``remove_requested(order_id)``.
    """

    issue_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, item: Item, session: RecordSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("panelCard")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # takes the focus when its form is put away
        layout = QVBoxLayout(self)
        mark = f"　{key_mark(item)}" if item.key else ""
        title = QLabel(f"<b>{item.code}</b>{mark}　{item.text}", self)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.orphan_note = QLabel("该项已不再判定为不符合，请删除其整改要求。", self)
        self.orphan_note.setProperty("role", "warn")
        self.orphan_note.hide()
        layout.addWidget(self.orphan_note)
        self._issued = QVBoxLayout()
        layout.addLayout(self._issued)
        self.form = QWidget(self)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 4, 0, 0)
        self.requirement = QPlainTextEdit(self.form)
        self.requirement.setPlaceholderText("写明整改内容，例如：立即清理过期食品并建立进货查验记录")
        self.requirement.setTabChangesFocus(True)
        self.requirement.setFixedHeight(56)
        self.requirement.setAccessibleName(f"{item.code} 整改要求")
        self.deadline = deadline_edit(session.today(), DEFAULT_DAYS, self.form)
        self.deadline.setAccessibleName(f"{item.code} 整改期限")
        form.addRow("整改要求：", self.requirement)
        form.addRow("整改期限：", self.deadline)
        self.hazard: HazardFields | None = None
        if session.checklist.family is Family.EQUIPMENT:
            self.hazard = HazardFields(session.today(), self.form)
            form.addRow(QLabel("隐患整改“五落实”：", self.form))
            form.addRow(self.hazard)
        self.issue = QPushButton("下达整改要求", self.form)
        self.issue.clicked.connect(lambda: self.issue_requested.emit(self.item.code))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.issue)
        form.addRow(row)
        layout.addWidget(self.form)

    def show_orders(self, orders: list[RectificationOrder], editable: bool) -> None:
        while self._issued.count():
            item = self._issued.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for order in orders:
            line = QWidget(self)
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            text = QLabel(order_text(order), line)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.addWidget(text, 1)
            if editable:
                remove = QPushButton("删除", line)
                remove.setAccessibleName(f"删除 {self.item.code} 的整改要求")
                remove.clicked.connect(lambda _=False, oid=order.id: self.remove_requested.emit(oid))
                row.addWidget(remove)
            self._issued.addWidget(line)
        if editable and not orders:
            self.form.show()
        elif not self.form.isHidden():
            hide_keeping_focus(self.form, self)

    def set_orphaned(self, orphaned: bool) -> None:
        """The item is no longer 不符合: its order should be removed."""
        self.orphan_note.setVisible(orphaned)
        if orphaned and not self.form.isHidden():
            hide_keeping_focus(self.form, self)

    def clear_form(self) -> None:
        self.requirement.clear()


class OrdersPanel(QScrollArea):
    """The 整改要求 page: one :class:`OrderCard` per visible 不符合 item."""

    def __init__(self, session: RecordSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        body, self._layout = page_body(self, "整改要求")
        self.hint = QLabel(body)
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.hint)
        self._cards_box = QVBoxLayout()
        self._layout.addLayout(self._cards_box)
        self._layout.addStretch(1)
        self.setWidget(body)
        self.cards: dict[str, OrderCard] = {}
        session.record_changed.connect(self._refresh_if_shown)
        self.refresh()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        failed = self.session.failed_items()
        codes = [i.code for i in failed]
        orders = self.session.record.orders
        # Orders of items no longer failing stay listed (with a warning) so they can be removed.
        orphans = [o.item_code for o in orders if o.item_code not in codes]
        shown = [*failed, *(self.session.checklist.item(c) for c in dict.fromkeys(orphans))]
        for code in [c for c in self.cards if c not in {i.code for i in shown}]:
            gone = self.cards.pop(code)
            hide_keeping_focus(gone, self)
            gone.deleteLater()
        editable = self.session.editable
        for position, item in enumerate(shown):
            card = self.cards.get(item.code)
            if card is None:
                card = OrderCard(item, self.session, self)
                card.issue_requested.connect(self.issue)
                card.remove_requested.connect(self.session.remove_order)
                self.cards[item.code] = card
            self._cards_box.insertWidget(position, card)
            card.show_orders([o for o in orders if o.item_code == item.code], editable)
            card.set_orphaned(item.code not in codes)
        equipment = self.session.checklist.family is Family.EQUIPMENT
        if not failed:
            self.hint.setText("没有判定为不符合的检查项，无需下达整改要求。")
        else:
            extra = "特种设备隐患须填写“五落实”。" if equipment else ""
            self.hint.setText(
                f"共 {len(failed)} 项不符合。为需要整改的项目填写整改要求和期限（不早于今天），"
                f"定稿后生成回头看任务。{extra}"
            )

    def issue(self, code: str) -> bool:
        """Send the form of ``code`` to the service; the form clears when the order was stored."""
        card = self.cards[code]
        hazard = card.hazard.value() if card.hazard is not None else None
        requirement = card.requirement.toPlainText()
        order = self.session.add_order(code, requirement, from_qdate(card.deadline.date()), hazard)
        if order is None:
            return False
        card.clear_form()
        self.refresh()
        return True
