"""SQL text and row ↔ dataclass mapping for :mod:`inspector_app.storage.inspections`.

Kept apart so the repository reads as a list of operations. Times are stored as UTC ISO text, dates as ISO
dates, lists and mappings as JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from inspector_app.core.checklist import Family
from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import (
    Attachment,
    FiveImplementations,
    Inspection,
    InspectionType,
    Inspector,
    PartySnapshot,
    RectificationOrder,
    Signature,
    SignerRole,
)
from inspector_app.core.summaries import FollowUp, FollowUpStatus, InspectionQuery, InspectionSummary

# -- inspections ---------------------------------------------------------------------------------------------

_INSERT_COLUMNS = (
    "id, version, previous_id, business_uscc, business_name, area, family, form_id, form_version, "
    "inspection_type, status, started_at, place, equipment_code, party_json, inspectors_json, attributes_json, "
    "handling, other_findings, accompanying, recusal_requested, created_by, device_id, on_spot_fix"
)
INSERT_INSPECTION = f"INSERT INTO inspections ({_INSERT_COLUMNS}) VALUES ({', '.join('?' * 24)})"

SELECT_SUMMARY = (
    "SELECT id, version, previous_id, business_uscc, business_name, area, family, form_id, form_version, "
    "inspection_type, status, started_at, place, verdict, handling, grade, document_no, content_hash, "
    "created_by, finalized_at FROM inspections"
)

SELECT_FULL = (
    "SELECT id, version, previous_id, form_id, form_version, inspection_type, status, started_at, place, "
    "equipment_code, party_json, inspectors_json, attributes_json, verdict, handling, grade, score, "
    "other_findings, accompanying, recusal_requested, document_no, created_by, device_id, finalized_at, "
    "content_hash, verdict_rule, on_spot_fix FROM inspections"
)

FINALIZE = (
    "UPDATE inspections SET status = 'finalized', verdict = ?, handling = ?, grade = ?, score = ?, "
    "document_no = ?, device_id = ?, finalized_at = ?, content_hash = ?, canonical_json = ?, verdict_rule = ?, "
    "on_spot_fix = ? WHERE id = ? AND status = 'draft'"
)

VERSION_CHAIN = """
WITH RECURSIVE
  back(id, previous_id) AS (
    SELECT id, previous_id FROM inspections WHERE id = ?
    UNION SELECT i.id, i.previous_id FROM inspections i JOIN back b ON i.id = b.previous_id),
  fwd(id) AS (
    SELECT id FROM back
    UNION SELECT i.id FROM inspections i JOIN fwd f ON i.previous_id = f.id)
