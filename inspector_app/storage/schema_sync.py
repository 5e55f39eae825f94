"""Schema of migration 0008_sync: the laptop's side of sync with headquarters.

* ``seals`` — this device's chain of signed acts (``docs/sync-protocol.md`` §2.3), one row per sealed record or
  review decision, append-only. ``seq`` must be the next number (a trigger refuses gaps and reuse), so two acts
  can never share a position (a fork) even when two processes seal at once. The last row is "the last seal".
* ``outbox`` — what waits for HQ, one row per sealed act: its state (``pending`` → ``synced`` | ``conflict`` |
  ``failed``), attempts, last error, the earliest next automatic attempt, HQ's receipt, and when it was last
  written to a USB bundle. Kept apart from the record's status: an approved record cannot become "synced" under
  the lifecycle, but its outbox item can.
* ``sync_settings`` — small named values: the enrolment (with the device token — secret), HQ's address, the
  device's public key, the pull cursor, when the last run succeeded or failed.
* ``sync_received`` — records and decisions that came from HQ, with the seal and public key of the device that
  made them (kept so ``inspector verify`` can check them), decisions waiting for their record (``parked``) and
  items refused on arrival with the reason.

Frozen once shipped: add a migration instead of editing.
"""

from __future__ import annotations

import sqlite_utils

from inspector_app.storage.transactions import transaction

SEAL_FROZEN_MESSAGE = "设备签章链只能追加，已有签章不可修改或删除"
SEAL_ORDER_MESSAGE = "签章序号必须紧接上一个签章（签章链不能分叉或跳号）"

_STATEMENTS = [
    """CREATE TABLE seals (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        kind TEXT NOT NULL CHECK (kind IN ('record', 'review')),
        subject TEXT NOT NULL,
        item_id TEXT NOT NULL UNIQUE,
        digest TEXT NOT NULL CHECK (length(digest) = 64),
        hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
        seal_json TEXT NOT NULL,
        sealed_at TEXT NOT NULL
    )""",
    "CREATE INDEX seals_subject ON seals (subject, kind)",
    f"""CREATE TRIGGER seals_in_order BEFORE INSERT ON seals
    WHEN NEW.seq <> (SELECT COALESCE(MAX(seq), 0) + 1 FROM seals)
    BEGIN SELECT RAISE(ABORT, '{SEAL_ORDER_MESSAGE}'); END""",
    f"""CREATE TRIGGER seals_no_update BEFORE UPDATE ON seals
    BEGIN SELECT RAISE(ABORT, '{SEAL_FROZEN_MESSAGE}'); END""",
    f"""CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
    BEGIN SELECT RAISE(ABORT, '{SEAL_FROZEN_MESSAGE}'); END""",
    """CREATE TABLE outbox (
        item_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('record', 'decision')),
        record_id TEXT NOT NULL,
        seal_seq INTEGER NOT NULL UNIQUE REFERENCES seals (seq),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'synced', 'conflict', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        last_attempt_at TEXT,
        next_attempt_at TEXT,
        receipt_json TEXT NOT NULL DEFAULT '',
        synced_at TEXT,
        exported_at TEXT,
        exported_to TEXT NOT NULL DEFAULT '',
        CHECK (state <> 'synced' OR receipt_json <> '')
    )""",
    "CREATE INDEX outbox_state ON outbox (state, seal_seq)",
    "CREATE INDEX outbox_record ON outbox (record_id)",
    """CREATE TABLE sync_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE sync_received (
        item_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL CHECK (state IN ('applied', 'parked', 'refused')),
        device_id TEXT NOT NULL DEFAULT '',
        device_name TEXT NOT NULL DEFAULT '',
        device_key TEXT NOT NULL DEFAULT '',
        seal_json TEXT NOT NULL DEFAULT '',
        payload_json TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        feed_seq INTEGER,
        received_at TEXT NOT NULL
    )""",
    "CREATE INDEX sync_received_parked ON sync_received (record_id) WHERE state = 'parked'",
    "CREATE INDEX sync_received_state ON sync_received (state, received_at)",
]


def create(db: sqlite_utils.Database) -> None:
    """Create the sync tables, indexes and triggers."""
    with transaction(db.conn):
        for statement in _STATEMENTS:
            db.execute(statement)
