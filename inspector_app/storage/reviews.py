"""Review events (审核记录) and the review read models: the queue and the records returned to an inspector.

A decision is stored as an append-only ``review_events`` row and moves the record's status in the SAME
transaction, so a record is never approved/returned without its event, nor an event stored for a record that
did not move. The triggers of both tables guard the rules again in SQL.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import sqlite_utils

from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.errors import LifecycleError, NotFound
from inspector_app.core.lifecycle import REVIEWABLE, RecordStatus
from inspector_app.core.reviews import Decision, QueueItem, ReturnedRecord, ReviewEvent
from inspector_app.storage import inspection_sql as rows
from inspector_app.storage.db import StorageError
from inspector_app.storage.schema_inspections import FROZEN_MESSAGE, TRANSITION_MESSAGE
from inspector_app.storage.schema_reviews import EVENT_FROZEN_MESSAGE
from inspector_app.storage.transactions import transaction

_REVIEWABLE_SQL = ", ".join(f"'{s.value}'" for s in sorted(REVIEWABLE))

_SELECT_EVENTS = (
    "SELECT id, inspection_id, decision, actor_id, actor_name, comment, decided_at FROM review_events"
)

#: The latest return comment of the version a record corrects ('' for a first version).
_PREVIOUS_COMMENT = (
    "(SELECT e.comment FROM review_events e WHERE e.inspection_id = inspections.previous_id"
    " AND e.decision = 'returned' ORDER BY e.decided_at DESC, e.rowid DESC LIMIT 1)"
)

_SELECT_QUEUE = rows.SELECT_SUMMARY.replace(
    " FROM inspections", f", inspectors_json, {_PREVIOUS_COMMENT} FROM inspections"
) + (f" WHERE status IN ({_REVIEWABLE_SQL}) ORDER BY COALESCE(finalized_at, started_at), started_at, id")

_SELECT_RETURNED = """
SELECT i.id, i.version, i.business_name, i.business_uscc, i.form_id, i.started_at,
       e.comment, e.actor_name, e.decided_at, COALESCE(s.id, '')
FROM inspections i
JOIN review_events e ON e.id = (
    SELECT x.id FROM review_events x WHERE x.inspection_id = i.id AND x.decision = 'returned'
    ORDER BY x.decided_at DESC, x.rowid DESC LIMIT 1)
LEFT JOIN inspections s ON s.previous_id = i.id
WHERE i.status = 'returned'
  AND (s.id IS NULL OR s.status = 'draft')
  AND (i.created_by = :user_id OR EXISTS (
        SELECT 1 FROM json_each(i.inspectors_json) j
        WHERE json_extract(j.value, '$.user_id') = :user_id
           OR (COALESCE(json_extract(j.value, '$.user_id'), '') = '' AND json_extract(j.value, '$.name') = :name)))
