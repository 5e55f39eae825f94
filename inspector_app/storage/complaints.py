"""Repository of complaints (投诉举报) recorded against businesses (table from ``schema_followups``)."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlite_utils

from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.errors import NotFound
from inspector_app.core.planning import Complaint

_COLUMNS = "id, uscc, received_on, channel, summary, status, recorded_by, recorded_at"


def _complaint(row: Sequence[Any]) -> Complaint:
    return Complaint(
        row[0], row[1], date.fromisoformat(row[2]), row[3], row[4], row[5], row[6], parse_utc(row[7])
    )


class ComplaintRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(self, complaint: Complaint) -> None:
        self.db.execute(
            f"INSERT INTO complaints ({_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [complaint.id, complaint.uscc, complaint.received_on.isoformat(), complaint.channel,
             complaint.summary, complaint.status, complaint.recorded_by, utc_iso(complaint.recorded_at),
             utc_iso(complaint.recorded_at)],
        )  # fmt: skip

    def set_status(self, complaint_id: str, status: str, when: datetime) -> None:
        cursor = self.db.execute(
            "UPDATE complaints SET status = ?, updated_at = ? WHERE id = ?",
            [status, utc_iso(when), complaint_id],
        )
        if cursor.rowcount != 1:
            raise NotFound(f"找不到编号为 {complaint_id} 的投诉举报记录")

    def get(self, complaint_id: str) -> Complaint:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM complaints WHERE id = ?", [complaint_id]).fetchone()
        if row is None:
            raise NotFound(f"找不到编号为 {complaint_id} 的投诉举报记录")
        return _complaint(row)

    def list(self, uscc: str = "", status: str = "") -> builtins.list[Complaint]:
        clauses, params = [], []
        for column, value in (("uscc", uscc), ("status", status)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM complaints {where} ORDER BY received_on DESC, id", params
        )
        return [_complaint(row) for row in rows]
