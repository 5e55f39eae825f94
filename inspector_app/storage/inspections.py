"""The inspection record repository: drafts autosaved answer by answer, finalization, status, lists.

Every write is small and committed at once (the autosave: one upsert per answer), so after a crash a draft
reopens exactly as it was left. Finalization writes the verdict, hash and canonical JSON in one transaction
with ``synchronous=FULL``. Immutability of finalized records is enforced by triggers (schema_inspections).
"""

from __future__ import annotations

import builtins
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any

import sqlite_utils

from inspector_app.core.checklist import Result
from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.errors import LifecycleError, NotFound
from inspector_app.core.lifecycle import RecordStatus, check_editable, check_transition
from inspector_app.core.records import Answer, Inspection, RectificationOrder, Signature
from inspector_app.core.records import content_hash as compute_hash
from inspector_app.core.summaries import FollowUp, InspectionQuery, InspectionSummary
from inspector_app.storage import inspection_sql as rows
from inspector_app.storage.db import StorageError
from inspector_app.storage.schema_inspections import FROZEN_MESSAGE, TRANSITION_MESSAGE
from inspector_app.storage.transactions import transaction

#: Header fields a draft may change after it was created.
DRAFT_DETAILS = (
    "place", "other_findings", "accompanying", "recusal_requested", "handling", "on_spot_fix", "inspectors",
)  # fmt: skip


