"""Repository of confirmed draws, their targets and assignments, registry snapshots and conflicts of interest.

A draw is written once, in one transaction, with its targets, one assignment per target and inspector, and the
snapshot it was drawn from (gzip, stored once per registry hash). The schema's triggers refuse any later change.
Visits of a draw are found through the ``draw_id`` in the inspections' attributes (expression index).
"""

from __future__ import annotations

import builtins
import gzip
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlite_utils

from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.draw_document import DrawDocument
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.planning import (
    Assignment,
    ConflictDeclaration,
    DrawnVisit,
    DrawTargetInfo,
    StoredDraw,
)
from inspector_app.storage.db import StorageError
from inspector_app.storage.transactions import transaction

_DRAW_COLUMNS = (
    "d.id, d.title, d.seed, d.registry_hash, d.result_sha256, d.created_at, d.created_by, d.window_from, "
    "d.window_to, (SELECT count(*) FROM draw_targets t WHERE t.draw_id = d.id), d.origin"
)
_TARGET_COLUMNS = "t.draw_id, t.position, t.uscc, t.business_name, t.area, t.kind, t.risk_grade"
_CONFLICT_COLUMNS = "id, inspector_id, uscc, reason, declared_by, declared_at, withdrawn_at"
#: The newest inspection per (draw, business) among those carrying a draw id.
_VISITS = """
SELECT draw_id, business_uscc, id, status, verdict, handling, document_no, started_at FROM (
  SELECT json_extract(attributes_json, '$.draw_id') AS draw_id, business_uscc, id, status, verdict, handling,
         document_no, started_at,
         row_number() OVER (PARTITION BY json_extract(attributes_json, '$.draw_id'), business_uscc
                            ORDER BY status = 'draft', started_at DESC, version DESC) AS rank
  FROM inspections
  WHERE json_extract(attributes_json, '$.draw_id') IN ({marks}))
WHERE rank = 1
"""


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _draw(row: Sequence[Any]) -> StoredDraw:
    return StoredDraw(
        id=row[0],
        title=row[1],
        seed=row[2],
        registry_hash=row[3],
        result_sha256=row[4],
        created_at=parse_utc(row[5]),
        created_by=row[6],
        window_from=_day(row[7]),
        window_to=_day(row[8]),
        targets=row[9],
        origin=row[10],
    )


def _target(row: Sequence[Any]) -> DrawTargetInfo:
    return DrawTargetInfo(*row[:7])


def _conflict(row: Sequence[Any]) -> ConflictDeclaration:
    return ConflictDeclaration(
        row[0], row[1], row[2], row[3], row[4], parse_utc(row[5]), parse_utc(row[6]) if row[6] else None
    )


