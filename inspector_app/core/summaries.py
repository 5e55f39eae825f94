"""Read models for lists and home-screen tasks: record summaries, list filters and 回头看 follow-ups.

These are what the store returns for lists (never the full record), so list screens stay cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from inspector_app.core.lifecycle import RecordStatus


@dataclass(frozen=True)
class InspectionSummary:
    """One row of a record list."""

    id: str
    version: int
    previous_id: str
    uscc: str
    business_name: str
    area: str
    family: str
    form_id: str
    form_version: int
    inspection_type: str
    status: RecordStatus
    started_at: datetime
    place: str = ""
    verdict: str = ""
    handling: str = ""
    grade: str = ""
    document_no: str = ""
    content_hash: str = ""
    created_by: str = ""
    finalized_at: datetime | None = None


@dataclass(frozen=True)
class InspectionQuery:
    """Filters of a record list; every field is optional and they combine with AND.

    ``date_from``/``date_to`` bound ``started_at`` (inclusive, UTC datetimes); ``form_prefix`` matches the
    start of the checklist id (e.g. ``food.``); ``family`` is the checklist family value.
    """

    status: RecordStatus | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    area: str = ""
    family: str = ""
    form_prefix: str = ""
    verdict: str = ""
    uscc: str = ""
    created_by: str = ""
    limit: int | None = None


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"open": "待回头看", "done": "已回头看"}[self.value]


@dataclass(frozen=True)
class FollowUp:
    """A 回头看 task created by a rectification order; due at the order's deadline."""

    id: str
    inspection_id: str
    order_id: str
    uscc: str
    business_name: str
    item_code: str
    requirement: str
    due_date: date
    status: FollowUpStatus = FollowUpStatus.OPEN
    done_inspection_id: str = ""

    def overdue(self, today: date) -> bool:
        return self.status is FollowUpStatus.OPEN and self.due_date < today
