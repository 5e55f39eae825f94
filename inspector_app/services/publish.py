"""结果公示: export inspection results for publication as CSV (UTF-8 with BOM, for Excel) or XLSX.

What is published is the result of a visit, never personal data: no phone numbers, no ID or 执法证 numbers, no
responsible person's or inspectors' names. Only the columns of :data:`COLUMNS` are written, all taken from the
record summary (the party's phone, responsible person and the inspectors are never read). As a second line of
defence, phone-number-like and ID-number-like digit runs in the business name are masked. Every record is
verified first; if any fails, nothing is exported.

Any text cell starting with ``= + - @`` (or a tab / carriage return) is prefixed with an apostrophe so that a
spreadsheet shows it as text instead of running it as a formula (CSV/formula injection).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.clock import CHINA_TZ, Clock
from inspector_app.core.errors import InspectorError, ValidationError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.summaries import InspectionQuery, InspectionSummary
from inspector_app.services.spreadsheets import Cell, csv_bytes, write_atomically, xlsx_bytes
from inspector_app.services.verify import VerifyService
from inspector_app.storage.store import Store

if TYPE_CHECKING:
    from inspector_app.forms.library import FormLibrary

#: Published columns, in order.
COLUMNS = (
    "序号",
    "检查日期",
    "被检查单位",
    "统一社会信用代码",
    "辖区",
    "检查类别",
    "检查表",
    "检查结果",
    "处理措施",
    "量化等级",
    "文书编号",
)

#: Record states whose results may be published (a returned record is being corrected: never published).
PUBLISHABLE = (RecordStatus.FINALIZED, RecordStatus.SYNCED, RecordStatus.APPROVED)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PHONE_RUN = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_ID_RUN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


class RecordsNotIntact(InspectorError):
    """Some records to publish failed verification; nothing was exported."""


def escape_formula(value: str) -> str:
    """Prefix ``'`` when ``value`` would start a spreadsheet formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def mask_personal_numbers(text: str) -> str:
    """Replace phone-number-like and 身份证号-like digit runs with asterisks."""
    text = _ID_RUN.sub(lambda m: "*" * len(m.group()), text)
    return _PHONE_RUN.sub(lambda m: "*" * len(m.group()), text)


@dataclass(frozen=True)
class PublishedRow:
    """One published line (no personal data)."""

    started_on: date
    business_name: str
    uscc: str
    area: str
    inspection_type: str
    form_title: str
    verdict: str
    handling: str
    grade: str
    document_no: str

    def cells(self, number: int) -> list[Cell]:
        texts = [
            self.started_on.isoformat(),
            mask_personal_numbers(self.business_name),
            self.uscc,
            self.area,
            self.inspection_type,
            self.form_title,
            self.verdict,
            self.handling,
            self.grade,
            self.document_no,
        ]
        return [number, *(escape_formula(t) for t in texts)]


class PublishService:
    """Selects publishable results and writes them as CSV or XLSX."""

    def __init__(self, store: Store, forms: FormLibrary, clock: Clock) -> None:
        self._store = store
        self.forms = forms
        self.clock = clock

    def rows(
        self,
        actor: User | None,
        *,
        since: date | None = None,
        until: date | None = None,
        approved_only: bool = False,
    ) -> list[PublishedRow]:
        """Publishable results whose inspection day (China time) lies in ``[since, until]``, oldest first."""
        require_role(actor, Role.SUPERVISOR, Role.ADMIN)
        if since and until and since > until:
            raise ValidationError(f"起始日期 {since} 晚于截止日期 {until}，请检查 --since / --until")
        date_from = datetime.combine(since, time.min, CHINA_TZ) if since else None
        date_to = None
        if until:
            date_to = datetime.combine(until + timedelta(days=1), time.min, CHINA_TZ) - timedelta(seconds=1)
        statuses = (RecordStatus.APPROVED,) if approved_only else PUBLISHABLE
        found: list[InspectionSummary] = []
        for status in statuses:
            query = InspectionQuery(status=status, date_from=date_from, date_to=date_to)
            found += self._store.inspections.list(query)
        found.sort(key=lambda s: (s.started_at, s.document_no, s.id))
        self._require_intact(found)
        return [self._row(s) for s in found]

    def _require_intact(self, summaries: list[InspectionSummary]) -> None:
        """Refuse the whole export if any record to publish fails verification (never publish an altered
        record, never silently leave one out)."""
        verify = VerifyService(self._store)
        bad = []
        for summary in summaries:
            problems = verify.problems_of(self._store.inspections.load(summary.id))
            if problems:
                bad.append(f"{summary.document_no or summary.id}（{problems[0].message}）")
        if bad:
            shown = "；".join(bad[:5]) + (f"；等共 {len(bad)} 份" if len(bad) > 5 else "")
            raise RecordsNotIntact(
                f"有 {len(bad)} 份记录未通过校验，未导出任何内容：{shown}。"
                "请运行 inspector verify 查看详情，从备份恢复这些记录后再公示。"
            )

    def _row(self, s: InspectionSummary) -> PublishedRow:
        return PublishedRow(
            started_on=s.started_at.astimezone(CHINA_TZ).date(),
            business_name=s.business_name,
            uscc=s.uscc,
            area=s.area,
            inspection_type=s.inspection_type,
            form_title=self._form_title(s),
            verdict=s.verdict,
            handling=s.handling,
            grade=s.grade,
            document_no=s.document_no,
        )

    def _form_title(self, s: InspectionSummary) -> str:
        try:
            return self.forms.get(s.form_id, s.form_version).title
        except InspectorError:
            return s.form_id

    def export(
        self,
        actor: User | None,
        fmt: str,
        out: Path,
        *,
        since: date | None = None,
        until: date | None = None,
        approved_only: bool = False,
    ) -> int:
        """Write the publishable rows to ``out`` as ``csv`` or ``xlsx`` (atomically); returns the row count."""
        writers: dict[str, Callable[[Sequence[PublishedRow]], bytes]] = {"csv": to_csv, "xlsx": to_xlsx}
        if fmt not in writers:
            raise ValidationError(f"不支持的导出格式“{fmt}”，应为 csv 或 xlsx")
        rows = self.rows(actor, since=since, until=until, approved_only=approved_only)
        write_atomically(out, writers[fmt](rows))
        return len(rows)


def table(rows: Sequence[PublishedRow]) -> list[list[Cell]]:
    """Header plus numbered rows, already escaped."""
    return [list(COLUMNS), *(row.cells(n) for n, row in enumerate(rows, start=1))]


def to_csv(rows: Sequence[PublishedRow]) -> bytes:
    """UTF-8 with BOM and CRLF line ends, so Excel opens the Chinese text correctly."""
    return csv_bytes(table(rows))


def to_xlsx(rows: Sequence[PublishedRow]) -> bytes:
    """One sheet 检查结果公示 with a bold frozen header; every text cell is stored as text (never a formula)."""
    return xlsx_bytes(table(rows), "检查结果公示", [6, 12, 30, 22, 10, 12, 28, 10, 28, 10, 22])
