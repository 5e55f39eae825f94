"""The registry repository: businesses and their equipment, plus the indexed name/USCC/initials search.

Writes keep both name indexes (``business_fts`` and ``name_gram``) in step with names and initials. All search
paths are index lookups; :meth:`BusinessRepository.query_plans` exposes them for EXPLAIN checks.
"""

from __future__ import annotations

import builtins
import json
import sqlite3
import uuid
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import sqlite_utils

from inspector_app.core.registry import Business, BusinessKind, Equipment, EquipmentType, business_fields
from inspector_app.storage.search_sql import SearchStep, name_grams, search_steps
from inspector_app.storage.transactions import transaction

#: Business fields an upsert may set (``fields=`` limits an update to some of them).
BUSINESS_FIELDS = (
    "name",
    "kind",
    "address",
    "area",
    "responsible",
    "phone",
    "licence_no",
    "risk_grade",
    "credit_score",
    "attributes",
    "licensed_on",
)
_BATCH = 1000
#: Page cache while upserting: random inserts into the five indexes of a 300k-row table thrash the default
#: 2 MiB cache (a 300,000-row import spent ~40% less time in SQLite with 64 MiB). Restored afterwards.
_IMPORT_CACHE_KIB = 65536


class UpsertOutcome(StrEnum):
    """What an upsert did to one row."""

    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _to_columns(business: Business) -> dict[str, Any]:
    columns = business_fields(business)
    del columns["uscc"]  # the key, written apart
    columns["attributes"] = json.dumps(business.attributes, ensure_ascii=False, sort_keys=True)
    return columns


def _to_business(row: Any) -> Business:
    return Business(
        uscc=row["uscc"],
        name=row["name"],
        kind=BusinessKind(row["kind"]),
        address=row["address"],
        area=row["area"],
        responsible=row["responsible"],
        phone=row["phone"],
        licence_no=row["licence_no"],
        risk_grade=row["risk_grade"],
        credit_score=row["credit_score"],
        id=row["id"],
        attributes=json.loads(row["attributes"] or "{}"),
        licensed_on=date.fromisoformat(row["licensed_on"]) if row["licensed_on"] else None,
    )


def _to_equipment(row: Any) -> Equipment:
    return Equipment(
        code=row["code"],
        owner_uscc=row["owner_uscc"],
        type=EquipmentType(row["type"]),
        registration_no=row["registration_no"],
        next_inspection=date.fromisoformat(row["next_inspection"]) if row["next_inspection"] else None,
        location=row["location"],
        id=row["id"],
    )


def _batches(rows: Iterable[tuple[Business, str]]) -> Iterator[list[tuple[Business, str]]]:
    """Chunks of at most ``_BATCH`` rows in which no USCC repeats (a repeat starts a new chunk)."""
    batch: list[tuple[Business, str]] = []
    seen: set[str] = set()
    for item in rows:
        if len(batch) >= _BATCH or item[0].uscc in seen:
            yield batch
            batch, seen = [], set()
        batch.append(item)
        seen.add(item[0].uscc)
    if batch:
        yield batch


