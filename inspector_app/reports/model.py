"""The printed record as plain data: frozen dataclasses of strings, numbers and tuples (no reportlab).

:func:`inspector_app.reports.content.build_report` fills these from a finalized record; the PDF renderer only
lays them out. Every text a reader sees is already composed here (in Chinese), so it can be tested exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inspector_app.core.verdicts import Tally


@dataclass(frozen=True)
class PartyBlock:
    """被检查单位 as printed: name, 统一社会信用代码, licence, address, responsible person, phone, kind."""

    name: str
    uscc: str
    licence_no: str
    address: str
    responsible: str
    phone: str
    kind: str


@dataclass(frozen=True)
class InspectorLine:
    """One 执法人员: name and 执法证号."""

    name: str
    badge_no: str


@dataclass(frozen=True)
class ItemRow:
    """One visible checklist item: ``result`` is 符合/不符合/不适用/未检查/记录; ``answer`` the raw value.

    ``local`` marks a key item that is a local proposal (printed ★☆ instead of ★)."""

    code: str
    text: str
    key: bool
    result: str
    answer: str
    note: str
    photo_numbers: tuple[int, ...] = ()
    local: bool = False

    @property
    def mark(self) -> str:
        return ("★☆" if self.local else "★") if self.key else ""

    @property
    def failed(self) -> bool:
        return self.result == "不符合"


@dataclass(frozen=True)
class SectionBlock:
    """A titled group of item rows (only the items shown for this party)."""

    title: str
    rows: tuple[ItemRow, ...]


@dataclass(frozen=True)
class FailedItem:
    """A 不符合项 listed one by one under the counts (code + item text + note, and its 依据 when the checklist
    version structures its citations; version-1 records print as they did)."""

    code: str
    text: str
    key: bool
    note: str
    basis: str = ""
    local: bool = False


@dataclass(frozen=True)
class HazardBlock:
    """隐患整改“五落实”: 责任人、整改措施、整改时限、整改资金、应急预案."""

    responsible: str
    measures: str
    deadline: str
    funds: str
    emergency_plan: str


@dataclass(frozen=True)
class OrderBlock:
    """整改要求 for one failed item with its deadline, and the 五落实 for an equipment hazard."""

    item_code: str
    item_text: str
    requirement: str
    deadline: str
    hazard: HazardBlock | None = None


@dataclass(frozen=True)
class GradeBlock:
    """餐饮服务食品安全量化分级 dynamic grade of this visit (优秀/良好/一般/不评级) and its icon name."""

    grade: str
    icon: str
    score: float | None
    text: str


@dataclass(frozen=True)
class PhotoBlock:
    """One photo printed inline: number, caption (item code + text), short hash (12 hex)."""

    number: int
    sha256: str
    short_hash: str
    caption: str
    item_code: str
    width: int
    height: int


@dataclass(frozen=True)
class SignatureBlock:
    """A signature image, or for the party a refusal (reason, witness, inspectors who noted it)."""

    role: str  # "inspector" | "party"
    role_label: str
    name: str
    image_sha256: str
    refused: bool
    refusal_note: str
    witness_name: str
    signed_at: str


@dataclass(frozen=True)
class ReportData:
    """Everything printed on one 现场检查记录, in reading order."""

    record_id: str
    title: str
    form_title: str
    document_no: str
    inspection_type: str
    status_label: str  # for screens; not printed (it changes after finalization)
    version: int
    previous_id: str
    correction_note: str
    party: PartyBlock
    equipment: str
    inspectors: tuple[InspectorLine, ...]
    time_text: str
    place: str
    notice: tuple[str, ...]
    recusal_text: str
    accompanying: str
    sections: tuple[SectionBlock, ...]
    key_label: str
    key_short: str
    counts: Tally  # 共检查X项，其中重点项X项、一般项X项; failed codes per kind (core's own tally)
    counts_text: str
    failed_items: tuple[FailedItem, ...]
    other_findings: str
    verdict: str
    handling: str
    grade: GradeBlock | None
    orders: tuple[OrderBlock, ...]
    photos: tuple[PhotoBlock, ...]
    signatures: tuple[SignatureBlock, ...]
    content_hash: str
    qr_payload: str
    created_at: datetime
    footer: str
    app_version: str  # the version of the app that printed the record (pyproject.toml), shown in the footer
    rule_text: str = ""  # 判定规则 that judged the record (empty for records finalized before rules had ids)
    on_spot_fix: str = ""  # 当场整改情况 (当场责令整改; 当场整改完毕不予查封扣押)
    #: Links to other records (a 回头看 and the record it follows up), added when printing; not hashed content.
    related: tuple[str, ...] = ()

    @property
    def rows(self) -> tuple[ItemRow, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def hazards(self) -> tuple[OrderBlock, ...]:
        return tuple(order for order in self.orders if order.hazard is not None)