SELECT id FROM fwd
"""


def family_of(form_id: str) -> str:
    """Fallback family from a checklist id such as ``food.small_catering``."""
    head = form_id.split(".", 1)[0]
    return head if head in {f.value for f in Family} else ""


def _inspectors_json(inspectors: list[Inspector]) -> str:
    return json.dumps([asdict(i) for i in inspectors], ensure_ascii=False)


def inspection_params(record: Inspection, family: str) -> list[Any]:
    party = record.business
    return [
        record.id, record.version, record.previous_id, party.uscc, party.name, party.area,
        family or family_of(record.form_id), record.form_id, record.form_version, record.inspection_type.value,
        record.status.value, utc_iso(record.started_at), record.place, record.equipment_code,
        json.dumps(asdict(party), ensure_ascii=False), _inspectors_json(record.inspectors),
        json.dumps(record.attributes, ensure_ascii=False, sort_keys=True), record.handling,
        record.other_findings, record.accompanying, int(record.recusal_requested), record.created_by,
        record.device_id, record.on_spot_fix,
    ]  # fmt: skip


def detail_column(name: str) -> str:
    return "inspectors_json" if name == "inspectors" else name


def detail_value(name: str, value: Any) -> Any:
    if name == "inspectors":
        return _inspectors_json(list(value))
    if name == "recusal_requested":
        return int(bool(value))
    return value


def finalize_params(record: Inspection, canonical_json: str, content_hash: str) -> list[Any]:
    assert record.finalized_at is not None, "finalize needs finalized_at"
    return [
        record.verdict, record.handling, record.grade, record.score, record.document_no, record.device_id,
        utc_iso(record.finalized_at), content_hash, canonical_json, record.verdict_rule, record.on_spot_fix,
        record.id,
    ]  # fmt: skip


def _opt_time(text: str | None) -> Any:
    return parse_utc(text) if text else None


def inspection_from_row(row: tuple[Any, ...]) -> Inspection:
    (rid, version, previous_id, form_id, form_version, itype, status, started_at, place, equipment_code,
     party_json, inspectors_json, attributes_json, verdict, handling, grade, score, other_findings,
     accompanying, recusal, document_no, created_by, device_id, finalized_at, content_hash, verdict_rule,
     on_spot_fix) = row  # fmt: skip
    return Inspection(
        id=rid,
        business=PartySnapshot(**json.loads(party_json)),
        form_id=form_id,
        form_version=form_version,
        inspection_type=InspectionType(itype),
        inspectors=[Inspector(**i) for i in json.loads(inspectors_json)],
        started_at=parse_utc(started_at),
        place=place,
        status=RecordStatus(status),
        version=version,
        previous_id=previous_id,
        equipment_code=equipment_code,
        attributes=json.loads(attributes_json),
        verdict=verdict,
        verdict_rule=verdict_rule,
        handling=handling,
        on_spot_fix=on_spot_fix,
        grade=grade,
        score=score,
        other_findings=other_findings,
        accompanying=accompanying,
        recusal_requested=bool(recusal),
        document_no=document_no,
        created_by=created_by,
        device_id=device_id,
        finalized_at=_opt_time(finalized_at),
        content_hash=content_hash,
    )


def summary_from_row(row: tuple[Any, ...]) -> InspectionSummary:
    values = list(row)
    values[10] = RecordStatus(values[10])
    values[11] = parse_utc(values[11])
    values[19] = _opt_time(values[19])
    return InspectionSummary(*values)


def query_where(query: InspectionQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    simple = {
        "status": query.status.value if query.status else "",
        "area": query.area,
        "family": query.family,
        "verdict": query.verdict,
        "business_uscc": query.uscc,
        "created_by": query.created_by,
    }
    for column, value in simple.items():
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.form_prefix:
        clauses.append("substr(form_id, 1, ?) = ?")
        params += [len(query.form_prefix), query.form_prefix]
    if query.date_from is not None:
        clauses.append("started_at >= ?")
        params.append(utc_iso(query.date_from))
    if query.date_to is not None:
        clauses.append("started_at <= ?")
        params.append(utc_iso(query.date_to))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


# -- answers, photos, orders, signatures, attachments -----------------------------------------------------------

UPSERT_ANSWER = (
    "INSERT INTO answers (inspection_id, code, value, result, note, answered_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (inspection_id, code) DO UPDATE SET value = excluded.value, result = excluded.result, "
    "note = excluded.note, answered_at = excluded.answered_at"
)
UPSERT_ANSWER_KEEP_NOTE = (
    "INSERT INTO answers (inspection_id, code, value, result, answered_at) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (inspection_id, code) DO UPDATE SET value = excluded.value, result = excluded.result, "
    "answered_at = excluded.answered_at"
)
UPSERT_NOTE = (
    "INSERT INTO answers (inspection_id, code, note) VALUES (?, ?, ?) "
    "ON CONFLICT (inspection_id, code) DO UPDATE SET note = excluded.note"
)
INSERT_PHOTO = "INSERT INTO answer_photos (inspection_id, code, sha256, position) VALUES (?, ?, ?, ?)"
APPEND_PHOTO = (
    "INSERT INTO answer_photos (inspection_id, code, sha256, position) VALUES (?, ?, ?, "
    "(SELECT COALESCE(MAX(position) + 1, 0) FROM answer_photos WHERE inspection_id = ? AND code = ?)) "
    "ON CONFLICT DO NOTHING"
)
INSERT_ORDER = (
    "INSERT INTO orders (id, inspection_id, position, item_code, requirement, deadline, hazard_json) "
    "VALUES (?, ?, (SELECT COALESCE(MAX(position) + 1, 0) FROM orders WHERE inspection_id = ?), ?, ?, ?, ?)"
)
UPSERT_SIGNATURE = (
    "INSERT INTO signatures (inspection_id, position, role, signer_name, image_sha256, refused, refusal_reason, "
    "witness_name, signed_at) VALUES (?, (SELECT COALESCE(MAX(position) + 1, 0) FROM signatures "
    "WHERE inspection_id = ?), ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (inspection_id, role, signer_name) DO UPDATE SET image_sha256 = excluded.image_sha256, "
    "refused = excluded.refused, refusal_reason = excluded.refusal_reason, witness_name = excluded.witness_name, "
    "signed_at = excluded.signed_at"
)
SELECT_SIGNATURES = (
    "SELECT role, signer_name, image_sha256, refused, refusal_reason, witness_name, signed_at "
    "FROM signatures WHERE inspection_id = ?"
)
SELECT_ATTACHMENTS_OF = (
    "SELECT sha256, kind, mime, size, width, height, caption FROM attachments WHERE sha256 IN ("
    "SELECT sha256 FROM answer_photos WHERE inspection_id = ? "
    "UNION SELECT image_sha256 FROM signatures WHERE inspection_id = ? AND image_sha256 IS NOT NULL)"
)


def order_params(inspection_id: str, order: RectificationOrder) -> list[Any]:
    hazard = None
    if order.hazard is not None:
        fields = asdict(order.hazard) | {"deadline": order.hazard.deadline.isoformat()}
        hazard = json.dumps(fields, ensure_ascii=False, sort_keys=True)
    return [
        order.id, inspection_id, inspection_id, order.item_code, order.requirement,
        order.deadline.isoformat(), hazard,
    ]  # fmt: skip


def order_from_row(row: tuple[Any, ...]) -> RectificationOrder:
    oid, item_code, requirement, deadline, hazard_json = row
    hazard = None
    if hazard_json:
        data = json.loads(hazard_json)
        hazard = FiveImplementations(**(data | {"deadline": date.fromisoformat(data["deadline"])}))
    return RectificationOrder(oid, item_code, requirement, date.fromisoformat(deadline), hazard)


def signature_params(inspection_id: str, s: Signature) -> list[Any]:
    return [
        inspection_id, inspection_id, s.role.value, s.signer_name, s.image_sha256 or None, int(s.refused),
        s.refusal_reason, s.witness_name, utc_iso(s.signed_at) if s.signed_at else None,
    ]  # fmt: skip


def signature_from_row(row: tuple[Any, ...]) -> Signature:
    role, name, sha, refused, reason, witness, signed_at = row
    return Signature(SignerRole(role), name, sha or "", bool(refused), reason, witness, _opt_time(signed_at))


def attachment_from_row(row: tuple[Any, ...]) -> Attachment:
    return Attachment(*row)


# -- follow-ups ----------------------------------------------------------------------------------------------

SELECT_FOLLOWUP = (
    "SELECT id, inspection_id, order_id, uscc, business_name, item_code, requirement, due_date, status, "
    "done_inspection_id FROM followups"
)
INSERT_FOLLOWUP = (
    "INSERT INTO followups (id, inspection_id, order_id, uscc, business_name, item_code, requirement, due_date, "
    "status, done_inspection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def followup_params(f: FollowUp) -> list[Any]:
    return [
        f.id, f.inspection_id, f.order_id, f.uscc, f.business_name, f.item_code, f.requirement,
        f.due_date.isoformat(), f.status.value, f.done_inspection_id,
    ]  # fmt: skip


def followup_from_row(row: tuple[Any, ...]) -> FollowUp:
    values = list(row)
    values[7] = date.fromisoformat(values[7])
    values[8] = FollowUpStatus(values[8])
    return FollowUp(*values)


def followup_where(
    status: str | None, due_from: date | None, due_to: date | None, uscc: str
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for clause, value in (
        ("status = ?", status),
        ("due_date >= ?", due_from.isoformat() if due_from else None),
        ("due_date <= ?", due_to.isoformat() if due_to else None),
        ("uscc = ?", uscc or None),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