ORDER BY e.decided_at DESC, i.id
"""


def _translated(exc: sqlite3.IntegrityError) -> Exception:
    message = str(exc)
    if message in (FROZEN_MESSAGE, TRANSITION_MESSAGE, EVENT_FROZEN_MESSAGE):
        return LifecycleError(message)
    return StorageError(f"保存审核记录失败：{message}")


def _event_from_row(row: tuple[Any, ...]) -> ReviewEvent:
    eid, inspection_id, decision, actor_id, actor_name, comment, decided_at = row
    return ReviewEvent(
        eid, inspection_id, Decision(decision), actor_id, actor_name, comment, parse_utc(decided_at)
    )


def _queue_item_from_row(row: tuple[Any, ...]) -> QueueItem:
    summary = rows.summary_from_row(row[:20])
    inspectors = json.loads(row[20] or "[]")
    return QueueItem(
        summary=summary,
        inspector_names=tuple(str(i.get("name", "")) for i in inspectors),
        inspector_ids=tuple(str(i.get("user_id", "")) for i in inspectors if i.get("user_id")),
        previous_comment=row[21] or "",
    )


class ReviewRepository:
    """Stores review decisions and answers the queue / returned-records questions."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add_event(self, event: ReviewEvent) -> None:
        """Store ``event`` and move its record to the decided status, in one transaction.

        Raises :class:`NotFound` for an unknown record and :class:`LifecycleError` when the record is not
        awaiting review (already decided, still a draft, …); nothing is written then.
        """
        new_status = event.decision.status
        try:
            with transaction(self.db.conn):
                current = self._status(event.inspection_id)
                if current not in REVIEWABLE:
                    raise LifecycleError(
                        f"记录当前为“{current.label}”，不在待审核状态，不能{event.decision.label}"
                    )
                self.db.execute(
                    f"UPDATE inspections SET status = ? WHERE id = ? AND status IN ({_REVIEWABLE_SQL})",
                    [new_status.value, event.inspection_id],
                )
                self._insert(event)
        except sqlite3.IntegrityError as exc:
            raise _translated(exc) from exc

    def add_received_event(self, event: ReviewEvent) -> str:
        """Store a decision made on another laptop, as HQ forwarded it (idempotent by its id).

        Returns ``duplicate`` (already stored), ``applied`` (stored and the record moved to the decided status)
        or ``kept`` (stored for the record's history; the record had already left review here, e.g. decided
        on this laptop too). Raises :class:`NotFound` when the record is not on this laptop.
        """
        try:
            with transaction(self.db.conn):
                if self.db.execute("SELECT 1 FROM review_events WHERE id = ?", [event.id]).fetchone():
                    return "duplicate"
                applied = self._status(event.inspection_id) in REVIEWABLE
                if applied:
                    self.db.execute(
                        "UPDATE inspections SET status = ? WHERE id = ?",
                        [event.decision.status.value, event.inspection_id],
                    )
                self._insert(event)
        except sqlite3.IntegrityError as exc:
            raise _translated(exc) from exc
        return "applied" if applied else "kept"

    def _insert(self, event: ReviewEvent) -> None:
        self.db.execute(
            "INSERT INTO review_events (id, inspection_id, decision, actor_id, actor_name, comment,"
            " decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                event.id,
                event.inspection_id,
                event.decision.value,
                event.actor_id,
                event.actor_name,
                event.comment,
                utc_iso(event.decided_at),
            ],
        )

    def _status(self, inspection_id: str) -> RecordStatus:
        row = self.db.execute("SELECT status FROM inspections WHERE id = ?", [inspection_id]).fetchone()
        if row is None:
            raise NotFound(f"找不到检查记录 {inspection_id}")
        return RecordStatus(row[0])

    def events_for(self, inspection_id: str) -> list[ReviewEvent]:
        """Every decision on one record version, oldest first."""
        found = self.db.execute(
            f"{_SELECT_EVENTS} WHERE inspection_id = ? ORDER BY decided_at, rowid", [inspection_id]
        )
        return [_event_from_row(r) for r in found]

    def events_for_many(self, inspection_ids: list[str]) -> list[ReviewEvent]:
        """Decisions on several records (e.g. every version of a chain), oldest first."""
        if not inspection_ids:
            return []
        marks = ",".join("?" * len(inspection_ids))
        found = self.db.execute(
            f"{_SELECT_EVENTS} WHERE inspection_id IN ({marks}) ORDER BY decided_at, rowid", inspection_ids
        )
        return [_event_from_row(r) for r in found]

    def queue(self) -> list[QueueItem]:
        """Records awaiting review (finalized or synced), oldest finalization first."""
        return [_queue_item_from_row(r) for r in self.db.execute(_SELECT_QUEUE)]

    def returned_for(self, user_id: str, name: str = "") -> list[ReturnedRecord]:
        """Returned records of an inspector (creator, or listed inspector by user id — or by name for entries
        without a user id) whose correction has not been finalized yet; newest return first."""
        params = {"user_id": user_id or "\x00no-user", "name": name or "\x00no-name"}
        return [
            ReturnedRecord(
                inspection_id=r[0],
                version=r[1],
                business_name=r[2],
                uscc=r[3],
                form_id=r[4],
                started_at=parse_utc(r[5]),
                comment=r[6],
                returned_by=r[7],
                returned_at=parse_utc(r[8]),
                successor_id=r[9],
            )
            for r in self.db.execute(_SELECT_RETURNED, params)
        ]

    def next_in_sequence(self, prefix: str) -> int:
        """Issue the next number of the ``prefix`` sequence (1, 2, …); never reissues a number."""
        with transaction(self.db.conn):
            self.db.execute(
                "INSERT INTO document_sequences (prefix, last_value) VALUES (?, 1)"
                " ON CONFLICT (prefix) DO UPDATE SET last_value = last_value + 1",
                [prefix],
            )
            row = self.db.execute(
                "SELECT last_value FROM document_sequences WHERE prefix = ?", [prefix]
            ).fetchone()
        return int(row[0])