class DrawRepository:
    """Reads and writes draws; returns core read models (:mod:`inspector_app.core.planning`)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- draws ----------------------------------------------------------------------------------------------

    def exists(self, draw_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM draws WHERE id = ?", [draw_id]).fetchone() is not None

    def save(
        self,
        document: DrawDocument,
        targets: Sequence[DrawTargetInfo],
        snapshot: bytes | None,
        *,
        snapshot_rows: int = 0,
        origin: str = "local",
    ) -> None:
        """Store a confirmed draw with its targets, assignments and (if given) snapshot, all or nothing."""
        result = document.result
        params = result.params
        teams = {t.uscc: t.inspectors for t in result.targets}
        try:
            with transaction(self.db.conn):
                self.db.execute(
                    "INSERT INTO draws (id, title, seed, registry_hash, result_sha256, result_json, window_from,"
                    " window_to, created_at, created_by, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        document.id, params.title, result.seed, result.registry_hash, result.sha256,
                        result.canonical_bytes().decode("utf-8"), params.window_from, params.window_to,
                        utc_iso(document.created_at), document.created_by, origin,
                    ],
                )  # fmt: skip
                for target in targets:
                    self.db.execute(
                        f"INSERT INTO draw_targets ({_TARGET_COLUMNS.replace('t.', '')}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [document.id, target.position, target.uscc, target.business_name, target.area,
                         target.kind, target.risk_grade],
                    )  # fmt: skip
                    for position, inspector in enumerate(teams[target.uscc]):
                        self.db.execute(
                            "INSERT INTO assignments (draw_id, uscc, inspector_id, position, due_date)"
                            " VALUES (?, ?, ?, ?, ?)",
                            [document.id, target.uscc, inspector, position, params.window_to],
                        )
                if snapshot is not None:
                    self.save_snapshot(result.registry_hash, snapshot, snapshot_rows, document.created_at)
        except sqlite3.IntegrityError as exc:
            raise StorageError(f"保存抽查结果失败：{exc}") from exc

    def save_snapshot(self, registry_hash: str, data: bytes, rows: int, when: Any) -> None:
        """Keep a snapshot once per hash (gzip with a zero mtime: the same bytes give the same blob)."""
        self.db.execute(
            "INSERT OR IGNORE INTO draw_snapshots (registry_hash, rows, gzip, created_at) VALUES (?, ?, ?, ?)",
            [registry_hash, rows, gzip.compress(data, 6, mtime=0), utc_iso(when)],
        )

    def snapshot(self, registry_hash: str) -> bytes | None:
        row = self.db.execute(
            "SELECT gzip FROM draw_snapshots WHERE registry_hash = ?", [registry_hash]
        ).fetchone()
        return None if row is None else gzip.decompress(row[0])

    def get(self, draw_id: str) -> StoredDraw:
        row = self.db.execute(f"SELECT {_DRAW_COLUMNS} FROM draws d WHERE d.id = ?", [draw_id]).fetchone()
        if row is None:
            raise NotFound(f"找不到抽查 {draw_id}；用 inspector draw list 查看已保存的抽查")
        return _draw(row)

    def result_json(self, draw_id: str) -> str:
        row = self.db.execute("SELECT result_json FROM draws WHERE id = ?", [draw_id]).fetchone()
        if row is None:
            raise NotFound(f"找不到抽查 {draw_id}")
        return str(row[0])

    def list(self) -> builtins.list[StoredDraw]:
        rows = self.db.execute(f"SELECT {_DRAW_COLUMNS} FROM draws d ORDER BY d.created_at DESC, d.id")
        return [_draw(row) for row in rows]

    def targets(self, draw_id: str) -> builtins.list[DrawTargetInfo]:
        rows = self.db.execute(
            f"SELECT {_TARGET_COLUMNS} FROM draw_targets t WHERE t.draw_id = ? ORDER BY t.position", [draw_id]
        )
        return [_target(row) for row in rows]

    def teams(self, draw_id: str) -> dict[str, tuple[str, ...]]:
        found: dict[str, builtins.list[str]] = {}
        for uscc, inspector in self.db.execute(
            "SELECT uscc, inspector_id FROM assignments WHERE draw_id = ? ORDER BY uscc, position", [draw_id]
        ):
            found.setdefault(uscc, []).append(inspector)
        return {uscc: tuple(team) for uscc, team in found.items()}

    def visits(self, draw_ids: Iterable[str]) -> dict[tuple[str, str], DrawnVisit]:
        """The newest finalized (else draft) inspection per (draw id, USCC)."""
        ids = sorted(set(draw_ids))
        if not ids:
            return {}
        sql = _VISITS.format(marks=",".join("?" * len(ids)))
        return {
            (row[0], row[1]): DrawnVisit(
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], parse_utc(row[7])
            )
            for row in self.db.execute(sql, ids)
        }

    def assignments(self, inspector_id: str) -> builtins.list[Assignment]:
        """Every assignment of one inspector, with the team and the visit's progress (due first)."""
        rows = self.db.execute(
            f"SELECT {_TARGET_COLUMNS}, d.title, a.due_date FROM assignments a"
            " JOIN draw_targets t ON t.draw_id = a.draw_id AND t.uscc = a.uscc JOIN draws d ON d.id = a.draw_id"
            " WHERE a.inspector_id = ? ORDER BY a.due_date IS NULL, a.due_date, d.created_at, t.position",
            [inspector_id],
        ).fetchall()
        draw_ids = {row[0] for row in rows}
        teams = {draw: self.teams(draw) for draw in draw_ids}
        visits = self.visits(draw_ids)
        return [
            Assignment(
                draw_id=row[0],
                draw_title=row[7],
                target=_target(row),
                inspector_id=inspector_id,
                team=teams[row[0]].get(row[2], ()),
                due_date=_day(row[8]),
                visit=visits.get((row[0], row[2])),
            )
            for row in rows
        ]

    # -- conflicts of interest -------------------------------------------------------------------------------

    def declare_conflict(self, declaration: ConflictDeclaration) -> None:
        try:
            self.db.execute(
                f"INSERT INTO conflicts ({_CONFLICT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL)",
                [declaration.id, declaration.inspector_id, declaration.uscc, declaration.reason,
                 declaration.declared_by, utc_iso(declaration.declared_at)],
            )  # fmt: skip
        except sqlite3.IntegrityError:
            raise ValidationError("该检查人员对该主体已有有效的回避声明") from None

    def withdraw_conflict(self, conflict_id: str, by: str, when: Any) -> None:
        cursor = self.db.execute(
            "UPDATE conflicts SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL",
            [utc_iso(when), by, conflict_id],
        )
        if cursor.rowcount != 1:
            raise NotFound(f"没有编号为 {conflict_id} 的有效回避声明")

    def conflicts(
        self, *, active_only: bool = True, inspector_id: str = ""
    ) -> builtins.list[ConflictDeclaration]:
        clauses = ["withdrawn_at IS NULL"] if active_only else []
        params: list[Any] = []
        if inspector_id:
            clauses.append("inspector_id = ?")
            params.append(inspector_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            f"SELECT {_CONFLICT_COLUMNS} FROM conflicts {where} ORDER BY declared_at, id", params
        )
        return [_conflict(row) for row in rows]
