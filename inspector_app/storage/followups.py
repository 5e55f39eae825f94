"""Rectification orders as tasks (回头看): open, overdue and escalated lists with where each order came from.

``followups`` rows are created when a record is finalized (one per order, due at its deadline). This repository
joins them with their record (document number, area, inspectors) and with ``followup_outcomes`` (what the
回头看 found). Outcomes are written by :meth:`InspectionRepository.finalize`, in the finalizing transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlite_utils

from inspector_app.core.clock import parse_utc
from inspector_app.core.planning import OrderOutcome, OrderTask

_SELECT = """
SELECT f.id, f.inspection_id, i.document_no, f.order_id, f.uscc, f.business_name, i.area, f.item_code,
       f.requirement, f.due_date, f.status, i.inspectors_json, i.created_by, f.done_inspection_id,
       o.outcome, o.decided_at
FROM followups f JOIN inspections i ON i.id = f.inspection_id
LEFT JOIN followup_outcomes o ON o.followup_id = f.id
"""
_MINE = (
    "(i.created_by = ? OR EXISTS (SELECT 1 FROM json_each(i.inspectors_json) j"
    " WHERE json_extract(j.value, '$.user_id') = ?))"
)


def _task(row: Sequence[Any]) -> OrderTask:
    inspectors = tuple(p.get("user_id") or p.get("name", "") for p in json.loads(row[11]))
    return OrderTask(
        followup_id=row[0],
        inspection_id=row[1],
        document_no=row[2],
        order_id=row[3],
        uscc=row[4],
        business_name=row[5],
        area=row[6],
        item_code=row[7],
        requirement=row[8],
        due_date=date.fromisoformat(row[9]),
        status=row[10],
        inspectors=inspectors,
        created_by=row[12],
        done_inspection_id=row[13],
        outcome=OrderOutcome(row[14]) if row[14] else None,
        decided_at=parse_utc(row[15]) if row[15] else None,
    )


class FollowUpRepository:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def tasks(
        self,
        *,
        status: str | None = "open",
        due_before: date | None = None,
        inspection_id: str = "",
        uscc: str = "",
        area: str = "",
        user_id: str = "",
        outcome: str = "",
        ids: Sequence[str] = (),
    ) -> list[OrderTask]:
        """Order tasks by due date. ``due_before``: deadline strictly before that day (overdue);
        ``user_id``: records the user created or inspected; ``outcome``: what the 回头看 decided."""
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("f.status = ?", status),
            ("f.due_date < ?", due_before.isoformat() if due_before else None),
            ("f.inspection_id = ?", inspection_id or None),
            ("f.uscc = ?", uscc or None),
            ("i.area = ?", area or None),
            ("o.outcome = ?", outcome or None),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        if user_id:
            clauses.append(_MINE)
            params += [user_id, user_id]
        if ids:
            clauses.append(f"f.id IN ({','.join('?' * len(ids))})")
            params += list(ids)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        return [
            _task(row)
            for row in self.db.execute(f"{_SELECT} {where} ORDER BY f.due_date, f.uscc, f.id", params)
        ]

    def followed_up_by(self, inspection_id: str) -> list[OrderTask]:
        """Orders of ``inspection_id`` that a 回头看 has decided (with the deciding record's id)."""
        return [t for t in self.tasks(status=None, inspection_id=inspection_id) if t.done_inspection_id]

    def open_rechecks(self, original_id: str) -> list[str]:
        """Ids of 回头看 drafts already started for ``original_id``."""
        rows = self.db.execute(
            "SELECT id FROM inspections WHERE status = 'draft' AND json_extract(attributes_json, '$.follows_up') = ?",
            [original_id],
        )
        return [row[0] for row in rows]
