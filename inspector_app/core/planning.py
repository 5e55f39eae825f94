"""Read models of the plan's way of working: saved draws, their targets, assignments, conflicts of interest,
complaints and rectification-order tasks (回头看). What the storage returns and the services hand to GUI/CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True)
class StoredDraw:
    """A confirmed draw as listed: the document's header fields (the result itself is in ``result_json``)."""

    id: str
    title: str
    seed: str
    registry_hash: str
    result_sha256: str
    created_at: datetime
    created_by: str
    window_from: date | None
    window_to: date | None
    targets: int
    origin: str = "local"


@dataclass(frozen=True)
class DrawTargetInfo:
    """One drawn business with what the registry said about it when the draw was confirmed."""

    draw_id: str
    position: int
    uscc: str
    business_name: str
    area: str
    kind: str
    risk_grade: str


class VisitState(StrEnum):
    """Where a drawn visit stands, derived from the inspections that carry the draw id."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"pending": "未检查", "in_progress": "检查中", "done": "已检查"}[self.value]


@dataclass(frozen=True)
class DrawnVisit:
    """The newest inspection of a drawn target (by the draw id in its attributes)."""

    draw_id: str
    uscc: str
    inspection_id: str
    status: str
    verdict: str
    handling: str
    document_no: str
    started_at: datetime

    @property
    def state(self) -> VisitState:
        return VisitState.IN_PROGRESS if self.status == "draft" else VisitState.DONE


@dataclass(frozen=True)
class Assignment:
    """A drawn target on an inspector's home page: whom to visit, with whom, by when, and how far it got."""

    draw_id: str
    draw_title: str
    target: DrawTargetInfo
    inspector_id: str
    team: tuple[str, ...]
    due_date: date | None
    visit: DrawnVisit | None = None

    @property
    def state(self) -> VisitState:
        return VisitState.PENDING if self.visit is None else self.visit.state

    @property
    def lead(self) -> bool:
        return bool(self.team) and self.team[0] == self.inspector_id

    def overdue(self, today: date) -> bool:
        return self.state is not VisitState.DONE and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class ConflictDeclaration:
    """A declared conflict of interest (回避): the inspector is never drawn for this business while active."""

    id: str
    inspector_id: str
    uscc: str
    reason: str
    declared_by: str
    declared_at: datetime
    withdrawn_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True)
class Complaint:
    """A complaint or report (投诉举报) about a business; ``summary`` is internal and never published."""

    id: str
    uscc: str
    received_on: date
    channel: str
    summary: str
    status: str
    recorded_by: str
    recorded_at: datetime


class OrderOutcome(StrEnum):
    """What a 回头看 found for one rectification order."""

    CLOSED = "closed"
    REORDERED = "reordered"
    ESCALATED = "escalated"

    @property
    def label(self) -> str:
        return {
            "closed": "已整改，销号",
            "reordered": "仍未整改，已重新责令限期整改",
            "escalated": "仍未整改，移交立案查处",
        }[self.value]


@dataclass(frozen=True)
class OrderTask:
    """A rectification order as a task due at its deadline, with where it came from and how it ended."""

    followup_id: str
    inspection_id: str
    document_no: str
    order_id: str
    uscc: str
    business_name: str
    area: str
    item_code: str
    requirement: str
    due_date: date
    status: str
    inspectors: tuple[str, ...]
    created_by: str
    done_inspection_id: str = ""
    outcome: OrderOutcome | None = None
    decided_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.status == "open"

    def overdue(self, today: date) -> bool:
        return self.open and self.due_date < today

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_date).days) if self.open else 0
