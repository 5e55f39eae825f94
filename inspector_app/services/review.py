"""The supervisor's review (审核): the queue, approve, return with a comment, and returned records for inspectors.

Decisions are events on the record (who, when, comment) — never edits of its content. A record that fails
verification (altered content, a swapped photo, a status without its decision) gets no decision. A returned record is
corrected by the inspector as a new version (``InspectionService.new_version``); once that version is
finalized it is back in the queue, carrying the comment it answers.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.clock import Clock
from inspector_app.core.errors import InspectorError, PermissionDenied, ValidationError
from inspector_app.core.reviews import Decision, QueueItem, ReturnedRecord, ReviewEvent
from inspector_app.services.support.sealing import Sealer
from inspector_app.services.verify import VerifyService
from inspector_app.storage.store import Store

if TYPE_CHECKING:
    from inspector_app.forms.library import FormLibrary

MAX_COMMENT_LENGTH = 1000


class ReviewService:
    """Review operations; every decision checks the actor's role in here, not only in the GUI."""

    def __init__(self, store: Store, forms: FormLibrary, clock: Clock, sealer: Sealer | None = None) -> None:
        self._store = store
        self.forms = forms
        self.clock = clock
        self._sealer = sealer or Sealer(store, clock)

    # -- supervisor ----------------------------------------------------------------------------------------

    def queue(self, actor: User | None) -> list[QueueItem]:
        """Records awaiting review (已定稿/已同步), oldest first, with the checklist title filled in."""
        require_role(actor, Role.SUPERVISOR)
        return [replace(item, form_title=self._form_title(item)) for item in self._store.reviews.queue()]

    def approve(self, actor: User | None, record_id: str, comment: str = "") -> ReviewEvent:
        """Approve a record awaiting review; ``comment`` is optional."""
        return self._decide(actor, record_id, Decision.APPROVED, comment)

    def return_(self, actor: User | None, record_id: str, comment: str) -> ReviewEvent:
        """Return a record to its inspectors for correction; the comment (what to fix) is required."""
        if not comment.strip():
            raise ValidationError("退回时必须填写退回意见（说明需要更正的内容），请填写后再退回")
        return self._decide(actor, record_id, Decision.RETURNED, comment)

    def _decide(self, actor: User | None, record_id: str, decision: Decision, comment: str) -> ReviewEvent:
        user = require_role(actor, Role.SUPERVISOR)
        comment = comment.strip()
        if len(comment) > MAX_COMMENT_LENGTH:
            raise ValidationError(f"审核意见过长（{len(comment)} 字），请控制在 {MAX_COMMENT_LENGTH} 字以内")
        record = self._store.inspections.load(record_id)
        VerifyService(self._store).require_intact(record, decision.label)
        inspector_ids = {i.user_id for i in record.inspectors if i.user_id}
        if user.id in inspector_ids or (record.created_by and record.created_by == user.id):
            raise PermissionDenied(
                f"不能审核本人参与检查的记录（{record.business.name}）；请由未参与该次检查的审核人审核"
            )
        event = ReviewEvent(
            id=str(uuid.uuid4()),
            inspection_id=record_id,
            decision=decision,
            actor_id=user.id,
            actor_name=user.display_name,
            comment=comment,
            decided_at=self.clock.now(),
        )
        with self._store.transaction():  # the decision, the record's new status and the seal: all or nothing
            self._store.reviews.add_event(event)
            self._sealer.seal_decision(event, record.content_hash)
        return event

    # -- everyone ------------------------------------------------------------------------------------------

    def events(self, record_id: str) -> list[ReviewEvent]:
        """Decisions on this record version, oldest first."""
        self._store.inspections.summary(record_id)  # NotFound for an unknown id
        return self._store.reviews.events_for(record_id)

    def history(self, record_id: str) -> list[ReviewEvent]:
        """Decisions on every version of the record's chain (v1 returned, v2 approved, …), oldest first."""
        ids = [s.id for s in self._store.inspections.versions(record_id)]
        return self._store.reviews.events_for_many(ids)

    def returned_to_me(self, actor: User | None) -> list[ReturnedRecord]:
        """Records returned to ``actor`` (as creator or listed inspector) and not yet corrected and finalized."""
        user = require_role(actor, Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN)
        return self._store.reviews.returned_for(user.id, user.display_name)

    # -- helpers -------------------------------------------------------------------------------------------

    def _form_title(self, item: QueueItem) -> str:
        try:
            return self.forms.get(item.summary.form_id, item.summary.form_version).title
        except InspectorError:
            return item.summary.form_id
