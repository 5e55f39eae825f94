"""One open record shared by the editor's pages: the record, its pinned checklist, and every write.

Every change goes straight to :class:`~inspector_app.services.inspections.InspectionService` (autosave);
the session then shows what the service stored: after an answer, note or photo it reads that one answer back
(one row, so answering stays cheap), after anything else the whole record. It never re-applies a change
itself, so what the editor shows cannot drift from what is stored. The rules (verdict preview, what a failed
item still needs, whether a record may be corrected) are asked of core and the service, never restated here.
Errors are reported through ``failed(message)`` (Chinese), never raised into Qt slots.

Writes go through ``services.autosaving`` (a connection with a short busy timeout). Answers and notes go
through the :class:`~inspector_app.gui.inspection.autosave.AutosaveQueue`: refused by a busy database, they
wait there (``pending_changed(code, True)``, ``waiting(message)``) and are retried until stored. Every other
write first lets waiting changes through and is refused, with a message, while any still wait — a record is
never finalized without an answer the inspector gave.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from inspector_app.core.accounts import Role, User
from inspector_app.core.checklist import Checklist, Item, Result
from inspector_app.core.clock import local_today
from inspector_app.core.errors import InspectorError
from inspector_app.core.evaluation import Evaluation, failure_evidence
from inspector_app.core.records import Answer, FiveImplementations, Inspection, RectificationOrder, SignerRole
from inspector_app.gui.inspection.autosave import AutosaveQueue
from inspector_app.services.support.media import PreparedImage

if TYPE_CHECKING:
    from inspector_app.services.app import Services
    from inspector_app.services.inspections import InspectionService

T = TypeVar("T")


class RecordSession(QObject):
    """The record being filled.

    Signals: ``answer_changed(code)``, ``visibility_changed()``, ``record_changed()`` (orders, signatures,
    handling), ``status_changed()`` (finalized / reloaded), ``saved()`` after each successful write,
    ``failed(message)``, ``pending_changed(code, waiting)`` (a change of the item waits for a busy
    database / is no longer waiting), ``waiting(message)`` (why changes wait; ``""`` when none do).
    """

    answer_changed = Signal(str)
    visibility_changed = Signal()
    record_changed = Signal()
    status_changed = Signal()
    saved = Signal()
    failed = Signal(str)
    pending_changed = Signal(str, bool)
    waiting = Signal(str)

    def __init__(
        self,
        services: Services,
        actor: User,
        record_id: str,
        parent: QObject | None = None,
        read_only: bool = False,
        autosave: AutosaveQueue | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.autosave = autosave if autosave is not None else AutosaveQueue(self)
        self.autosave.stored.connect(self._stored_later)
        self.autosave.refused.connect(self._refused_later)
        self.autosave.waiting.connect(self.waiting)
        # Only inspectors fill records (the service checks it too); others get a read-only view.
        self.read_only = read_only or actor.role is not Role.INSPECTOR
        self.record: Inspection = services.inspections.get(record_id)
        self.checklist: Checklist = services.inspections.checklist_of(self.record)
        self._visible: set[str] = set()
        self._refresh_visibility()

    # ---- reading -----------------------------------------------------------------------------------
    @property
    def record_id(self) -> str:
        return self.record.id

    @property
    def editable(self) -> bool:
        return self.record.status.editable and not self.read_only

    @property
    def can_correct(self) -> bool:
        """Whether this user may start a correction (新版本) of the record (core says which states may)."""
        return self.record.status.correctable and not self.read_only

    @property
    def attributes(self) -> dict[str, str]:
        return self.record.attributes

    def today(self) -> date:
        return local_today(self.services.clock)

    def values(self) -> dict[str, str | None]:
        return self.record.values()

    def answer_of(self, code: str) -> Answer | None:
        return self.record.answers.get(code)

    def is_visible(self, code: str) -> bool:
        return code in self._visible

    def visible_items(self) -> list[Item]:
        return [item for item in self.checklist.items if item.code in self._visible]

    def is_pending(self, code: str) -> bool:
        """Whether a change of this item waits for a busy database (shown, not yet stored)."""
        return self.autosave.is_waiting(self.record_id, code)

    def is_answered(self, item: Item) -> bool:
        answer = self.record.answers.get(item.code)
        return answer is not None and answer.value not in (None, "")

    def is_incomplete(self, item: Item) -> bool:
        """Answered 不符合 but still lacking the note or photo the form requires."""
        return failure_evidence(item, self.record.answers.get(item.code)).incomplete

    def progress(self) -> tuple[int, int]:
        """(answered, visible) over the whole checklist."""
        visible = self.visible_items()
        return sum(1 for item in visible if self.is_answered(item)), len(visible)

    def failed_items(self) -> list[Item]:
        """Visible items judged 不符合, in checklist order (the ones that may get a 整改要求)."""
        values = self.values()
        return [
            item for item in self.visible_items() if item.judge(values.get(item.code)) is Result.NONCOMPLIANT
        ]

    def evaluation(self) -> Evaluation:
        """The live verdict preview — computed by the service exactly as when finalizing."""
        return self.services.inspections.evaluate_record(self.record, self.checklist)

    def missing(self) -> list[str]:
        return self._call(lambda s: s.missing(self.record_id), []) or []

    def photo_bytes(self, sha256: str) -> bytes:
        """A stored photo (verified against its hash); safe to call from a worker thread (file read only)."""
        return self.services.inspections.attachment_bytes(sha256)

    # ---- writing -----------------------------------------------------------------------------------
    def _call(self, work: Callable[[InspectionService], T], default: T | None = None) -> T | None:
        try:
            result = work(self.services.inspections)
        except InspectorError as exc:
            self.failed.emit(str(exc))
            return default
        return result

    def _write(self, work: Callable[[InspectionService], T]) -> tuple[bool, T | None]:
        """A write that is not queued: it runs only once no answer or note waits, and fails fast if busy."""
        if not self.autosave.flush():
            self.failed.emit(f"{self.autosave.message()} 请等这些修改保存后再操作。")
            return False, None
        try:
            result = work(self.services.autosaving.inspections)
        except InspectorError as exc:
            self.failed.emit(str(exc))
            return False, None
        self.saved.emit()
        return True, result

    def _autosave(self, kind: str, code: str, work: Callable[[InspectionService], object]) -> bool | None:
        """Store an answer or note through the queue: True stored, None waiting (retried), False refused."""
        writer = self.services.autosaving.inspections
        try:
            stored = self.autosave.submit((self.record_id, kind, code), lambda: work(writer))
        except InspectorError as exc:
            self.failed.emit(str(exc))
            return False
        if not stored:
            self.pending_changed.emit(code, True)
            return None
        self.saved.emit()
        return True

    def _stored_later(self, record_id: str, kind: str, code: str) -> None:
        if record_id != self.record_id:
            return
        self.saved.emit()
        self._show_stored(kind, code)

    def _refused_later(self, record_id: str, kind: str, code: str, message: str) -> None:
        if record_id != self.record_id:
            return
        self.failed.emit(f"第 {code} 项的修改未能保存：{message}")
        self._show_stored(kind, code)

    def _show_stored(self, kind: str, code: str) -> None:
        self._read_back_answer(code)
        if not self.is_pending(code):
            self.pending_changed.emit(code, False)
        if kind == "answer":
            self._after_answer(code)
        else:
            self.answer_changed.emit(code)

    def _read_back_answer(self, code: str) -> None:
        """Replace the shown answer to ``code`` by the stored one."""
        try:
            stored = self.services.inspections.answer_of(self.record_id, code)
        except InspectorError as exc:
            self.failed.emit(str(exc))
            return
        if stored is None:
            self.record.answers.pop(code, None)
        else:
            self.record.answers[code] = stored

    def _read_back_record(self) -> None:
        """Replace the shown record by the stored one (no signals: the caller says what changed)."""
        fresh = self._call(lambda s: s.get(self.record_id))
        if fresh is not None:
            self.record = fresh

    def answer(self, code: str, value: str) -> bool:
        """Store an answer ('' clears it); the note and photos stay.

        True when stored or waiting for a busy database (then ``pending_changed`` says so and it is
        retried); False when refused (the message went to ``failed``).
        """
        stored = self._autosave(
            "answer", code, lambda s: s.answer(self.actor, self.record_id, code, value or None)
        )
        if stored:
            self._read_back_answer(code)
            self._after_answer(code)
        return stored is not False

    def set_note(self, code: str, note: str) -> bool:
        """Store a note; like :meth:`answer`, it may wait for a busy database and is then retried."""
        stored = self._autosave("note", code, lambda s: s.set_note(self.actor, self.record_id, code, note))
        if stored:
            self._read_back_answer(code)
            self.answer_changed.emit(code)
        return stored is not False

    def attach_photo(self, code: str, photo: PreparedImage | bytes | str) -> bool:
        data = photo.data if isinstance(photo, PreparedImage) else photo
        ok, attachment = self._write(lambda s: s.attach_photo(self.actor, self.record_id, code, data))
        if ok and attachment is not None:
            self.record.attachments[attachment.sha256] = attachment
            self._read_back_answer(code)
            self.answer_changed.emit(code)
        return ok

    def remove_photo(self, code: str, sha256: str) -> bool:
        ok, _ = self._write(lambda s: s.remove_photo(self.actor, self.record_id, code, sha256))
        if ok:
            self._read_back_answer(code)
            self.answer_changed.emit(code)
        return ok

    def add_order(
        self, code: str, requirement: str, deadline: date, hazard: FiveImplementations | None = None
    ) -> RectificationOrder | None:
        ok, order = self._write(
            lambda s: s.add_order(self.actor, self.record_id, code, requirement, deadline, hazard)
        )
        if ok and order is not None:
            self._read_back_record()
            self.record_changed.emit()
        return order

    def remove_order(self, order_id: str) -> bool:
        ok, _ = self._write(lambda s: s.remove_order(self.actor, self.record_id, order_id))
        if ok:
            self._read_back_record()
            self.record_changed.emit()
        return ok

    def sign(self, role: SignerRole, signer_name: str, png: bytes) -> bool:
        ok, _ = self._write(lambda s: s.sign(self.actor, self.record_id, role, signer_name, png))
        if ok:
            self.reload(quiet=True)
        return ok

    def refuse_signature(self, reason: str, witness_name: str) -> bool:
        ok, _ = self._write(lambda s: s.refuse_signature(self.actor, self.record_id, reason, witness_name))
        if ok:
            self.reload(quiet=True)
        return ok

    def set_details(self, **fields: Any) -> bool:
        """Header fields of the draft (其他发现, 陪同人员, place …) through ``InspectionService.set_details``."""
        ok, _ = self._write(lambda s: s.set_details(self.actor, self.record_id, **fields))
        if ok:
            self._read_back_record()
        return ok

    def set_handling(self, handling: str) -> bool:
        ok, _ = self._write(lambda s: s.set_handling(self.actor, self.record_id, handling))
        if ok:
            self._read_back_record()
            self.record_changed.emit()
        return ok

    def finalize(self, handling: str | None) -> bool:
        ok, record = self._write(lambda s: s.finalize(self.actor, self.record_id, handling))
        if ok and record is not None:
            self.record = record
            self.status_changed.emit()
        return ok

    def new_version(self) -> str | None:
        ok, record = self._write(lambda s: s.new_version(self.actor, self.record_id))
        return record.id if ok and record is not None else None

    def reload(self, quiet: bool = False) -> None:
        """Re-read the record from the service (after signatures, or when the editor is shown again)."""
        fresh = self._call(lambda s: s.get(self.record_id))
        if fresh is None:
            return
        status_changed = fresh.status != self.record.status
        self.record = fresh
        self._refresh_visibility()
        self.record_changed.emit()
        if status_changed and not quiet:
            self.status_changed.emit()

    # ---- visibility --------------------------------------------------------------------------------
    def _refresh_visibility(self) -> bool:
        values = self.values()
        visible = {
            i.code for i in self.checklist.items if self.checklist.is_visible(i, values, self.attributes)
        }
        changed = visible != self._visible
        self._visible = visible
        return changed

    def _after_answer(self, code: str) -> None:
        self.answer_changed.emit(code)
        if self._refresh_visibility():
            self.visibility_changed.emit()
