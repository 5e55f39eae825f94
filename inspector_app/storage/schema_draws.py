"""Schema of migration ``0006_draws``: confirmed 双随机 draws, their targets and assignments, the registry
snapshots they were drawn from, and declared conflicts of interest (frozen once shipped: add a migration).

A confirmed draw is a published record: ``draws``, ``draw_targets``, ``assignments`` and ``draw_snapshots`` refuse
updates and deletes (SQL triggers), like review events. ``draws.result_json`` holds the canonical result bytes
(see docs/DRAWS.md); ``draw_targets`` keeps the registry's name/area/kind/grade of each target as they were when
the draw was confirmed, for lists and 公开 exports. ``draw_snapshots`` keeps each snapshot once (gzip, keyed by its
SHA-256, the published registry hash) so a draw stays verifiable after the registry changes.

Conflicts of interest are declared and withdrawn, never deleted: a withdrawal stamps ``withdrawn_at``.
The expression index on ``inspections`` finds the visits of a draw by the ``draw_id`` in their attributes.
"""

from __future__ import annotations

import sqlite_utils

DRAW_FROZEN_MESSAGE = "已确认的抽查结果不可修改或删除；如需重新抽取，请另行抽取并说明理由"

_FROZEN_TABLES = ("draws", "draw_targets", "assignments", "draw_snapshots")

_STATEMENTS = [
    """CREATE TABLE draws (
        id TEXT PRIMARY KEY CHECK (length(id) = 36),
        title TEXT NOT NULL DEFAULT '',
        seed TEXT NOT NULL,
        registry_hash TEXT NOT NULL CHECK (length(registry_hash) = 64),
        result_sha256 TEXT NOT NULL CHECK (length(result_sha256) = 64),
        result_json TEXT NOT NULL,
        window_from TEXT,
        window_to TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'imported'))
    )""",
    "CREATE INDEX draws_created ON draws (created_at)",
    """CREATE TABLE draw_targets (
        draw_id TEXT NOT NULL REFERENCES draws (id),
        position INTEGER NOT NULL CHECK (position >= 1),
        uscc TEXT NOT NULL,
        business_name TEXT NOT NULL DEFAULT '',
        area TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT '',
        risk_grade TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (draw_id, uscc),
        UNIQUE (draw_id, position)
    ) WITHOUT ROWID""",
    "CREATE INDEX draw_targets_uscc ON draw_targets (uscc)",
    """CREATE TABLE assignments (
        draw_id TEXT NOT NULL,
        uscc TEXT NOT NULL,
        inspector_id TEXT NOT NULL,
        position INTEGER NOT NULL CHECK (position >= 0),
        due_date TEXT,
        PRIMARY KEY (draw_id, uscc, inspector_id),
        FOREIGN KEY (draw_id, uscc) REFERENCES draw_targets (draw_id, uscc)
    ) WITHOUT ROWID""",
    "CREATE INDEX assignments_inspector ON assignments (inspector_id, due_date)",
    """CREATE TABLE draw_snapshots (
        registry_hash TEXT PRIMARY KEY CHECK (length(registry_hash) = 64),
        rows INTEGER NOT NULL,
        gzip BLOB NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE conflicts (
        id TEXT PRIMARY KEY CHECK (length(id) = 36),
        inspector_id TEXT NOT NULL,
        uscc TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        declared_by TEXT NOT NULL,
        declared_at TEXT NOT NULL,
        withdrawn_at TEXT,
        withdrawn_by TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE UNIQUE INDEX conflicts_active ON conflicts (inspector_id, uscc) WHERE withdrawn_at IS NULL",
    """CREATE INDEX inspections_draw ON inspections (json_extract(attributes_json, '$.draw_id'), business_uscc)
       WHERE json_extract(attributes_json, '$.draw_id') IS NOT NULL""",
]


def _frozen(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{DRAW_FROZEN_MESSAGE}'); END""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{DRAW_FROZEN_MESSAGE}'); END""",
    ]


def create(db: sqlite_utils.Database) -> None:
    """Create the draw tables, indexes and triggers (one statement at a time: no implicit commit)."""
    for statement in _STATEMENTS + [s for table in _FROZEN_TABLES for s in _frozen(table)]:
        db.execute(statement)
