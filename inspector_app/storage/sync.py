"""The laptop's sync tables (schema_sync): the seal chain, the outbox, settings and items received from HQ.

A seal and its outbox item are written together (:meth:`SyncRepository.add_seal`), inside the caller's
transaction that finalizes the record or stores the decision, so an act is never sealed without being queued
nor stored without its seal. Outbox updates are single statements (each one commits on its own).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from inspector_app.core.clock import parse_utc
from inspector_app.core.errors import LifecycleError
from inspector_app.core.outbox import OutboxItem, OutboxKind, OutboxState, ReceivedProblem
from inspector_app.storage.db import StorageError
from inspector_app.storage.schema_sync import SEAL_FROZEN_MESSAGE, SEAL_ORDER_MESSAGE
from inspector_app.storage.transactions import transaction
from inspector_app.trust.seals import SignedSeal

_ITEM_COLUMNS = (
    "o.item_id, o.kind, o.record_id, o.seal_seq, o.state, o.attempts, o.last_error, o.last_attempt_at, "
    "o.next_attempt_at, o.synced_at, o.exported_at, o.exported_to, COALESCE(i.document_no, ''), "
    "COALESCE(i.business_name, ''), COALESCE(e.decision, '')"
)
_SELECT_ITEMS = (
    f"SELECT {_ITEM_COLUMNS} FROM outbox o LEFT JOIN inspections i ON i.id = o.record_id "
    "LEFT JOIN review_events e ON e.id = o.item_id AND o.kind = 'decision'"
)


def _time(text: str | None) -> Any:
    return parse_utc(text) if text else None


def _item(row: tuple[Any, ...]) -> OutboxItem:
    (item_id, kind, record_id, seq, state, attempts, error, attempted, next_at, synced, exported, exported_to,
     document_no, business_name, decision) = row  # fmt: skip
    return OutboxItem(
        item_id, OutboxKind(kind), record_id, seq, OutboxState(state), attempts, error, _time(attempted),
        _time(next_at), _time(synced), _time(exported), exported_to, document_no, business_name, decision,
    )  # fmt: skip


def _seal(text: str) -> SignedSeal:
    return SignedSeal.from_dict(json.loads(text))


class SyncRepository:
    """Reads and writes the sync tables; returns core and trust objects."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- settings ------------------------------------------------------------------------------------------

    def setting(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM sync_settings WHERE name = ?", [name]).fetchone()
        return None if row is None else str(row[0])

    def settings(self) -> dict[str, str]:
        return {str(n): str(v) for n, v in self.db.execute("SELECT name, value FROM sync_settings")}

    def set_settings(self, values: dict[str, str], now: str) -> None:
        """Write several settings in one transaction."""
        with transaction(self.db.conn):
            for name, value in values.items():
                self.db.execute(
                    "INSERT INTO sync_settings (name, value, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    [name, value, now],
                )

    def advance_cursor(self, cursor: str, now: str) -> None:
        """Keep the highest cursor applied (a second process applying an older page never moves it back)."""
        self.db.execute(
            "INSERT INTO sync_settings (name, value, updated_at) VALUES ('pull_cursor', ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at"
            " WHERE CAST(excluded.value AS INTEGER) > CAST(sync_settings.value AS INTEGER)",
            [cursor, now],
        )

    # -- seals -----------------------------------------------------------------------------------------------

    def last_seal(self) -> SignedSeal | None:
        row = self.db.execute("SELECT seal_json FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else _seal(row[0])

    def seal_of(self, item_id: str) -> SignedSeal | None:
        row = self.db.execute("SELECT seal_json FROM seals WHERE item_id = ?", [item_id]).fetchone()
        return None if row is None else _seal(row[0])

    def seals(self, after: int = 0, limit: int = 1000) -> list[SignedSeal]:
        """The chain in order (for ``inspector verify``)."""
        found = self.db.execute(
            "SELECT seal_json FROM seals WHERE seq > ? ORDER BY seq LIMIT ?", [after, limit]
        )
        return [_seal(r[0]) for r in found]

    def add_seal(self, signed: SignedSeal, item_id: str, kind: OutboxKind, now: str) -> None:
        """Append ``signed`` to the chain and queue its act for HQ (the caller's transaction)."""
        seal = signed.seal
        text = json.dumps(signed.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        try:
            with transaction(self.db.conn):
                self.db.execute(
                    "INSERT INTO seals (seq, kind, subject, item_id, digest, hash, seal_json, sealed_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [seal.seq, seal.kind.value, seal.subject, item_id, seal.digest, signed.hash, text, now],
                )
                self.db.execute(
                    "INSERT INTO outbox (item_id, kind, record_id, seal_seq) VALUES (?, ?, ?, ?)",
                    [item_id, kind.value, seal.subject, seal.seq],
                )
        except sqlite3.IntegrityError as exc:
            if str(exc) in (SEAL_ORDER_MESSAGE, SEAL_FROZEN_MESSAGE):
                raise LifecycleError(str(exc)) from exc
            raise StorageError(f"保存设备签章失败：{exc}") from exc

    def unsealed_acts(self, device_id: str) -> list[tuple[str, str, str]]:
        """This device's finalized records and local decisions without a seal, in the order they happened:
        ``(kind, item_id, record_id)`` with kind ``record`` or ``review`` (records made before sealing existed,
        or in a database restored from a backup older than the key)."""
        rows = self.db.execute(
            """SELECT 'record', id, id, finalized_at, 0, rowid FROM inspections
               WHERE status <> 'draft' AND device_id = :device
                 AND id NOT IN (SELECT item_id FROM seals WHERE kind = 'record')
               UNION ALL
               SELECT 'review', e.id, e.inspection_id, e.decided_at, 1, e.rowid FROM review_events e
               WHERE e.id NOT IN (SELECT item_id FROM seals WHERE kind = 'review')
                 AND e.id NOT IN (SELECT item_id FROM sync_received)
               ORDER BY 4, 5, 6""",
            {"device": device_id},
        )
        return [(str(k), str(i), str(r)) for k, i, r, *_order in rows]

    # -- outbox ------------------------------------------------------------------------------------------------

    def sealed_record(self, record_id: str) -> tuple[str, str]:
        """``(canonical_json, content_hash)`` stored when the record was finalized."""
        row = self.db.execute(
            "SELECT canonical_json, content_hash FROM inspections WHERE id = ?", [record_id]
        ).fetchone()
        if row is None or not row[0]:
            raise StorageError(f"找不到已定稿的检查记录 {record_id}")
        return str(row[0]), str(row[1])

    def due(self, now: str | None = None) -> list[OutboxItem]:
        """Pending items in seal order; with ``now``, only those whose next automatic attempt is due."""
        where = "WHERE o.state = 'pending'"
        params: list[Any] = []
        if now is not None:
            where += " AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)"
            params.append(now)
        return [_item(r) for r in self.db.execute(f"{_SELECT_ITEMS} {where} ORDER BY o.seal_seq", params)]

    def items(self, *, include_synced: bool = False, limit: int | None = None) -> list[OutboxItem]:
        """The queue for the 同步 page and ``sync status``: waiting items first, in seal order."""
        where = "" if include_synced else "WHERE o.state <> 'synced'"
        sql = f"{_SELECT_ITEMS} {where} ORDER BY o.state = 'synced', o.seal_seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [_item(r) for r in self.db.execute(sql)]

    def item(self, item_id: str) -> OutboxItem | None:
        row = self.db.execute(f"{_SELECT_ITEMS} WHERE o.item_id = ?", [item_id]).fetchone()
        return None if row is None else _item(row)

    def counts(self) -> dict[OutboxState, int]:
        found = dict(self.db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
        return {state: int(found.get(state.value, 0)) for state in OutboxState}

    def mark_synced(self, item_id: str, receipt_json: str, now: str) -> None:
        self.db.execute(
            "UPDATE outbox SET state = 'synced', receipt_json = ?, synced_at = ?, last_attempt_at = ?,"
            " attempts = attempts + 1, last_error = '', next_attempt_at = NULL WHERE item_id = ?",
            [receipt_json, now, now, item_id],
        )

    def mark_refused(self, item_id: str, state: OutboxState, error: str, now: str) -> None:
        """HQ refused the item (``conflict`` or ``failed``): no automatic retry."""
        self.db.execute(
            "UPDATE outbox SET state = ?, last_error = ?, last_attempt_at = ?, attempts = attempts + 1,"
            " next_attempt_at = NULL WHERE item_id = ? AND state <> 'synced'",
            [state.value, error, now, item_id],
        )

    def mark_retry(self, item_id: str, error: str, now: str, next_at: str) -> None:
        """Not done this time (network, HQ busy): stays pending, tried again from ``next_at``."""
        self.db.execute(
            "UPDATE outbox SET last_error = ?, last_attempt_at = ?, attempts = attempts + 1, next_attempt_at = ?"
            " WHERE item_id = ? AND state = 'pending'",
            [error, now, next_at, item_id],
        )

    def requeue(self, item_ids: Iterable[str] | None = None) -> int:
        """Put refused items (or the given ones) back to pending, due now; conflicts stay (never retried)."""
        sql = (
            "UPDATE outbox SET state = 'pending', next_attempt_at = NULL WHERE state IN ('failed', 'pending')"
        )
        params: list[Any] = []
        if item_ids is not None:
            ids = list(item_ids)
            sql += f" AND item_id IN ({','.join('?' * len(ids))})"
            params = ids
        return int(self.db.execute(sql, params).rowcount)

    def requeue_all(self) -> int:
        """Every item back to pending, receipts dropped (the laptop now syncs with another HQ)."""
        return int(
            self.db.execute(
                "UPDATE outbox SET state = 'pending', receipt_json = '', synced_at = NULL, attempts = 0,"
                " last_error = '', last_attempt_at = NULL, next_attempt_at = NULL, exported_at = NULL,"
                " exported_to = ''"
            ).rowcount
        )

    def mark_exported(self, item_ids: list[str], name: str, now: str) -> None:
        with transaction(self.db.conn):
            self.db.conn.executemany(
                "UPDATE outbox SET exported_at = ?, exported_to = ? WHERE item_id = ?",
                [(now, name, item_id) for item_id in item_ids],
            )

    # -- received from HQ ----------------------------------------------------------------------------------

    def received_state(self, item_id: str) -> str | None:
        row = self.db.execute("SELECT state FROM sync_received WHERE item_id = ?", [item_id]).fetchone()
        return None if row is None else str(row[0])

    def add_received(self, item_id: str, kind: str, state: str, now: str, **fields: Any) -> None:
        """Remember an item from HQ (``applied``, ``parked`` or ``refused``); a later state replaces it."""
        columns = ("record_id", "device_id", "device_name", "device_key", "seal_json", "payload_json", "error",
                   "feed_seq")  # fmt: skip
        unknown = set(fields) - set(columns)
        if unknown:
            raise ValueError(f"not a received column: {sorted(unknown)}")
        values = [fields.get(c, None if c == "feed_seq" else "") for c in columns]
        self.db.execute(
            f"INSERT INTO sync_received (item_id, kind, state, received_at, {', '.join(columns)})"
            f" VALUES (?, ?, ?, ?, {', '.join('?' * len(columns))})"
            " ON CONFLICT (item_id) DO UPDATE SET state = excluded.state, error = excluded.error,"
            " payload_json = excluded.payload_json, received_at = excluded.received_at",
            [item_id, kind, state, now, *values],
        )

    def parked_decisions(self) -> list[tuple[str, str, str]]:
        """Decisions waiting for their record, whose record is here now: ``(item_id, payload, device_key)``."""
        rows = self.db.execute(
            "SELECT r.item_id, r.payload_json, r.device_key FROM sync_received r"
            " JOIN inspections i ON i.id = r.record_id WHERE r.state = 'parked' ORDER BY r.feed_seq"
        )
        return [(str(a), str(b), str(c)) for a, b, c in rows]

    def problems(self, limit: int = 200) -> list[ReceivedProblem]:
        """Items refused on arrival and decisions still waiting for their record, newest first."""
        rows = self.db.execute(
            "SELECT item_id, kind, record_id, CASE state WHEN 'parked' THEN ? ELSE error END, received_at"
            " FROM sync_received WHERE state <> 'applied' ORDER BY received_at DESC LIMIT ?",
            ["审核决定对应的记录尚未收到，收到后自动生效", limit],
        )
        return [ReceivedProblem(str(a), str(b), str(c), str(d), parse_utc(e)) for a, b, c, d, e in rows]
