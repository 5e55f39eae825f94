"""Schema of migration 0004: supervisor review events (append-only) and per-prefix document sequences.

``review_events`` records every decision on a record — who, when, approve or return, and the comment — as a
row that is never changed or deleted (SQL triggers refuse it). The record itself is never edited by a review:
only its status moves (finalized/synced → approved/returned), in the same transaction as the event.

``document_sequences`` keeps the last number issued per 文书编号 prefix (device + year), so numbers can be
issued offline without scanning the records. Frozen once shipped: add a migration instead of editing.
"""

from __future__ import annotations

import sqlite_utils

EVENT_FROZEN_MESSAGE = "审核记录一经写入不可修改或删除；如需改变结论，请追加新的审核记录"

_STATEMENTS = [
    """CREATE TABLE review_events (
        id TEXT PRIMARY KEY CHECK (length(id) = 36),
        inspection_id TEXT NOT NULL REFERENCES inspections (id),
        decision TEXT NOT NULL CHECK (decision IN ('approved', 'returned')),
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL DEFAULT '',
        comment TEXT NOT NULL DEFAULT '',
        decided_at TEXT NOT NULL,
        CHECK (decision <> 'returned' OR length(trim(comment)) > 0)
    )""",
    "CREATE INDEX review_events_inspection ON review_events (inspection_id, decided_at)",
    f"""CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
    BEGIN SELECT RAISE(ABORT, '{EVENT_FROZEN_MESSAGE}'); END""",
    f"""CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
    BEGIN SELECT RAISE(ABORT, '{EVENT_FROZEN_MESSAGE}'); END""",
    """CREATE TABLE document_sequences (
        prefix TEXT PRIMARY KEY,
        last_value INTEGER NOT NULL DEFAULT 0 CHECK (last_value >= 0)
    )""",
]


def create(db: sqlite_utils.Database) -> None:
    """Create the reviews tables, indexes and triggers."""
    # One statement at a time: executescript() would commit the migration's transaction.
    for statement in _STATEMENTS:
        db.execute(statement)
