"""Inspection use cases: start a visit, answer (autosaved), photos, orders, signatures, finalize, correct.

Every change is written at once — there is no save button — so after a crash a draft reopens exactly as it
was left. Finalization computes the verdict/grade with the core rules, numbers the record offline
(``JM-<device>-<year>-<seq>``), hashes its canonical form and creates a 回头看 follow-up per order.
"""

from __future__ import annotations

import builtins
import copy
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.checklist import Checklist, Result
from inspector_app.core.clock import CHINA_TZ, Clock, local_today
from inspector_app.core.errors import LifecycleError, NotFound, ValidationError
from inspector_app.core.evaluation import Evaluation, blocking_problems, evaluate
from inspector_app.core.followups import order_outcomes, recheck_scope
from inspector_app.core.identifiers import normalize_code
from inspector_app.core.lifecycle import RecordStatus, check_correctable, check_editable
from inspector_app.core.records import (
    Answer,
    Attachment,
    FiveImplementations,
    Inspection,
    InspectionType,
    Inspector,
    RectificationOrder,
    Signature,
    SignerRole,
    canonical_bytes,
    content_hash,
)
from inspector_app.core.summaries import FollowUp, FollowUpStatus, InspectionQuery, InspectionSummary
from inspector_app.core.verdicts import Handling
from inspector_app.forms.library import FormLibrary
from inspector_app.services.support import inspection_checks as checks
from inspector_app.services.support.device import Device, load_device
from inspector_app.services.support.sealing import Sealer
from inspector_app.storage.store import Store

#: Days ahead that count as "due soon" on the home screen.
DUE_SOON_DAYS = 7


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


