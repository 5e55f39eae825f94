"""开始检查: choose the checklist (from the business kind; for equipment units, from the chosen equipment's type),
the co-inspector (at least two inspectors; the logged-in inspector is the first), the inspection type and the
place, then start the draft through the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.accounts import Role, User
from inspector_app.core.checklist import Checklist
from inspector_app.core.errors import InspectorError
from inspector_app.core.records import InspectionType, Inspector
from inspector_app.core.registry import Business, BusinessKind, Equipment

if TYPE_CHECKING:
    from inspector_app.services.app import Services


def checklist_label(checklist: Checklist) -> str:
    return f"{checklist.title}（{len(checklist.items)} 项，第{checklist.version}版）"


def equipment_label(equipment: Equipment) -> str:
    where = f"，{equipment.location}" if equipment.location else ""
    return f"{equipment.type.value}　{equipment.code}{where}"


class StartDialog(QDialog):
    """The 开始检查 dialog for one business.

    Constructor: ``StartDialog(services, actor, uscc, equipment_code="", parent=None)``.
    Signals: ``inspection_started(record_id)`` (the dialog then closes with ``accept``).
    """

    inspection_started = Signal(str)

    def __init__(
        self,
        services: Services,
        actor: User,
        uscc: str,
        equipment_code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.record_id = ""
        self.business: Business = services.registry.get(uscc)
        self.setWindowTitle("开始检查")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(self._business_box())
        form = QFormLayout()
        self.equipment = QComboBox(self)
        self.checklist = QComboBox(self)
        self.lead = QLabel(self._inspector_text(actor), self)
        self.co_inspector = QComboBox(self)
        self.kind = QComboBox(self)
        self.place = QLineEdit(self.business.address, self)
        self.place.setPlaceholderText("检查地点")
        if self._is_equipment_unit():
            form.addRow("被检查设备(&E)：", self.equipment)
        form.addRow("检查表(&C)：", self.checklist)
        form.addRow("执法人员一：", self.lead)
        form.addRow("执法人员二(&I)：", self.co_inspector)
        form.addRow("检查类型(&T)：", self.kind)
        form.addRow("检查地点(&P)：", self.place)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.start_button = self.buttons.addButton("开始检查", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setDefault(True)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fill(equipment_code)

    # ---- content -----------------------------------------------------------------------------------
    def _business_box(self) -> QLabel:
        b = self.business
        label = QLabel(f"<b>{b.name}</b><br>{b.kind.value}　统一社会信用代码 {b.uscc}<br>{b.address}", self)
        label.setWordWrap(True)
        return label

    @staticmethod
    def _inspector_text(user: User) -> str:
        return f"{user.display_name}（执法证号 {user.badge_no or '未填写'}）"

    def _is_equipment_unit(self) -> bool:
        return self.business.kind is BusinessKind.EQUIPMENT_UNIT

    def _fill(self, equipment_code: str) -> None:
        problems: list[str] = []
        if self.actor.role is not Role.INSPECTOR:
            problems.append("只有检查员可以开始检查")
        if self._is_equipment_unit():
            units = self.services.registry.equipment_of(self.business.uscc)
            for unit in units:
                self.equipment.addItem(equipment_label(unit), unit.code)
            if not units:
                problems.append("该单位名下没有登记特种设备，请先在主体名录中登记设备")
            chosen = self.equipment.findData(equipment_code) if equipment_code else 0
            self.equipment.setCurrentIndex(max(chosen, 0))
            self.equipment.currentIndexChanged.connect(self._fill_checklists)
        for user in self.services.accounts.inspectors(exclude_id=self.actor.id):
            self.co_inspector.addItem(self._inspector_text(user), user)
        if self.co_inspector.count() == 0:
            problems.append("没有其他检查员账号：现场检查须有两名执法人员，请管理员添加检查员")
        for kind in InspectionType:
            self.kind.addItem(kind.value, kind)
        self._fill_checklists()
        if self.checklist.count() == 0 and not problems:
            problems.append(f"没有适用于“{self.business.kind.value}”的检查表")
        self._problems = problems
        self.error.setText("；".join(problems))
        self.start_button.setEnabled(not problems)

    def _equipment_type(self) -> str | None:
        if not self._is_equipment_unit():
            return None
        code = self.equipment.currentData()
        units = {u.code: u for u in self.services.registry.equipment_of(self.business.uscc)}
        return units[code].type.value if code in units else None

    def _fill_checklists(self) -> None:
        self.checklist.clear()
        kind = self.business.kind.value
        equipment_type = self._equipment_type()
        if self._is_equipment_unit() and equipment_type is None:
            return
        found = self.services.forms.for_kind(kind, equipment_type)
        # The most specific checklist first (one equipment type beats the unit-wide one).
        found.sort(key=lambda c: (len(c.equipment_types), c.id))
        for checklist in found:
            self.checklist.addItem(checklist_label(checklist), checklist.id)

    # ---- start -------------------------------------------------------------------------------------
    def inspectors(self) -> list[Inspector]:
        crew = [Inspector(self.actor.display_name, self.actor.badge_no, self.actor.id)]
        co: User | None = self.co_inspector.currentData()
        if co is not None:
            crew.append(Inspector(co.display_name, co.badge_no, co.id))
        return crew

    def start(self) -> str:
        """Start the draft; on success emits ``inspection_started`` and closes. Returns the record id or ''."""
        form_id = self.checklist.currentData()
        if not form_id:
            self.error.setText("请选择检查表")
            return ""
        try:
            record = self.services.inspections.start(
                self.actor,
                self.business.uscc,
                form_id,
                self.inspectors(),
                self.kind.currentData(),
                self.place.text(),
                self.equipment.currentData() or "",
            )
        except InspectorError as exc:
            self.error.setText(str(exc))
            return ""
        self.record_id = record.id
        self.inspection_started.emit(record.id)
        self.accept()
        return record.id


def start_inspection(
    parent: QWidget | None, services: Services, user: User, uscc: str, equipment_code: str = ""
) -> str | None:
    """Run the 开始检查 dialog (modal); returns the new draft's id, or ``None`` when cancelled or refused."""
    try:
        dialog = StartDialog(services, user, uscc, equipment_code, parent)
    except InspectorError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, "开始检查", str(exc))
        return None
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    record_id = dialog.record_id if accepted else ""
    dialog.deleteLater()
    return record_id or None
