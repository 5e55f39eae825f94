"""The supervisor's review (审核): decisions as append-only events, and the read models of the review screens.

A decision never edits a record: it is an event (who, when, approve or return, comment) and the record's status
moves along the lifecycle with it. A returned record is corrected by a new version, which is reviewed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.summaries import InspectionSummary


class Decision(StrEnum):
    """A supervisor's decision on a finalized record."""

    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"approved": "审核通过", "returned": "退回修改"}[self.value]

    @property
    def status(self) -> RecordStatus:
        """The record status the decision leads to."""
        return RecordStatus.APPROVED if self is Decision.APPROVED else RecordStatus.RETURNED


@dataclass(frozen=True)
class ReviewEvent:
    """One decision on one record version; stored once and never changed."""

    id: str
    inspection_id: str
    decision: Decision
    actor_id: str
    actor_name: str
    comment: str
    decided_at: datetime


@dataclass(frozen=True)
class QueueItem:
    """A record awaiting review: its summary, who inspected, and (for a corrected version) why it came back."""

    summary: InspectionSummary
    inspector_names: tuple[str, ...] = ()
    inspector_ids: tuple[str, ...] = ()
    form_title: str = ""
    previous_comment: str = ""

    @property
    def id(self) -> str:
        return self.summary.id


@dataclass(frozen=True)
class ReturnedRecord:
    """A record returned to its inspector, with the latest return comment (shown on the inspector's home).

    ``successor_id`` is the draft of the correction when the inspector has already started it.
    """

    inspection_id: str
    version: int
    business_name: str
    uscc: str
    form_id: str
    started_at: datetime
    comment: str
    returned_by: str
    returned_at: datetime
    successor_id: str = ""
