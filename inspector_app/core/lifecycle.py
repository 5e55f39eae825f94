"""The inspection record lifecycle: explicit states and the transitions allowed between them.

``draft`` → ``finalized`` → ``synced`` → ``approved`` | ``returned``. A supervisor on the same laptop may
also review a finalized record before it is synced. A returned record is corrected by a *new version*
(a new draft that references it); the returned record itself never changes again.
"""

from __future__ import annotations

from enum import StrEnum

from inspector_app.core.errors import LifecycleError


class RecordStatus(StrEnum):
    DRAFT = "draft"
    FINALIZED = "finalized"
    SYNCED = "synced"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def editable(self) -> bool:
        return self is RecordStatus.DRAFT

    @property
    def correctable(self) -> bool:
        """Whether a correction (a new version) may be started from a record in this state."""
        return self in CORRECTABLE


STATUS_LABELS = {
    RecordStatus.DRAFT: "草稿",
    RecordStatus.FINALIZED: "已定稿",
    RecordStatus.SYNCED: "已同步",
    RecordStatus.APPROVED: "已审核通过",
    RecordStatus.RETURNED: "已退回",
}

TRANSITIONS: dict[RecordStatus, frozenset[RecordStatus]] = {
    RecordStatus.DRAFT: frozenset({RecordStatus.FINALIZED}),
    RecordStatus.FINALIZED: frozenset({RecordStatus.SYNCED, RecordStatus.APPROVED, RecordStatus.RETURNED}),
    RecordStatus.SYNCED: frozenset({RecordStatus.APPROVED, RecordStatus.RETURNED}),
    RecordStatus.APPROVED: frozenset(),
    RecordStatus.RETURNED: frozenset(),
}

#: States a supervisor may decide on.
REVIEWABLE = frozenset({RecordStatus.FINALIZED, RecordStatus.SYNCED})
#: States a correction (new version) may start from: the inspector's own finalized record, or one returned.
CORRECTABLE = frozenset({RecordStatus.FINALIZED, RecordStatus.RETURNED})


def can_transition(old: RecordStatus, new: RecordStatus) -> bool:
    return new in TRANSITIONS[old]


def check_transition(old: RecordStatus, new: RecordStatus) -> None:
    """Raise :class:`LifecycleError` (Chinese message) when ``old → new`` is not allowed."""
    if not can_transition(old, new):
        raise LifecycleError(f"记录状态不能从“{old.label}”变为“{new.label}”")


def check_editable(status: RecordStatus) -> None:
    """Only drafts change; a finalized record is corrected by a new version."""
    if not status.editable:
        raise LifecycleError(f"记录已{status.label}，不能修改；如需更正，请创建新版本")


def check_correctable(status: RecordStatus) -> None:
    """Only finalized or returned records are corrected by a new version."""
    if not status.correctable:
        raise LifecycleError(f"只有已定稿或已退回的记录可以创建新版本（当前为{status.label}）")
