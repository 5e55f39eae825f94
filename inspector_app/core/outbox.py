"""The sync outbox: what this laptop owes headquarters, and where each item stands.

Every sealed act — a finalized record, a review decision — gets one outbox item. Its state is separate from
the record's lifecycle status (an approved record cannot become "synced", but its outbox item can):

``pending`` → ``synced`` (HQ's receipt received) | ``conflict`` (HQ holds something else under that id or has
another decision: never retried automatically) | ``failed`` (HQ refused it for another reason; the admin may
queue it again with 立即重试). A network failure leaves an item ``pending`` with its error and attempt count.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class OutboxState(StrEnum):
    PENDING = "pending"
    SYNCED = "synced"
    CONFLICT = "conflict"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"pending": "待上传", "synced": "已同步", "conflict": "冲突", "failed": "被拒收"}[self.value]

    @property
    def waiting(self) -> bool:
        """Not (yet) held by HQ."""
        return self is not OutboxState.SYNCED


class OutboxKind(StrEnum):
    RECORD = "record"
    DECISION = "decision"

    @property
    def label(self) -> str:
        return {"record": "检查记录", "decision": "审核决定"}[self.value]


@dataclass(frozen=True)
class OutboxItem:
    """One item of the queue, with what the 同步 page shows about its record."""

    item_id: str
    kind: OutboxKind
    record_id: str
    seal_seq: int
    state: OutboxState
    attempts: int = 0
    last_error: str = ""
    last_attempt_at: datetime | None = None
    next_attempt_at: datetime | None = None
    synced_at: datetime | None = None
    exported_at: datetime | None = None
    exported_to: str = ""
    document_no: str = ""
    business_name: str = ""
    decision: str = ""


@dataclass(frozen=True)
class ReceivedProblem:
    """An item from HQ that was refused on arrival (bad seal, unknown record…), kept with the reason."""

    item_id: str
    kind: str
    record_id: str
    error: str
    received_at: datetime


@dataclass(frozen=True)
class SyncStatus:
    """The laptop's sync state at a glance (status bar, ``inspector sync status``)."""

    enrolled: bool
    hq_url: str = ""
    hq_name: str = ""
    device_name: str = ""
    role: str = ""
    area: str = ""
    device_id: str = ""
    key_fingerprint: str = ""
    pending: int = 0
    failed: int = 0
    conflict: int = 0
    synced: int = 0
    cursor: str = "0"
    last_success_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_error: str = ""
    last_error_at: datetime | None = None
    received_problems: int = 0

    @property
    def waiting(self) -> int:
        """Items HQ does not hold yet (pending, refused or in conflict)."""
        return self.pending + self.failed + self.conflict


@dataclass
class PushReport:
    """What one push run did. ``errors`` has one Chinese line per item not synced; ``stopped`` says why the
    run ended early (HQ unreachable, the device token refused), leaving ``not_tried`` items for next time."""

    total: int = 0
    synced: int = 0
    duplicate: int = 0
    conflict: int = 0
    failed: int = 0
    deferred: int = 0
    not_tried: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stopped: str = ""

    @property
    def ok(self) -> bool:
        """Everything that was due is at HQ now."""
        return not (self.conflict or self.failed or self.deferred or self.not_tried or self.stopped)

    def summary(self) -> str:
        if self.stopped and not (self.synced or self.conflict or self.failed or self.deferred):
            return f"上传未进行：{self.stopped}"
        text = f"上传 {self.total} 项：已同步 {self.synced} 项"
        for count, label in ((self.conflict, "冲突"), (self.failed, "被拒收"), (self.deferred, "稍后重试"),
                             (self.not_tried, "未尝试")):  # fmt: skip
            if count:
                text += f"，{label} {count} 项"
        return text + (f"。中断原因：{self.stopped}" if self.stopped else "。")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok, "summary": self.summary()}


@dataclass
class PullReport:
    """What one pull (or bundle import) applied: new records from other laptops, decisions, registry changes,
    and (from a bundle) HQ's receipts that marked items of this laptop synced."""

    pages: int = 0
    records: int = 0
    decisions: int = 0
    registry: int = 0
    duplicates: int = 0
    parked: int = 0
    refused: int = 0
    receipts: int = 0
    cursor: str = "0"
    errors: list[str] = field(default_factory=list)
    stopped: str = ""

    @property
    def ok(self) -> bool:
        return not (self.refused or self.stopped)

    @property
    def applied(self) -> int:
        return self.records + self.decisions + self.registry

    def summary(self) -> str:
        text = (
            f"收到记录 {self.records} 份、审核决定 {self.decisions} 项、主体名录更新 {self.registry} 条"
            + (f"，拒收 {self.refused} 项" if self.refused else "")
            + (f"，{self.parked} 项审核决定待记录到达后生效" if self.parked else "")
            + (f"；总部确认已收到本机 {self.receipts} 项" if self.receipts else "")
        )
        return text + (f"。中断原因：{self.stopped}" if self.stopped else "。")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok, "summary": self.summary()}