@contextmanager
def translated_errors() -> Iterator[None]:
    """Trigger refusals become :class:`LifecycleError`; other constraint failures :class:`StorageError`."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        message = str(exc)
        if message in (FROZEN_MESSAGE, TRANSITION_MESSAGE):
            raise LifecycleError(message) from exc
        raise StorageError(f"保存检查记录失败：{message}") from exc


class InspectionRepository:
    """Reads and writes inspection records; returns core dataclasses."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- drafts -------------------------------------------------------------------------------------------

    def create(self, record: Inspection, family: str = "") -> None:
        """Insert a new draft with whatever answers, photos, orders and signatures it already carries."""
        check_editable(record.status)
        with translated_errors(), transaction(self.db.conn):
            self.db.execute(rows.INSERT_INSPECTION, rows.inspection_params(record, family))
            for answer in record.answers.values():
                self._upsert_answer(record.id, answer)
                for position, sha in enumerate(answer.photos):
                    self.db.execute(rows.INSERT_PHOTO, [record.id, answer.code, sha, position])
            for order in record.orders:
                self.db.execute(rows.INSERT_ORDER, rows.order_params(record.id, order))
            for signature in record.signatures:
                self.db.execute(rows.UPSERT_SIGNATURE, rows.signature_params(record.id, signature))

    def save_answer(self, inspection_id: str, answer: Answer, *, keep_note: bool = False) -> None:
        """The autosave: one upsert of value/result/note (``keep_note``: leave the stored note), committed
        at once; photos are kept."""
        with translated_errors():
            self._upsert_answer(inspection_id, answer, keep_note=keep_note)

    def _upsert_answer(self, inspection_id: str, answer: Answer, *, keep_note: bool = False) -> None:
        result = answer.result.value if answer.result else None
        answered_at = utc_iso(answer.answered_at) if answer.answered_at else None
        if keep_note:
            params = [inspection_id, answer.code, answer.value, result, answered_at]
            self.db.conn.execute(rows.UPSERT_ANSWER_KEEP_NOTE, params)
        else:
            params = [inspection_id, answer.code, answer.value, result, answer.note, answered_at]
            self.db.conn.execute(rows.UPSERT_ANSWER, params)

    def answer(self, inspection_id: str, code: str) -> Answer | None:
        """One stored answer as :meth:`load` reads it (value, result, note, photos, time); None if none."""
        return self._answers(inspection_id, code).get(code)

    def _answers(self, inspection_id: str, code: str | None = None) -> dict[str, Answer]:
        """The answers of a record (or its answer to ``code``), photos in their order."""
        where, params = "WHERE inspection_id = ?", [inspection_id]
        if code is not None:
            where, params = f"{where} AND code = ?", [inspection_id, code]
        answers: dict[str, Answer] = {}
        for item_code, value, result, note, answered_at in self.db.execute(
            f"SELECT code, value, result, note, answered_at FROM answers {where} ORDER BY code", params
        ):
            answers[item_code] = Answer(
                item_code,
                value,
                Result(result) if result else None,
                note,
                [],
                parse_utc(answered_at) if answered_at else None,
            )
        for item_code, sha in self.db.execute(
            f"SELECT code, sha256 FROM answer_photos {where} ORDER BY code, position", params
        ):
            answers.setdefault(item_code, Answer(item_code)).photos.append(sha)
        return answers

    def save_note(self, inspection_id: str, code: str, note: str) -> None:
        with translated_errors():
            self.db.conn.execute(rows.UPSERT_NOTE, [inspection_id, code, note])

    def add_photo(self, inspection_id: str, code: str, sha256: str) -> None:
        """Append a photo (by attachment hash) to an item's answer; adding the same photo twice is a no-op."""
        with translated_errors():
            self.db.execute(rows.APPEND_PHOTO, [inspection_id, code, sha256, inspection_id, code])

    def remove_photo(self, inspection_id: str, code: str, sha256: str) -> None:
        with translated_errors():
            self.db.execute(
                "DELETE FROM answer_photos WHERE inspection_id = ? AND code = ? AND sha256 = ?",
                [inspection_id, code, sha256],
            )

    def set_photos(self, inspection_id: str, code: str, shas: Sequence[str]) -> None:
        """Replace an item's photos with ``shas`` in this order (one transaction)."""
        with translated_errors(), transaction(self.db.conn):
            self.db.execute(
                "DELETE FROM answer_photos WHERE inspection_id = ? AND code = ?", [inspection_id, code]
            )
            for position, sha in enumerate(dict.fromkeys(shas)):
                self.db.execute(rows.INSERT_PHOTO, [inspection_id, code, sha, position])

    def add_order(self, inspection_id: str, order: RectificationOrder) -> None:
        with translated_errors():
            self.db.execute(rows.INSERT_ORDER, rows.order_params(inspection_id, order))

    def remove_order(self, inspection_id: str, order_id: str) -> None:
        with translated_errors():
            self.db.execute(
                "DELETE FROM orders WHERE inspection_id = ? AND id = ?", [inspection_id, order_id]
            )

    def save_signature(self, inspection_id: str, signature: Signature) -> None:
        """Add or replace a signature; the party has one signature (or refusal), replacing any earlier one."""
        with translated_errors(), transaction(self.db.conn):
            if signature.role.value == "party":
                self.db.execute(
                    "DELETE FROM signatures WHERE inspection_id = ? AND role = 'party'", [inspection_id]
                )
            self.db.execute(rows.UPSERT_SIGNATURE, rows.signature_params(inspection_id, signature))

    def remove_signature(self, inspection_id: str, role: str, signer_name: str) -> None:
        with translated_errors():
            self.db.execute(
                "DELETE FROM signatures WHERE inspection_id = ? AND role = ? AND signer_name = ?",
                [inspection_id, role, signer_name],
            )

    def update_details(self, inspection_id: str, **fields: Any) -> None:
        """Change header fields of a draft (see :data:`DRAFT_DETAILS`)."""
        unknown = set(fields) - set(DRAFT_DETAILS)
        if unknown:
            raise ValueError(f"not a draft detail: {sorted(unknown)}")
        if not fields:
            return
        values = {rows.detail_column(k): rows.detail_value(k, v) for k, v in fields.items()}
        assignments = ", ".join(f"{column} = ?" for column in values)
        with translated_errors():
            self.db.execute(
                f"UPDATE inspections SET {assignments} WHERE id = ?", [*values.values(), inspection_id]
            )

    def delete_draft(self, inspection_id: str) -> None:
        """Remove a draft and its parts (a finalized record cannot be deleted)."""
        with translated_errors(), transaction(self.db.conn):
            self.db.execute("DELETE FROM inspections WHERE id = ?", [inspection_id])

    # -- finalization and lifecycle ------------------------------------------------------------------------

    def next_document_no(self, prefix: str) -> str:
        """The next free ``PREFIX-000001`` style number (per device and year, zero-padded to 6 digits)."""
        row = self.db.execute(
            "SELECT MAX(document_no) FROM inspections WHERE document_no LIKE ? ESCAPE '\\'",
            [prefix.replace("%", "\\%").replace("_", "\\_") + "-%"],
        ).fetchone()
        last = int(row[0].rsplit("-", 1)[1]) if row and row[0] else 0
        return f"{prefix}-{last + 1:06d}"

    def finalize(
        self,
        record: Inspection,
        canonical_json: str,
        content_hash: str,
        followups: Sequence[FollowUp] = (),
        close_followups_of: str = "",
        outcomes: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Seal a draft in one durable transaction.

        Stores verdict/grade/handling, document number, hash and canonical JSON; creates the follow-ups and,
        when this visit is a 回头看, closes the business's open ones (``close_followups_of``) or — for a
        re-check of named orders — exactly those, recording each one's outcome (``outcomes``: follow-up id,
        closed/reordered/escalated). The hash is re-checked against the record as read back inside the
        transaction, so what is stored is exactly what was hashed. Open follow-ups of the version this one
        corrects are replaced by this version's.
        """
        if not self.db.conn.in_transaction:  # (inside one, e.g. the demo's, SQLite refuses the pragma)
            self.db.conn.execute("PRAGMA synchronous = FULL")
        with translated_errors(), transaction(self.db.conn):
            cursor = self.db.conn.execute(
                rows.FINALIZE, rows.finalize_params(record, canonical_json, content_hash)
            )
            if cursor.rowcount != 1:
                raise LifecycleError("只有草稿可以定稿；该记录已定稿或不存在")
            if compute_hash(self.load(record.id)) != content_hash:
                raise StorageError("定稿校验失败：保存的内容与计算哈希的内容不一致，记录保持为草稿，请重试")
            for followup in followups:
                self.db.execute(rows.INSERT_FOLLOWUP, rows.followup_params(followup))
            if record.previous_id:  # the new version's orders replace the old version's open ones
                self.db.execute(
                    "DELETE FROM followups WHERE inspection_id = ? AND status = 'open'", [record.previous_id]
                )
            if close_followups_of:
                self.db.execute(
                    "UPDATE followups SET status = 'done', done_inspection_id = ? WHERE uscc = ? AND status = 'open'",
                    [record.id, close_followups_of],
                )
            for followup_id, outcome in outcomes:
                self._record_outcome(record, followup_id, outcome)

    def _record_outcome(self, record: Inspection, followup_id: str, outcome: str) -> None:
        """Close one followed-up order with its outcome; a correction of the deciding record may re-decide."""
        cursor = self.db.execute(
            "UPDATE followups SET status = 'done', done_inspection_id = ? WHERE id = ?"
            " AND (status = 'open' OR (done_inspection_id <> '' AND done_inspection_id = ?))",
            [record.id, followup_id, record.previous_id],
        )
        if cursor.rowcount == 1:
            self.db.execute(
                "INSERT INTO followup_outcomes (followup_id, outcome, inspection_id, decided_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (followup_id) DO UPDATE SET outcome = excluded.outcome,"
                " inspection_id = excluded.inspection_id, decided_at = excluded.decided_at",
                [followup_id, outcome, record.id, utc_iso(record.finalized_at or record.started_at)],
            )

    def insert_received(self, record: Inspection, canonical_json: str, content_hash: str) -> None:
        """Store a finalized record made on another device (its seal verified by the caller) as ``synced``.

        It goes in as a draft with all its parts and is then finalized and moved on in the same transaction,
        so the triggers guard it exactly like a record finalized here; the hash is re-checked against the
        record as read back. Its attachments must be stored first. No follow-ups are created: the 回头看 tasks
        belong to the laptop that made the record.
        """
        draft = replace(record, status=RecordStatus.DRAFT)
        with translated_errors(), transaction(self.db.conn):
            self.create(draft)
            self.db.conn.execute(rows.FINALIZE, rows.finalize_params(record, canonical_json, content_hash))
            if compute_hash(self.load(record.id)) != content_hash:
                raise StorageError(f"收到的记录 {record.document_no} 保存后与其哈希不符，未保存")
            self.db.execute("UPDATE inspections SET status = 'synced' WHERE id = ?", [record.id])

    def set_status(self, inspection_id: str, new: RecordStatus) -> None:
        """Move a record along the lifecycle (checked in core first, then by the triggers)."""
        check_transition(self.summary(inspection_id).status, new)
        with translated_errors():
            self.db.execute("UPDATE inspections SET status = ? WHERE id = ?", [new.value, inspection_id])

    # -- reads ---------------------------------------------------------------------------------------------

    def exists(self, inspection_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM inspections WHERE id = ?", [inspection_id]).fetchone() is not None
        )

    def summary(self, inspection_id: str) -> InspectionSummary:
        row = self.db.execute(f"{rows.SELECT_SUMMARY} WHERE id = ?", [inspection_id]).fetchone()
        if row is None:
            raise NotFound(f"找不到检查记录 {inspection_id}")
        return rows.summary_from_row(row)

    def load(self, inspection_id: str) -> Inspection:
        """The full record: header, answers with photos, orders, signatures and attachment metadata."""
        row = self.db.execute(f"{rows.SELECT_FULL} WHERE id = ?", [inspection_id]).fetchone()
        if row is None:
            raise NotFound(f"找不到检查记录 {inspection_id}")
        record = rows.inspection_from_row(row)
        record.answers = self._answers(inspection_id)
        record.orders = [
            rows.order_from_row(r)
            for r in self.db.execute(
                "SELECT id, item_code, requirement, deadline, hazard_json FROM orders"
                " WHERE inspection_id = ? ORDER BY position, id",
                [inspection_id],
            )
        ]
        record.signatures = [
            rows.signature_from_row(r)
            for r in self.db.execute(f"{rows.SELECT_SIGNATURES} ORDER BY position", [inspection_id])
        ]
        record.attachments = self._attachments_of(inspection_id)
        return record

    def _attachments_of(self, inspection_id: str) -> dict[str, Any]:
        found = self.db.execute(rows.SELECT_ATTACHMENTS_OF, [inspection_id, inspection_id]).fetchall()
        return {r[0]: rows.attachment_from_row(r) for r in found}

    def canonical_json(self, inspection_id: str) -> str:
        """The exact canonical JSON stored at finalization ('' for drafts)."""
        row = self.db.execute(
            "SELECT canonical_json FROM inspections WHERE id = ?", [inspection_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"找不到检查记录 {inspection_id}")
        return str(row[0])

    def list(self, query: InspectionQuery | None = None) -> builtins.list[InspectionSummary]:
        query = query or InspectionQuery()
        where, params = rows.query_where(query)
        sql = f"{rows.SELECT_SUMMARY} {where} ORDER BY started_at DESC, id"
        if query.limit is not None:
            sql += " LIMIT ?"
            params.append(query.limit)
        return [rows.summary_from_row(r) for r in self.db.execute(sql, params)]

    def drafts(self, created_by: str) -> builtins.list[InspectionSummary]:
        return self.list(InspectionQuery(status=RecordStatus.DRAFT, created_by=created_by))

    def successor(self, inspection_id: str) -> str | None:
        """The id of the newer version made from this record, if any."""
        row = self.db.execute("SELECT id FROM inspections WHERE previous_id = ?", [inspection_id]).fetchone()
        return None if row is None else str(row[0])

    def versions(self, inspection_id: str) -> builtins.list[InspectionSummary]:
        """Every version of the record's chain, oldest first."""
        found = self.db.execute(rows.VERSION_CHAIN, [inspection_id]).fetchall()
        if not found:
            raise NotFound(f"找不到检查记录 {inspection_id}")
        ids = [r[0] for r in found]
        marks = ",".join("?" * len(ids))
        summaries = [
            rows.summary_from_row(r)
            for r in self.db.execute(f"{rows.SELECT_SUMMARY} WHERE id IN ({marks})", ids)
        ]
        return sorted(summaries, key=lambda s: s.version)

    # -- follow-ups ----------------------------------------------------------------------------------------

    def followups(
        self,
        *,
        status: str | None = "open",
        due_from: date | None = None,
        due_to: date | None = None,
        uscc: str = "",
    ) -> builtins.list[FollowUp]:
        clauses, params = rows.followup_where(status, due_from, due_to, uscc)
        sql = f"{rows.SELECT_FOLLOWUP} {clauses} ORDER BY due_date, uscc, id"
        return [rows.followup_from_row(r) for r in self.db.execute(sql, params)]

    def complete_followup(self, followup_id: str, done_inspection_id: str) -> None:
        self.db.execute(
            "UPDATE followups SET status = 'done', done_inspection_id = ? WHERE id = ?",
            [done_inspection_id, followup_id],
        )
