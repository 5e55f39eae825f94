"""Schema of migration ``0007_complaints_outcomes``: complaints (投诉举报) and what each 回头看 found.

``complaints`` records complaints about a business where the bureau records them: when received, through which
channel, a short summary (internal; never published), and the status after checking (待核查 / 经查属实 /
经查不属实). They feed the risk grade.

``followup_outcomes`` records, for a rectification order followed up by a 回头看 record, whether it was closed,
re-ordered or escalated, and by which record. It sits beside ``followups`` (migration 0002, whose status stays
``open``/``done``) and is written in the same transaction that finalizes the follow-up record. A corrected
version of that record may replace its own outcome; nothing else changes an outcome, and none is deleted.
Frozen once shipped: add a migration.
"""

from __future__ import annotations

import sqlite_utils

OUTCOME_FROZEN_MESSAGE = "回头看的整改复查结论不可删除；如需更正，请更正回头看记录（新版本）"

_STATEMENTS = [
    """CREATE TABLE complaints (
        id TEXT PRIMARY KEY CHECK (length(id) = 36),
        uscc TEXT NOT NULL,
        received_on TEXT NOT NULL,
        channel TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'substantiated', 'unfounded')),
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX complaints_uscc ON complaints (uscc, received_on)",
    "CREATE INDEX complaints_received ON complaints (received_on)",
    """CREATE TABLE followup_outcomes (
        followup_id TEXT PRIMARY KEY REFERENCES followups (id),
        outcome TEXT NOT NULL CHECK (outcome IN ('closed', 'reordered', 'escalated')),
        inspection_id TEXT NOT NULL REFERENCES inspections (id),
        decided_at TEXT NOT NULL
    )""",
    "CREATE INDEX followup_outcomes_kind ON followup_outcomes (outcome, decided_at)",
    f"""CREATE TRIGGER followup_outcomes_no_delete BEFORE DELETE ON followup_outcomes
    BEGIN SELECT RAISE(ABORT, '{OUTCOME_FROZEN_MESSAGE}'); END""",
]


def create(db: sqlite_utils.Database) -> None:
    """Create the complaints and follow-up outcome tables (one statement at a time: no implicit commit)."""
    for statement in _STATEMENTS:
        db.execute(statement)
