"""回头看 as use cases: rectification orders as tasks due at their deadline, overdue and escalated lists, and the
follow-up inspection that re-checks only the failed items and closes, re-orders or escalates each order.

Follow-up tasks are created when a record with orders is finalized (:meth:`InspectionService.finalize`). A
follow-up started here is an ordinary inspection of type 回头看 on the original's checklist version, narrowed to
the ordered items (:func:`inspector_app.core.followups.recheck_scope`), its notes pre-filled from the orders; its
hashed attributes name the original record. Finalizing it records each order's outcome in the same transaction.
The two printed records refer to each other (:func:`related_lines`).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date, timedelta

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.clock import CHINA_TZ, Clock, local_today
from inspector_app.core.errors import LifecycleError, ValidationError
from inspector_app.core.followups import FOLLOWS_UP, FOLLOWS_UP_DOCUMENT, recheck_attributes, rechecked
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.planning import OrderTask
from inspector_app.core.records import Inspection, InspectionType, Inspector
from inspector_app.services.inspections import DUE_SOON_DAYS, InspectionService
from inspector_app.storage.followups import FollowUpRepository
from inspector_app.storage.store import Store


def _day_of(store: Store, inspection_id: str) -> tuple[str, str]:
    """(文书编号 or id, China-time day) of a record, for cross-references."""
    summary = store.inspections.summary(inspection_id)
    return summary.document_no or summary.id, summary.started_at.astimezone(CHINA_TZ).date().isoformat()


def related_lines(store: Store, record: Inspection) -> tuple[str, ...]:
    """What the printed record says about linked records: for a 回头看, the original and each order's outcome;
    for a record with orders, which 回头看 decided them. Derived from storage at print time (not hashed)."""
    repo = FollowUpRepository(store.db)
    lines: list[str] = []
    if record.attributes.get(FOLLOWS_UP):
        original = record.attributes[FOLLOWS_UP]
        number = record.attributes.get(FOLLOWS_UP_DOCUMENT) or original
        codes = "、".join(code for _, code in rechecked(record.attributes))
        lines.append(
            f"本记录为回头看，复查原检查记录 {number}（记录标识 {original}）下达的整改要求：{codes}。"
        )
        decided = {
            t.followup_id: t
            for t in repo.tasks(status=None, ids=[f for f, _ in rechecked(record.attributes)])
        }
        for followup_id, code in rechecked(record.attributes):
            task = decided.get(followup_id)
            if task is not None and task.outcome is not None and task.done_inspection_id == record.id:
                lines.append(f"{code}（原期限 {task.due_date.isoformat()}）：{task.outcome.label}")
    for task in repo.followed_up_by(record.id):
        number, day = _day_of(store, task.done_inspection_id)
        outcome = task.outcome.label if task.outcome else "已回头看"
        lines.append(f"整改要求 {task.item_code} 已于 {day} 回头看（记录 {number}）：{outcome}")
    return tuple(lines)


class FollowUpService:
    """Order tasks and 回头看 inspections. Inspectors see the orders of records they made or inspected;
    supervisors and administrators see all (optionally one area)."""

    def __init__(self, store: Store, clock: Clock, inspections: InspectionService) -> None:
        self._store = store
        self.clock = clock
        self._inspections = inspections
        self._repo = FollowUpRepository(store.db)

    def _today(self, today: date | None) -> date:
        return today or local_today(self.clock)

    def _scope(self, actor: User | None) -> str:
        user = require_role(actor, Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN)
        return user.id if user.role is Role.INSPECTOR else ""

    # -- lists ---------------------------------------------------------------------------------------------

    def open_tasks(self, actor: User | None, area: str = "") -> builtins.list[OrderTask]:
        """Every open order, earliest deadline first."""
        return self._repo.tasks(user_id=self._scope(actor), area=area)

    def overdue(
        self, actor: User | None, today: date | None = None, area: str = ""
    ) -> builtins.list[OrderTask]:
        """Open orders whose deadline has passed (red on the home page; the supervisor's 逾期未整改 list)."""
        return self._repo.tasks(user_id=self._scope(actor), area=area, due_before=self._today(today))

    def due_soon(
        self, actor: User | None, today: date | None = None, days: int = DUE_SOON_DAYS
    ) -> builtins.list[OrderTask]:
        """Open orders due from today to ``today + days``."""
        day = self._today(today)
        upcoming = self._repo.tasks(user_id=self._scope(actor), due_before=day + timedelta(days=days + 1))
        return [t for t in upcoming if t.due_date >= day]

    def escalated(self, actor: User | None, area: str = "") -> builtins.list[OrderTask]:
        """Orders a 回头看 found still failing without a new order: to be handled by the supervisor (立案查处)."""
        return self._repo.tasks(status=None, user_id=self._scope(actor), area=area, outcome="escalated")

    def of_record(self, inspection_id: str) -> builtins.list[OrderTask]:
        """All orders of one record with their state and outcome."""
        return self._repo.tasks(status=None, inspection_id=inspection_id)

    # -- the follow-up inspection --------------------------------------------------------------------------

    def start(
        self,
        actor: User,
        original_id: str,
        inspectors: builtins.list[Inspector],
        followup_ids: Sequence[str] | None = None,
        place: str = "",
    ) -> Inspection:
        """Open a 回头看 draft for open orders of ``original_id`` (all of them unless ``followup_ids``)."""
        require_role(actor, Role.INSPECTOR)
        original = self._store.inspections.load(original_id)
        if original.status is RecordStatus.DRAFT:
            raise LifecycleError("原检查记录尚未定稿，不能回头看")
        open_tasks = self._repo.tasks(inspection_id=original_id)
        chosen = open_tasks
        if followup_ids is not None:
            wanted = list(dict.fromkeys(followup_ids))
            known = {t.followup_id: t for t in open_tasks}
            missing = [f for f in wanted if f not in known]
            if missing:
                raise ValidationError(f"以下整改要求不属于该记录或已回头看：{'、'.join(missing)}")
            chosen = [known[f] for f in wanted]
        if not chosen:
            raise ValidationError(f"检查记录 {original.document_no or original_id} 没有待回头看的整改要求")
        running = self._repo.open_rechecks(original_id)
        if running:
            raise ValidationError(
                f"该记录已有进行中的回头看草稿（{running[0]}），请在检查记录中继续或删除后重试"
            )
        attributes = recheck_attributes(
            original.id, original.document_no, [(t.followup_id, t.item_code) for t in chosen]
        )
        record = self._inspections.start(
            actor, original.business.uscc, original.form_id, inspectors, InspectionType.FOLLOW_UP,
            place or original.place, original.equipment_code, attributes=attributes,
            form_version=original.form_version,
        )  # fmt: skip
        for task in chosen:  # pre-filled from the order: what was required and by when
            note = (
                f"原整改要求（{original.document_no}，期限 {task.due_date.isoformat()}）：{task.requirement}"
            )
            self._inspections.set_note(actor, record.id, task.item_code, note)
        return self._inspections.get(record.id)

    def related_lines(self, record: Inspection) -> tuple[str, ...]:
        return related_lines(self._store, record)
