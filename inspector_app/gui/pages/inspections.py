"""检查记录: the list of inspection records with filters (status, date range, area, family, verdict).

Enter or double-click opens the record in the inspection editor (editable when it is the user's draft).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from inspector_app.core.accounts import Role, User
from inspector_app.core.checklist import Family
from inspector_app.core.clock import CHINA_TZ, local_today
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.registry import JINGMEN_AREAS
from inspector_app.core.summaries import InspectionQuery, InspectionSummary
from inspector_app.core.verdicts import Verdict
from inspector_app.gui.models.tables import InspectionTableModel
from inspector_app.gui.pages.widgets import IdTable, hint_label, title_label

if TYPE_CHECKING:
    from inspector_app.services.app import Services

LIST_LIMIT = 2000

#: Date-range choices: (label, days back from today; None = all, -1 = custom).
DATE_RANGES: tuple[tuple[str, int | None], ...] = (
    ("全部日期", None),
    ("今天", 0),
    ("近 7 天", 6),
    ("近 30 天", 29),
    ("近 90 天", 89),
    ("自定义…", -1),
)


def local_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC datetimes covering local (China) calendar days ``first``..``last`` inclusive."""
    start = datetime.combine(first, time.min, CHINA_TZ)
    end = datetime.combine(last, time.max.replace(microsecond=0), CHINA_TZ)
    return start, end


class InspectionsPage(QWidget):
    """The records list.

    Setter: :meth:`set_filters` (keyword filters, used by tests and other pages).
    Signals: ``record_activated(record_id)`` when the user opened a record; ``listed(count)`` after the list was
    refreshed.
    """

    record_activated = Signal(str)
    listed = Signal(int)

    def __init__(self, services: Services, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user
        self._rows: dict[str, InspectionSummary] = {}
        self.model = InspectionTableModel(self._fetch, self)
        self._build()

    def _combo(self, label: str, items: list[tuple[str, Any]], row: QHBoxLayout) -> QComboBox:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        caption = QLabel(label)
        caption.setBuddy(combo)
        row.addWidget(caption)
        row.addWidget(combo)
        combo.currentIndexChanged.connect(self.refresh)
        return combo

    def _build(self) -> None:
        filters = QHBoxLayout()
        self.status = self._combo(
            "状态(&T)：", [("全部", "")] + [(s.label, s.value) for s in RecordStatus], filters
        )
        self.range = self._combo("日期(&D)：", [(label, days) for label, days in DATE_RANGES], filters)
        today = local_today(self.services.clock)
        self.date_from = QDateEdit(QDate(today.year, today.month, 1))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
            edit.dateChanged.connect(self.refresh)
            filters.addWidget(edit)
        self.range.currentIndexChanged.connect(self._range_changed)
        self.area = self._combo("辖区(&A)：", [("全部", "")] + [(a, a) for a in JINGMEN_AREAS], filters)
        self.family = self._combo(
            "类别(&C)：", [("全部", "")] + [(f.label, f.value) for f in Family], filters
        )
        self.verdict = self._combo(
            "结果(&V)：", [("全部", "")] + [(v.value, v.value) for v in Verdict], filters
        )
        self.mine = QCheckBox("只看我创建的(&M)")
        self.mine.setChecked(self.user.role is Role.INSPECTOR)
        self.mine.toggled.connect(self.refresh)
        filters.addWidget(self.mine)
        filters.addStretch(1)
        self.count_label = hint_label("")
        self.table = IdTable(self.model, stretch_column=6)
        self.table.set_column_widths([140, 280, 70, 100, 120, 110, 180])
        self.table.setAccessibleName("检查记录列表")
        self.table.activated_id.connect(self.record_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(title_label("检查记录"))
        layout.addLayout(filters)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)

    def _range_changed(self) -> None:
        custom = self.range.currentData() == -1
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)

    # -- querying ------------------------------------------------------------------------------------

    def set_filters(self, **values: Any) -> None:
        """Select filter values: status=RecordStatus, area=str, family=str, verdict=str, mine=bool."""
        combos = {"status": self.status, "area": self.area, "family": self.family, "verdict": self.verdict}
        for name, value in values.items():
            if name == "mine":
                self.mine.setChecked(bool(value))
            else:
                combo = combos[name]
                combo.setCurrentIndex(max(0, combo.findData(str(value) if value else "")))
        self.refresh()

    def query(self) -> InspectionQuery:
        date_from = date_to = None
        days = self.range.currentData()
        today = local_today(self.services.clock)
        if days == -1:
            first, last = self.date_from.date().toPython(), self.date_to.date().toPython()
            assert isinstance(first, date) and isinstance(last, date)
            date_from, date_to = local_day_bounds(min(first, last), max(first, last))
        elif days is not None:
            date_from, date_to = local_day_bounds(today - timedelta(days=days), today)
        status = self.status.currentData()  # Qt hands StrEnum values back as plain str
        return InspectionQuery(
            status=RecordStatus(status) if status else None,
            date_from=date_from,
            date_to=date_to,
            area=self.area.currentData() or "",
            family=self.family.currentData() or "",
            verdict=self.verdict.currentData() or "",
            created_by=self.user.id if self.mine.isChecked() else "",
            limit=LIST_LIMIT,
        )

    def refresh(self) -> None:
        summaries = self.services.inspections.list(self.query())
        self._rows = {s.id: s for s in summaries}
        self.model.set_ids([s.id for s in summaries], self._rows)
        more = f"（只显示最近的 {LIST_LIMIT} 条，请缩小筛选范围）" if len(summaries) >= LIST_LIMIT else ""
        self.count_label.setText(f"共 {len(summaries)} 条记录{more}。双击或按 Enter 打开。")
        self.listed.emit(len(summaries))

    def _fetch(self, record_id: str) -> InspectionSummary | None:
        if record_id in self._rows:
            return self._rows[record_id]
        return next((s for s in self.services.inspections.versions(record_id) if s.id == record_id), None)
