"""回头看 end to end through the services: orders become tasks due at their deadline, overdue lists, a follow-up
re-checks only the ordered items (pre-filled), closes / re-orders / escalates each order, and both PDFs refer
to each other."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from inspector_app.core.accounts import Role, User
from inspector_app.core.errors import LifecycleError, PermissionDenied, ValidationError
from inspector_app.core.followups import FOLLOWS_UP, RECHECK_ITEMS
from inspector_app.core.planning import OrderOutcome
from inspector_app.core.records import InspectionType, SignerRole, content_hash
from tests.builders import USCC_A, make_business, make_inspectors, make_library, make_signature_png

INSPECTOR = User("u-li", "li", "李明", Role.INSPECTOR, "42080001", "东宝区")
OTHER = User("u-wang", "wang", "王五", Role.INSPECTOR, "42080009", "掇刀区")
SUPERVISOR = User("u-sup", "sup", "审核人", Role.SUPERVISOR)
ALL_OK = {"K1": "符合", "K2": "符合", "G1": "符合", "G2": "是", "G3": "4", "G4": "已公示", "C1": "符合"}


@pytest.fixture
def forms():
    return make_library()


@pytest.fixture
def services(services, store):
    store.businesses.upsert(make_business(), "hsxcd", "2026-01-01T00:00:00Z")
    return services


def sign_all(services, record_id):
    svc = services.inspections
    svc.sign(INSPECTOR, record_id, SignerRole.INSPECTOR, "李明", make_signature_png(1))
    svc.sign(INSPECTOR, record_id, "inspector", "张华", make_signature_png(2))
    svc.sign(INSPECTOR, record_id, "party", "王红山", make_signature_png(3))


def original_with_orders(services):
    """A visit with K1 and G1 failing, an order for each (due 03-09 and 03-16), finalized."""
    svc = services.inspections
    record = svc.start(INSPECTOR, USCC_A, "food.test_catering", make_inspectors(), InspectionType.ROUTINE, "")
    for code, value in (ALL_OK | {"K1": "不符合", "G1": "不符合"}).items():
        svc.answer(INSPECTOR, record.id, code, value, "后厨地面油污" if value == "不符合" else None)
    svc.add_order(INSPECTOR, record.id, "K1", "立即清理并建立清洁制度", date(2026, 3, 9))
    svc.add_order(INSPECTOR, record.id, "G1", "更换破损的纱窗", date(2026, 3, 16))
    sign_all(services, record.id)
    return svc.finalize(INSPECTOR, record.id, handling="限期整改")


def pdf_text(services, record_id):
    pdf = services.reports.render(record_id)
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def test_every_order_is_a_task_due_at_its_deadline_and_lists_as_overdue_after_it(services):
    original = original_with_orders(services)
    tasks = services.followups.open_tasks(INSPECTOR)
    assert [(t.item_code, t.due_date, t.document_no) for t in tasks] == [
        ("K1", date(2026, 3, 9), original.document_no),
        ("G1", date(2026, 3, 16), original.document_no),
    ]
    assert services.followups.overdue(INSPECTOR, date(2026, 3, 9)) == []
    overdue = services.followups.overdue(INSPECTOR, date(2026, 3, 10))
    assert [(t.item_code, t.days_overdue(date(2026, 3, 10))) for t in overdue] == [("K1", 1)]
    assert [t.item_code for t in services.followups.overdue(SUPERVISOR, date(2026, 3, 20))] == ["K1", "G1"]
    assert [
        t.item_code for t in services.followups.overdue(SUPERVISOR, date(2026, 3, 20), area="掇刀区")
    ] == []
    assert services.followups.overdue(OTHER, date(2026, 3, 20)) == []  # not his records
    assert [t.item_code for t in services.followups.due_soon(INSPECTOR, date(2026, 3, 8), days=7)] == ["K1"]


def test_a_follow_up_rechecks_only_the_ordered_items_prefilled_from_the_orders(services):
    original = original_with_orders(services)
    draft = services.followups.start(INSPECTOR, original.id, make_inspectors())
    assert draft.inspection_type is InspectionType.FOLLOW_UP
    assert draft.attributes[FOLLOWS_UP] == original.id and draft.attributes[RECHECK_ITEMS] == "K1,G1"
    assert (draft.form_id, draft.form_version) == (original.form_id, original.form_version)
    checklist = services.inspections.checklist_of(draft)
    assert [item.code for item in checklist.items] == ["K1", "G1"] and checklist.grading == ""
    assert (
        draft.answers["K1"].note
        == f"原整改要求（{original.document_no}，期限 2026-03-09）：立即清理并建立清洁制度"
    )
    assert draft.answers["K1"].value is None  # the result is the inspector's to judge on site
    with pytest.raises(ValidationError, match="没有检查项 G2"):
        services.inspections.answer(INSPECTOR, draft.id, "G2", "否")
    with pytest.raises(ValidationError, match="进行中的回头看"):
        services.followups.start(INSPECTOR, original.id, make_inspectors())


def test_finalizing_the_follow_up_closes_or_escalates_each_order_end_to_end(services, clock):
    original = original_with_orders(services)
    clock.advance(days=20)
    draft = services.followups.start(INSPECTOR, original.id, make_inspectors())
    services.inspections.answer(INSPECTOR, draft.id, "K1", "符合")
    services.inspections.answer(INSPECTOR, draft.id, "G1", "不符合", "纱窗仍未更换")
    sign_all(services, draft.id)
    assert services.inspections.missing(draft.id) == []
    sealed = services.inspections.finalize(INSPECTOR, draft.id)
    assert (sealed.verdict, sealed.grade) == ("基本符合", "")  # judged on the re-checked items only
    outcomes = {t.item_code: t.outcome for t in services.followups.of_record(original.id)}
    assert outcomes == {"K1": OrderOutcome.CLOSED, "G1": OrderOutcome.ESCALATED}
    assert services.followups.open_tasks(SUPERVISOR) == []
    assert services.followups.overdue(SUPERVISOR, date(2026, 4, 30)) == []
    assert [t.item_code for t in services.followups.escalated(SUPERVISOR)] == ["G1"]
    assert [t.item_code for t in services.followups.escalated(INSPECTOR)] == ["G1"]
    # both printed records refer to each other
    assert f"复查原检查记录{original.document_no}" in pdf_text(services, sealed.id)
    assert "K1（原期限2026-03-09）：已整改，销号" in pdf_text(services, sealed.id)
    original_text = pdf_text(services, original.id)
    assert (
        f"整改要求G1已于2026-03-22回头看（记录{sealed.document_no}）：仍未整改，移交立案查处" in original_text
    )
    assert "不属于本记录经签名和哈希的内容" in original_text
    unchanged = services.inspections.get(original.id)
    assert content_hash(unchanged) == unchanged.content_hash == original.content_hash


def test_a_new_order_on_a_still_failing_item_reorders_instead_of_escalating(services, clock):
    original = original_with_orders(services)
    clock.advance(days=20)
    draft = services.followups.start(INSPECTOR, original.id, make_inspectors())
    services.inspections.answer(INSPECTOR, draft.id, "K1", "符合")
    services.inspections.answer(INSPECTOR, draft.id, "G1", "不符合", "纱窗仍破损")
    services.inspections.add_order(INSPECTOR, draft.id, "G1", "十日内更换纱窗", date(2026, 4, 1))
    sign_all(services, draft.id)
    sealed = services.inspections.finalize(INSPECTOR, draft.id)
    outcomes = {t.item_code: t.outcome for t in services.followups.of_record(original.id)}
    assert outcomes == {"K1": OrderOutcome.CLOSED, "G1": OrderOutcome.REORDERED}
    assert [(t.inspection_id, t.item_code) for t in services.followups.open_tasks(SUPERVISOR)] == [
        (sealed.id, "G1")
    ]
    assert services.followups.escalated(SUPERVISOR) == []


def test_a_follow_up_of_some_orders_leaves_the_others_open(services, clock):
    original = original_with_orders(services)
    k1 = next(t for t in services.followups.of_record(original.id) if t.item_code == "K1")
    draft = services.followups.start(INSPECTOR, original.id, make_inspectors(), followup_ids=[k1.followup_id])
    assert [item.code for item in services.inspections.checklist_of(draft).items] == ["K1"]
    services.inspections.answer(INSPECTOR, draft.id, "K1", "符合")
    sign_all(services, draft.id)
    services.inspections.finalize(INSPECTOR, draft.id)
    assert [t.item_code for t in services.followups.open_tasks(SUPERVISOR)] == ["G1"]


def test_a_corrected_follow_up_redecides_its_orders(services, clock):
    original = original_with_orders(services)
    draft = services.followups.start(INSPECTOR, original.id, make_inspectors())
    services.inspections.answer(INSPECTOR, draft.id, "K1", "符合")
    services.inspections.answer(INSPECTOR, draft.id, "G1", "不符合", "未换")
    sign_all(services, draft.id)
    first = services.inspections.finalize(INSPECTOR, draft.id)
    correction = services.inspections.new_version(INSPECTOR, first.id)
    assert correction.attributes[RECHECK_ITEMS] == "K1,G1"
    services.inspections.answer(INSPECTOR, correction.id, "G1", "符合")
    sign_all(services, correction.id)
    second = services.inspections.finalize(INSPECTOR, correction.id)
    tasks = {t.item_code: t for t in services.followups.of_record(original.id)}
    assert tasks["G1"].outcome is OrderOutcome.CLOSED and tasks["G1"].done_inspection_id == second.id
    assert services.followups.escalated(SUPERVISOR) == []


def test_follow_ups_need_a_finalized_original_with_open_orders_and_an_inspector(services):
    svc = services.inspections
    draft = svc.start(INSPECTOR, USCC_A, "food.test_catering", make_inspectors(), InspectionType.ROUTINE, "")
    with pytest.raises(LifecycleError, match="尚未定稿"):
        services.followups.start(INSPECTOR, draft.id, make_inspectors())
    for code, value in ALL_OK.items():
        svc.answer(INSPECTOR, draft.id, code, value)
    sign_all(services, draft.id)
    clean = svc.finalize(INSPECTOR, draft.id)
    with pytest.raises(ValidationError, match="没有待回头看的整改要求"):
        services.followups.start(INSPECTOR, clean.id, make_inspectors())
    original = original_with_orders(services)
    with pytest.raises(ValidationError, match="不属于该记录或已回头看"):
        services.followups.start(INSPECTOR, original.id, make_inspectors(), followup_ids=["nope"])
    with pytest.raises(PermissionDenied):
        services.followups.start(SUPERVISOR, original.id, make_inspectors())


def test_a_plain_follow_up_visit_still_closes_every_open_order_of_the_business(services):
    """Records of type 回头看 started without a re-check scope keep the earlier behaviour (no outcome)."""
    original = original_with_orders(services)
    svc = services.inspections
    visit = svc.start(
        INSPECTOR, USCC_A, "food.test_catering", make_inspectors(), InspectionType.FOLLOW_UP, ""
    )
    for code, value in ALL_OK.items():
        svc.answer(INSPECTOR, visit.id, code, value)
    sign_all(services, visit.id)
    svc.finalize(INSPECTOR, visit.id)
    tasks = services.followups.of_record(original.id)
    assert {(t.status, t.outcome) for t in tasks} == {("done", None)}
    assert "已回头看" in pdf_text(services, original.id)


def test_a_record_without_links_prints_no_link_block(services):
    original = original_with_orders(services)
    data = services.reports.data(original.id)
    assert data.related == ()
    assert "整改复查（回头看）情况" not in pdf_text(services, original.id)