@contextmanager
def _page_cache(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    if before < 0 and -before >= kib:  # already at least as large
        yield
        return
    conn.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")


@dataclass
class _Pending:
    """Rows of one batch waiting to be written: table rows, and search-index entries to drop/add."""

    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    index_drop: list[tuple[int, str, str]] = field(default_factory=list)  # (rid, name, initials)
    index_add: list[tuple[int, str, str]] = field(default_factory=list)


class BusinessRepository:
    """Businesses (keyed by USCC) and equipment; returns core dataclasses."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.conn = db.conn

    # -- reads -------------------------------------------------------------------------------------------

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> builtins.list[dict[str, Any]]:
        cursor = self.conn.execute(sql, tuple(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def get(self, uscc: str) -> Business | None:
        rows = self._rows("SELECT * FROM businesses WHERE uscc = ?", [uscc])
        return _to_business(rows[0]) if rows else None

    def get_many(self, usccs: Iterable[str]) -> builtins.list[Business]:
        """Businesses for ``usccs`` in the order given (unknown codes are skipped)."""
        wanted = list(usccs)
        found: dict[str, Business] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"SELECT * FROM businesses WHERE uscc IN ({marks})", chunk):
                found[row["uscc"]] = _to_business(row)
        return [found[code] for code in wanted if code in found]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM businesses").fetchone()[0])

    def list(self, limit: int = 100, offset: int = 0) -> builtins.list[Business]:
        """Businesses ordered by name (then USCC)."""
        rows = self._rows(
            "SELECT * FROM businesses ORDER BY name, uscc LIMIT ? OFFSET ?", [max(limit, 0), max(offset, 0)]
        )
        return [_to_business(row) for row in rows]

    def initials_of(self, uscc: str) -> str | None:
        row = self.conn.execute("SELECT initials FROM businesses WHERE uscc = ?", [uscc]).fetchone()
        return row[0] if row else None

    # -- search ------------------------------------------------------------------------------------------

    def _search_rids(self, query: str, limit: int) -> builtins.list[int]:
        found: dict[int, None] = {}
        tier_done = -1
        for step in search_steps(query):
            if step.tier > tier_done and len(found) >= limit:
                break
            params = (*step.params, limit + len(found))
            for (rid,) in self.conn.execute(step.sql, params):
                found.setdefault(rid, None)
            tier_done = step.tier
        return list(found)[:limit]

    def search_usccs(self, query: str, limit: int = 50) -> builtins.list[str]:
        """USCCs of the best matches, best first (exact > prefix > substring; name, USCC, initials)."""
        rids = self._search_rids(query, limit)
        if not rids:
            return []
        marks = ",".join("?" * len(rids))
        by_rid = dict(self.conn.execute(f"SELECT rid, uscc FROM businesses WHERE rid IN ({marks})", rids))
        return [by_rid[rid] for rid in rids if rid in by_rid]

    def search(self, query: str, limit: int = 50) -> builtins.list[Business]:
        """The best matches as businesses, best first."""
        rids = self._search_rids(query, limit)
        if not rids:
            return []
        marks = ",".join("?" * len(rids))
        rows = {
            row["rid"]: row for row in self._rows(f"SELECT * FROM businesses WHERE rid IN ({marks})", rids)
        }
        return [_to_business(rows[rid]) for rid in rids if rid in rows]

    def query_plans(
        self, query: str, limit: int = 50
    ) -> builtins.list[tuple[SearchStep, builtins.list[str]]]:
        """``EXPLAIN QUERY PLAN`` details of every statement a search for ``query`` runs."""
        plans = []
        for step in search_steps(query):
            rows = self.conn.execute("EXPLAIN QUERY PLAN " + step.sql, (*step.params, limit)).fetchall()
            plans.append((step, [row[3] for row in rows]))
        return plans

    # -- writes ------------------------------------------------------------------------------------------

    def upsert_many(
        self,
        rows: Iterable[tuple[Business, str]],
        updated_at: str,
        fields: Collection[str] | None = None,
    ) -> builtins.list[UpsertOutcome]:
        """Insert or update ``(business, initials)`` pairs by USCC in one transaction.

        ``fields`` limits which columns an update overwrites (e.g. only the columns an import file has);
        a row whose stored values already equal the new ones is left alone and reported unchanged.
        """
        fields = BUSINESS_FIELDS if fields is None else tuple(f for f in BUSINESS_FIELDS if f in fields)
        outcomes: builtins.list[UpsertOutcome] = []
        with _page_cache(self.conn, _IMPORT_CACHE_KIB), transaction(self.conn):
            for batch in _batches(rows):
                outcomes.extend(self._upsert_batch(batch, updated_at, fields))
        return outcomes

    def upsert(self, business: Business, initials: str, updated_at: str) -> UpsertOutcome:
        return self.upsert_many([(business, initials)], updated_at)[0]

    def _next_rid(self) -> int:
        row = self.conn.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'businesses'), 0),"
            " coalesce((SELECT max(rid) FROM businesses), 0))"
        ).fetchone()
        return int(row[0]) + 1

    def _upsert_batch(
        self, batch: builtins.list[tuple[Business, str]], updated_at: str, fields: tuple[str, ...]
    ) -> builtins.list[UpsertOutcome]:
        marks = ",".join("?" * len(batch))
        usccs = [b.uscc for b, _ in batch]
        existing = {
            row["uscc"]: row for row in self._rows(f"SELECT * FROM businesses WHERE uscc IN ({marks})", usccs)
        }
        pending = _Pending()
        outcomes: builtins.list[UpsertOutcome] = []
        rid = self._next_rid()
        for business, initials in batch:
            new = _to_columns(business)
            old = existing.get(business.uscc)
            if old is None:
                values = [new[f] for f in BUSINESS_FIELDS]
                pending.inserts.append(
                    (rid, business.id or str(uuid.uuid4()), business.uscc, *values, initials, updated_at)
                )
                pending.index_add.append((rid, business.name, initials))
                outcomes.append(UpsertOutcome.IMPORTED)
                rid += 1
                continue
            changed = [f for f in fields if old[f] != new[f]]
            name = new["name"] if "name" in changed else old["name"]
            initials = initials if name == business.name else old["initials"]
            if not changed and old["initials"] == initials:
                outcomes.append(UpsertOutcome.UNCHANGED)
                continue
            merged = [new[f] if f in changed else old[f] for f in BUSINESS_FIELDS]
            stamp = updated_at if changed else old["updated_at"]
            pending.updates.append((*merged, initials, stamp, old["rid"]))
            if (name, initials) != (old["name"], old["initials"]):
                pending.index_drop.append((old["rid"], old["name"], old["initials"]))
                pending.index_add.append((old["rid"], name, initials))
            outcomes.append(UpsertOutcome.UPDATED if changed else UpsertOutcome.UNCHANGED)
        self._write(pending)
        return outcomes

    def _write(self, pending: _Pending) -> None:
        columns = ", ".join(BUSINESS_FIELDS)
        execute = self.conn.executemany
        if pending.inserts:
            marks = ",".join("?" * (len(BUSINESS_FIELDS) + 5))
            execute(
                f"INSERT INTO businesses (rid, id, uscc, {columns}, initials, updated_at) VALUES ({marks})",
                pending.inserts,
            )
        if pending.updates:
            sets = ", ".join(f"{f} = ?" for f in (*BUSINESS_FIELDS, "initials", "updated_at"))
            execute(f"UPDATE businesses SET {sets} WHERE rid = ?", pending.updates)
        if pending.index_drop:
            execute(
                "INSERT INTO business_fts (business_fts, rowid, name, initials) VALUES ('delete', ?, ?, ?)",
                pending.index_drop,
            )
            execute(
                "INSERT INTO name_gram (name_gram, rowid, grams) VALUES ('delete', ?, ?)",
                [(rid, name_grams(name)) for rid, name, _ in pending.index_drop],
            )
        if pending.index_add:
            execute("INSERT INTO business_fts (rowid, name, initials) VALUES (?, ?, ?)", pending.index_add)
            execute(
                "INSERT INTO name_gram (rowid, grams) VALUES (?, ?)",
                [(rid, name_grams(name)) for rid, name, _ in pending.index_add],
            )

    def rebuild_search_index(self) -> None:
        """Rebuild both name indexes from the table (repair after raw SQL edits; not needed otherwise)."""
        with transaction(self.conn):
            self.conn.execute("INSERT INTO business_fts (business_fts) VALUES ('rebuild')")
            self.conn.execute("INSERT INTO name_gram (name_gram) VALUES ('delete-all')")
            rows = self.conn.execute("SELECT rid, name FROM businesses").fetchall()
            self.conn.executemany(
                "INSERT INTO name_gram (rowid, grams) VALUES (?, ?)",
                [(rid, name_grams(name)) for rid, name in rows],
            )

    # -- equipment ---------------------------------------------------------------------------------------

    def equipment_of(self, uscc: str) -> builtins.list[Equipment]:
        rows = self._rows("SELECT * FROM equipment WHERE owner_uscc = ? ORDER BY code", [uscc])
        return [_to_equipment(row) for row in rows]

    def upsert_equipment(self, items: Iterable[Equipment]) -> int:
        """Insert or update equipment by code (the owner must be registered); returns how many were written."""
        rows = [
            (
                item.id or str(uuid.uuid4()),
                item.code,
                item.owner_uscc,
                str(item.type),
                item.registration_no,
                item.next_inspection.isoformat() if item.next_inspection else None,
                item.location,
            )
            for item in items
        ]
        with transaction(self.conn):
            self.conn.executemany(
                "INSERT INTO equipment (id, code, owner_uscc, type, registration_no, next_inspection, location)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET owner_uscc = excluded.owner_uscc,"
                " type = excluded.type, registration_no = excluded.registration_no,"
                " next_inspection = excluded.next_inspection, location = excluded.location",
                rows,
            )
        return len(rows)