class InspectionService:
    """Use cases on inspection records; the GUI and CLI call these, never the repositories."""

    def __init__(self, store: Store, forms: FormLibrary, clock: Clock, sealer: Sealer | None = None) -> None:
        self._store = store
        self._repo = store.inspections
        self.forms = forms
        self.clock = clock
        self._sealer = sealer or Sealer(store, clock)
        self._device: Device | None = None
        self._pinned: dict[str, Checklist] = {}

    # -- helpers -------------------------------------------------------------------------------------------

    @property
    def device(self) -> Device:
        if self._device is None:
            self._device = load_device(Path(self._store.home.device_file))
        return self._device

    def _now(self) -> datetime:
        return self.clock.now().replace(microsecond=0)

    def _today(self) -> date:
        return local_today(self.clock)

    def checklist_of(self, record: Inspection | InspectionSummary) -> Checklist:
        """The exact checklist version the record pinned (a 回头看 re-check: only its re-checked items)."""
        return recheck_scope(
            self.forms.get(record.form_id, record.form_version), getattr(record, "attributes", None)
        )

    def _pinned_checklist(self, inspection_id: str) -> Checklist:
        """The record's checklist, remembered per record (id, version and attributes never change): keeps the
        autosave to a single statement. Status is not re-read: the store's triggers refuse writes to non-drafts."""
        pinned = self._pinned.get(inspection_id)
        if pinned is None:
            record = self._repo.load(inspection_id)
            check_editable(record.status)
            pinned = self._pinned[inspection_id] = self.checklist_of(record)
        return pinned

    def _draft(self, inspection_id: str) -> tuple[InspectionSummary, Checklist]:
        head = self._repo.summary(inspection_id)
        check_editable(head.status)
        return head, self._pinned_checklist(inspection_id)

    @staticmethod
    def _item_exists(checklist: Checklist, code: str) -> None:
        if not checklist.has_item(code):
            raise ValidationError(f"检查表“{checklist.title}”中没有检查项 {code}")

    # -- starting and reading ------------------------------------------------------------------------------

    def start(
        self,
        actor: User,
        uscc: str,
        form_id: str,
        inspectors: builtins.list[Inspector],
        inspection_type: InspectionType | str,
        place: str,
        equipment_code: str = "",
        *,
        attributes: dict[str, str] | None = None,
        form_version: int | None = None,
    ) -> Inspection:
        """Open a draft: pins the checklist id and version and snapshots the party from the registry.

        ``attributes`` are added to the record's (hashed) attributes — a drawn visit's ``draw_id``, a 回头看's
        original record and orders; ``form_version`` pins an older version (a 回头看 uses the original's)."""
        require_role(actor, Role.INSPECTOR)
        crew = checks.check_inspectors(inspectors)
        kind = checks.parse_inspection_type(inspection_type)
        code = normalize_code(uscc)
        business = self._store.businesses.get(code)
        if business is None:
            raise NotFound(f"主体名录中没有统一社会信用代码为 {code} 的主体；请先导入或登记该主体")
        checklist = self.forms.get(form_id, form_version)
        equipment_code = normalize_code(equipment_code)
        equipment = checks.find_equipment(self._store.businesses.equipment_of(code), equipment_code, business)
        checks.check_applies(checklist, business, equipment)
        record = Inspection(
            id=str(uuid.uuid4()),
            business=checks.party_snapshot(business),
            form_id=checklist.id,
            form_version=checklist.version,
            inspection_type=kind,
            inspectors=crew,
            started_at=self._now(),
            place=place.strip() or business.address,
            equipment_code=equipment_code,
            attributes=checks.record_attributes(business, equipment) | (attributes or {}),
            created_by=actor.id,
            device_id=self.device.id,
        )
        self._repo.create(record, family=checklist.family.value)
        return self._repo.load(record.id)

    def get(self, inspection_id: str) -> Inspection:
        return self._repo.load(inspection_id)

    def answer_of(self, inspection_id: str, code: str) -> Answer | None:
        """The stored answer to one item (value, result, note, photos), or None when never answered."""
        return self._repo.answer(inspection_id, code)

    def attachment_bytes(self, sha256: str) -> bytes:
        """A stored photo or signature image, verified against its hash (a file read: fine off the UI thread)."""
        return bytes(self._store.attachments.get_bytes(sha256))

    def list(self, query: InspectionQuery | None = None) -> builtins.list[InspectionSummary]:
        return self._repo.list(query)

    def versions(self, inspection_id: str) -> builtins.list[InspectionSummary]:
        return self._repo.versions(inspection_id)

    # -- answering (autosaved) ------------------------------------------------------------------------------

    def answer(
        self, actor: User, inspection_id: str, code: str, value: str | None, note: str | None = None
    ) -> Result | None:
        """Validate, judge and store one answer at once; returns the judged result. ``value`` None or ""
        clears the answer; ``note`` None keeps the stored note. Hidden items may be answered (not counted)."""
        require_role(actor, Role.INSPECTOR)
        checklist = self._pinned_checklist(inspection_id)  # the store's triggers refuse non-drafts
        self._item_exists(checklist, code)
        item = checklist.item(code)
        if value is not None and value != "":
            problem = item.check_value(value)
            if problem:
                raise ValidationError(problem)
        result = item.judge(value)
        answer = Answer(code, value or None, result, note or "", answered_at=self._now())
        self._repo.save_answer(inspection_id, answer, keep_note=note is None)
        return result

    def set_note(self, actor: User, inspection_id: str, code: str, note: str) -> None:
        require_role(actor, Role.INSPECTOR)
        _, checklist = self._draft(inspection_id)
        self._item_exists(checklist, code)
        self._repo.save_note(inspection_id, code, note.strip())

    def attach_photo(
        self, actor: User, inspection_id: str, code: str, source: str | Path | bytes
    ) -> Attachment:
        """Downscale, strip metadata, store by SHA-256, then link to the item (file before row)."""
        require_role(actor, Role.INSPECTOR)
        _, checklist = self._draft(inspection_id)
        self._item_exists(checklist, code)
        from inspector_app.services.support.media import (
            prepare_photo,  # Pillow loads only when photos are added
        )

        image = prepare_photo(source)
        attachment = self._store.attachments.put(image.data, "photo", image.mime, image.width, image.height)
        self._repo.add_photo(inspection_id, code, attachment.sha256)
        return attachment

    def remove_photo(self, actor: User, inspection_id: str, code: str, sha256: str) -> None:
        require_role(actor, Role.INSPECTOR)
        self._draft(inspection_id)
        self._repo.remove_photo(inspection_id, code, sha256)

    def set_details(
        self,
        actor: User,
        inspection_id: str,
        *,
        place: str | None = None,
        other_findings: str | None = None,
        accompanying: str | None = None,
        recusal_requested: bool | None = None,
        on_spot_fix: str | None = None,
    ) -> None:
        """Header fields of a draft (place, 其他发现, 陪同人员, 是否申请回避, 当场整改情况)."""
        require_role(actor, Role.INSPECTOR)
        self._draft(inspection_id)
        given = {
            "place": place,
            "other_findings": other_findings,
            "accompanying": accompanying,
            "recusal_requested": recusal_requested,
            "on_spot_fix": on_spot_fix,
        }
        fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in given.items() if v is not None}
        self._repo.update_details(inspection_id, **fields)

    def set_handling(self, actor: User, inspection_id: str, handling: Handling | str) -> None:
        """Choose the handling (needed when the verdict offers a choice, i.e. 不符合)."""
        require_role(actor, Role.INSPECTOR)
        self._draft(inspection_id)
        allowed = self.evaluate(inspection_id).handlings
        if handling not in [h.value for h in allowed]:
            options = "、".join(h.value for h in allowed)
            raise ValidationError(f"处理措施“{handling}”不适用于当前结果，可选：{options}")
        self._repo.update_details(inspection_id, handling=str(handling))

    # -- orders and signatures -----------------------------------------------------------------------------

    def add_order(
        self,
        actor: User,
        inspection_id: str,
        item_code: str,
        requirement: str,
        deadline: date,
        hazard: FiveImplementations | None = None,
    ) -> RectificationOrder:
        """A 整改要求 for a failed item; it becomes a 回头看 follow-up due at ``deadline`` on finalizing."""
        require_role(actor, Role.INSPECTOR)
        _, checklist = self._draft(inspection_id)
        self._item_exists(checklist, item_code)
        stored = self._repo.answer(inspection_id, item_code)
        if stored is None or stored.result is not Result.NONCOMPLIANT:
            raise ValidationError(f"{item_code} 未判定为不符合，不能下达整改要求")
        checks.check_order(checklist, item_code, requirement, deadline, hazard, self._today())
        order = RectificationOrder(str(uuid.uuid4()), item_code, requirement.strip(), deadline, hazard)
        self._repo.add_order(inspection_id, order)
        return order

    def remove_order(self, actor: User, inspection_id: str, order_id: str) -> None:
        require_role(actor, Role.INSPECTOR)
        self._draft(inspection_id)
        self._repo.remove_order(inspection_id, order_id)

    def sign(
        self, actor: User, inspection_id: str, role: SignerRole | str, signer_name: str, png: bytes
    ) -> Signature:
        """Store a signature image; inspectors sign under their name on the record."""
        require_role(actor, Role.INSPECTOR)
        self._draft(inspection_id)
        role = SignerRole(role)
        name = signer_name.strip()
        if not name:
            raise ValidationError("请填写签名人姓名")
        record = self._repo.load(inspection_id)
        if role is SignerRole.INSPECTOR and name not in {i.name for i in record.inspectors}:
            raise ValidationError(f"“{name}”不是本记录的执法人员，不能以执法人员身份签名")
        from inspector_app.services.support.media import prepare_signature

        image = prepare_signature(png)
        attachment = self._store.attachments.put(
            image.data, "signature", image.mime, image.width, image.height
        )
        signature = Signature(role, name, attachment.sha256, signed_at=self._now())
        self._repo.save_signature(inspection_id, signature)
        return signature

    def refuse_signature(self, actor: User, inspection_id: str, reason: str, witness_name: str) -> Signature:
        """The party refuses to sign: the reason and a witness (not one of the inspectors) are recorded."""
        require_role(actor, Role.INSPECTOR)
        self._draft(inspection_id)
        record = self._repo.load(inspection_id)
        if not reason.strip():
            raise ValidationError("当事人拒绝签名时，须注明拒签原因")
        if not witness_name.strip():
            raise ValidationError("当事人拒绝签名时，须有见证人并填写其姓名")
        if witness_name.strip() in {i.name for i in record.inspectors}:
            raise ValidationError("见证人不能是本次检查的执法人员")
        signer = record.business.responsible or record.business.name
        signature = Signature(
            SignerRole.PARTY, signer, refused=True, refusal_reason=reason.strip(),
            witness_name=witness_name.strip(), signed_at=self._now(),
        )  # fmt: skip
        self._repo.save_signature(inspection_id, signature)
        return signature

    # -- evaluation and finalization -----------------------------------------------------------------------

    def evaluate_record(self, record: Inspection, checklist: Checklist | None = None) -> Evaluation:
        """Tally, verdict, allowed handlings and (量化分级 checklists) grade of ``record`` as it stands.

        The one place the rules are applied: finalizing stores exactly what the editor previewed with this.
        """
        checklist = checklist or self.checklist_of(record)
        return evaluate(
            checklist,
            record.values(),
            record.attributes,
            rule=self.forms.verdict_rule(checklist),
            grade_rules=self.forms.grade_rules,
            today=self._today(),
            licensed_on=_parse_date(record.attributes.get("licensed_on", "")),
            last_incident_on=_parse_date(record.attributes.get("last_incident_on", "")),
        )

    def evaluate(self, inspection_id: str) -> Evaluation:
        """:meth:`evaluate_record` of the stored record."""
        return self.evaluate_record(self._repo.load(inspection_id))

    def missing(self, inspection_id: str) -> builtins.list[str]:
        """What still blocks finalizing, in Chinese (empty when the record can be finalized)."""
        record = self._repo.load(inspection_id)
        checklist = self.checklist_of(record)
        return blocking_problems(checklist, record, self.evaluate_record(record, checklist))

    def finalize(self, actor: User, inspection_id: str, handling: Handling | str | None = None) -> Inspection:
        """Seal the record: verdict/grade stored, document number, content hash, follow-ups. Irreversible."""
        require_role(actor, Role.INSPECTOR)
        record = self._repo.load(inspection_id)
        check_editable(record.status)
        checklist = self.checklist_of(record)
        evaluation = self.evaluate_record(record, checklist)
        if handling is not None:
            if handling not in [h.value for h in evaluation.handlings]:
                options = "、".join(h.value for h in evaluation.handlings)
                raise ValidationError(
                    f"处理措施“{handling}”不适用于结果“{evaluation.verdict.value}”，可选：{options}"
                )
            record.handling = str(handling)
        elif record.handling not in evaluation.handlings:  # none chosen, or chosen for an earlier verdict
            default = evaluation.default_handling
            record.handling = default.value if default is not None else ""
        problems = blocking_problems(checklist, record, evaluation)
        if problems:
            raise ValidationError("尚不能定稿：" + "；".join(problems))
        self._seal(record, evaluation)
        return self._repo.load(inspection_id)

    def _seal(self, record: Inspection, evaluation: Evaluation) -> None:
        record.verdict = evaluation.verdict.value
        record.verdict_rule = evaluation.rule.id if evaluation.rule is not None else ""
        if not Handling(record.handling).needs_on_spot_record:
            record.on_spot_fix = ""  # typed for a handling that was then not chosen
        if evaluation.grade is not None:
            record.grade = evaluation.grade.grade.value
            record.score = evaluation.grade.score
        record.finalized_at = self._now()
        record.device_id = self.device.id
        year = record.finalized_at.astimezone(CHINA_TZ).year
        record.document_no = self._repo.next_document_no(self.device.document_series(year))
        canonical = canonical_bytes(record).decode()
        followups = [
            FollowUp(
                str(uuid.uuid4()),
                record.id,
                order.id,
                record.business.uscc,
                record.business.name,
                order.item_code,
                order.requirement,
                order.deadline,
            )  # fmt: skip
            for order in record.orders
        ]
        outcomes = [(fid, o.value) for fid, o in order_outcomes(record, self.checklist_of(record))]
        closing = (
            "" if outcomes or record.inspection_type is not InspectionType.FOLLOW_UP else record.business.uscc
        )
        record.content_hash = content_hash(record)
        with self._store.transaction():  # the record, its follow-ups and its seal: all or nothing
            self._repo.finalize(
                record,
                canonical,
                record.content_hash,
                followups,
                close_followups_of=closing,
                outcomes=outcomes,
            )
            self._sealer.seal_record(record)

    def new_version(self, actor: User, inspection_id: str) -> Inspection:
        """A correction: a new draft copying answers and orders (not signatures), version + 1."""
        require_role(actor, Role.INSPECTOR)
        old = self._repo.load(inspection_id)
        check_correctable(old.status)
        newer = self._repo.successor(inspection_id)
        if newer is not None:
            raise LifecycleError(f"该记录已有新版本（{newer}），请在最新版本上修改")
        draft = replace(
            old,
            id=str(uuid.uuid4()),
            status=RecordStatus.DRAFT,
            version=old.version + 1,
            previous_id=old.id,
            answers=copy.deepcopy(old.answers),
            orders=[replace(o, id=str(uuid.uuid4())) for o in old.orders],
            signatures=[],
            attachments={},
            verdict="",
            verdict_rule="",
            grade="",
            score=None,
            document_no="",
            created_by=actor.id,
            device_id=self.device.id,
            finalized_at=None,
            content_hash="",
        )
        self._repo.create(draft, family=self.checklist_of(old).family.value)
        return self._repo.load(draft.id)

    def delete_draft(self, actor: User, inspection_id: str) -> None:
        require_role(actor, Role.INSPECTOR)
        self._draft(inspection_id)
        self._repo.delete_draft(inspection_id)
        self._pinned.pop(inspection_id, None)

    # -- home-screen tasks ---------------------------------------------------------------------------------

    def drafts(self, actor: User) -> builtins.list[InspectionSummary]:
        return self._repo.drafts(actor.id)

    def followups_due(self, today: date | None = None, days: int = DUE_SOON_DAYS) -> builtins.list[FollowUp]:
        """Open 回头看 tasks due from ``today`` to ``today + days``."""
        day = today or self._today()
        return self._repo.followups(
            status=FollowUpStatus.OPEN.value, due_from=day, due_to=day + timedelta(days=days)
        )

    def overdue_orders(self, today: date | None = None) -> builtins.list[FollowUp]:
        """Open 回头看 tasks whose deadline has passed."""
        day = today or self._today()
        return self._repo.followups(status=FollowUpStatus.OPEN.value, due_to=day - timedelta(days=1))

    def open_followups(self, uscc: str = "") -> builtins.list[FollowUp]:
        """Every open 回头看 task (of one business when ``uscc`` is given), by deadline."""
        code = normalize_code(uscc) if uscc else ""
        return self._repo.followups(status=FollowUpStatus.OPEN.value, uscc=code)

    # -- after finalizing ----------------------------------------------------------------------------------

    def mark_synced(self, inspection_id: str) -> None:
        """Record that headquarters holds this finalized record (``finalized → synced``, checked in core)."""
        self._repo.set_status(inspection_id, RecordStatus.SYNCED)
