"""The inspection record (现场检查记录) and its parts, plus the canonical serialisation that is hashed.

A record is self-describing: it pins the checklist id/version, snapshots the inspected party, and carries
ids that are global UUIDs and UTC timestamps, so it can travel to HQ and be verified there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from inspector_app.core.checklist import Result
from inspector_app.core.clock import utc_iso
from inspector_app.core.lifecycle import RecordStatus

CANONICAL_FORMAT = "inspector-record/1"


class InspectionType(StrEnum):
    ROUTINE = "日常检查"
    RANDOM = "双随机抽查"
    SPECIAL = "专项检查"
    COMPLAINT = "投诉举报"
    FOLLOW_UP = "回头看"


class SignerRole(StrEnum):
    INSPECTOR = "inspector"
    PARTY = "party"


@dataclass(frozen=True)
class Inspector:
    """An inspector on the record: name and 执法证号."""

    name: str
    badge_no: str
    user_id: str = ""


@dataclass(frozen=True)
class PartySnapshot:
    """The inspected party as it stood at the visit (printed on the record)."""

    uscc: str
    name: str
    kind: str
    address: str = ""
    responsible: str = ""
    phone: str = ""
    licence_no: str = ""
    area: str = ""


@dataclass(frozen=True)
class Attachment:
    """A stored file (photo or signature image) named by its SHA-256."""

    sha256: str
    kind: str  # "photo" | "signature"
    mime: str = "image/jpeg"
    size: int = 0
    width: int = 0
    height: int = 0
    caption: str = ""


@dataclass
class Answer:
    """The answer to one item; ``result`` is judged from ``value`` by the item's type."""

    code: str
    value: str | None = None
    result: Result | None = None
    note: str = ""
    photos: list[str] = field(default_factory=list)  # attachment sha256s
    answered_at: datetime | None = None


@dataclass(frozen=True)
class FiveImplementations:
    """隐患整改“五落实”: 责任、措施、时限、资金、应急预案."""

    responsible: str
    measures: str
    deadline: date
    funds: str
    emergency_plan: str


@dataclass
class RectificationOrder:
    """整改要求 for a failed item; creates a 回头看 follow-up task due at ``deadline``."""

    id: str
    item_code: str
    requirement: str
    deadline: date
    hazard: FiveImplementations | None = None


@dataclass
class Signature:
    """A signature image, or (for the party) a refusal with reason and witness."""

    role: SignerRole
    signer_name: str
    image_sha256: str = ""
    refused: bool = False
    refusal_reason: str = ""
    witness_name: str = ""
    signed_at: datetime | None = None


@dataclass
class Inspection:
    """One inspection record (one version). Finalized records are immutable."""

    id: str
    business: PartySnapshot
    form_id: str
    form_version: int
    inspection_type: InspectionType
    inspectors: list[Inspector]
    started_at: datetime
    place: str
    status: RecordStatus = RecordStatus.DRAFT
    version: int = 1
    previous_id: str = ""
    equipment_code: str = ""
    answers: dict[str, Answer] = field(default_factory=dict)
    orders: list[RectificationOrder] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    verdict: str = ""
    verdict_rule: str = ""  # id of the rule in rules.yaml that judged the record (empty before rules had ids)
    handling: str = ""
    on_spot_fix: str = ""  # 当场整改情况: what was fixed on the spot (当场责令整改, 不予查封扣押)
    grade: str = ""
    score: float | None = None
    other_findings: str = ""
    accompanying: str = ""
    recusal_requested: bool = False
    document_no: str = ""
    created_by: str = ""
    device_id: str = ""
    finalized_at: datetime | None = None
    content_hash: str = ""

    def values(self) -> dict[str, str | None]:
        return {code: a.value for code, a in self.answers.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


#: Fields that change after finalization or are derived from the hash; excluded from the hashed content.
_UNHASHED = ("status", "content_hash")

#: Fields added after records were first hashed: left out of the canonical form while they hold their
#: default, so records finalized before they existed keep their hash.
ADDED_LATER: dict[str, str] = {"verdict_rule": "", "on_spot_fix": ""}


def canonical_content(record: Inspection) -> dict[str, Any]:
    """The record as plain JSON-able data (sorted, UTC text), without status and hash."""
    data = asdict(record)
    for name in _UNHASHED:
        data.pop(name)
    for name, default in ADDED_LATER.items():
        if data[name] == default:
            data.pop(name)
    data["answers"] = [data["answers"][code] for code in sorted(data["answers"])]
    data["attachments"] = [data["attachments"][sha] for sha in sorted(data["attachments"])]
    plain: dict[str, Any] = _plain(data)
    plain["format"] = CANONICAL_FORMAT
    return plain


def canonical_bytes(record: Inspection) -> bytes:
    """UTF-8 JSON with sorted keys and no whitespace: the exact bytes that are hashed."""
    return json.dumps(
        canonical_content(record), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def content_hash(record: Inspection) -> str:
    """SHA-256 hex digest of :func:`canonical_bytes`."""
    return hashlib.sha256(canonical_bytes(record)).hexdigest()
