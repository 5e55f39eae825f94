"""InspectionService: starting, autosaved answers, orders, signatures, finalization, versions, roles."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from inspector_app.core.accounts import Role, User
from inspector_app.core.checklist import Family, Result
from inspector_app.core.errors import LifecycleError, NotFound, PermissionDenied, ValidationError
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import (
    FiveImplementations,
    InspectionType,
    Inspector,
    SignerRole,
    content_hash,
)
from inspector_app.core.registry import BusinessKind, Equipment, EquipmentType
from inspector_app.core.summaries import FollowUpStatus
from inspector_app.core.verdicts import Handling
from inspector_app.services.app import Services
from tests.builders import (
    T0,
    USCC_A,
    make_business,
    make_checklist,
    make_inspectors,
    make_jpeg,
    make_library,
    make_signature_png,
)

INSPECTOR = User("u-li", "li", "李明", Role.INSPECTOR, "42080001")
SUPERVISOR = User("u-sup", "sup", "审核人", Role.SUPERVISOR)
ADMIN = User("u-adm", "adm", "管理员", Role.ADMIN)
ALL_OK = {"K1": "符合", "K2": "符合", "G1": "符合", "G2": "是", "G3": "4", "G4": "已公示", "C1": "符合"}
UNIT_USCC = make_uscc("91420804MA4F00003")
ELEVATOR = "31104208012019000001"


def open_services(home, clock, library=None):
    """Another Services on the same data home (a reopened app, or one with other checklists)."""
    return Services(home, clock=clock, forms=library or make_library())


@pytest.fixture
def forms():
    return make_library()


@pytest.fixture(autouse=True)
def businesses(store):
    """A small restaurant and an equipment unit with one elevator, written straight into the store."""
    store.businesses.upsert(make_business(), "hsxcd", "2026-01-01T00:00:00Z")
    unit = make_business(
        uscc=UNIT_USCC, name="掇刀区某物业公司", kind=BusinessKind.EQUIPMENT_UNIT, area="掇刀区"
    )
    store.businesses.upsert(unit, "dd", "2026-01-01T00:00:00Z")
    store.businesses.upsert_equipment([Equipment(ELEVATOR, UNIT_USCC, EquipmentType.ELEVATOR)])


@pytest.fixture
def svc(services):
    return services.inspections


def start(svc, **overrides):
    args = {
        "uscc": USCC_A,
        "form_id": "food.test_catering",
        "inspectors": make_inspectors(),
        "inspection_type": InspectionType.ROUTINE,
        "place": "",
    }
    args.update(overrides)
    return svc.start(INSPECTOR, **args)


def fill(svc, record_id, values=None, notes=None):
    for code, value in (values or ALL_OK).items():
        svc.answer(INSPECTOR, record_id, code, value, (notes or {}).get(code))


def sign_all(svc, record_id):
    svc.sign(INSPECTOR, record_id, SignerRole.INSPECTOR, "李明", make_signature_png(1))
    svc.sign(INSPECTOR, record_id, "inspector", "张华", make_signature_png(2))
    svc.sign(INSPECTOR, record_id, "party", "王红山", make_signature_png(3))


def ready(svc, values=None, notes=None, **overrides):
    record = start(svc, **overrides)
    fill(svc, record.id, values, notes)
    sign_all(svc, record.id)
    return record


# -- start ---------------------------------------------------------------------------------------------------


def test_start_pins_the_latest_form_version_and_snapshots_the_party(home, clock, services):
    library = make_library(make_checklist(version=1), make_checklist(version=2))
    svc = open_services(home, clock, library).inspections
    record = start(svc)
    assert (record.form_id, record.form_version, record.status) == (
        "food.test_catering",
        2,
        RecordStatus.DRAFT,
    )
    assert record.business.name == "荆门市东宝区红山小吃店" and record.place == make_business().address
    assert record.attributes["kind"] == "小餐饮" and record.attributes["risk_grade"] == "B"
    assert record.started_at == T0 and record.created_by == INSPECTOR.id


def test_start_needs_two_distinct_inspectors_with_badge_numbers(svc):
    (one, two) = make_inspectors()
    for crew, words in [
        ([one], "不少于2名"),
        ([one, Inspector("张华", "")], "执法证号"),
        ([one, Inspector("张华", one.badge_no)], "重复"),
        ([one, Inspector(" ", "9")], "姓名"),
    ]:
        with pytest.raises(ValidationError, match=words):
            start(svc, inspectors=crew)
    assert start(svc, inspectors=[one, two]).inspectors == [one, two]


def test_start_refuses_an_unknown_business_or_a_checklist_for_another_kind(svc):
    with pytest.raises(NotFound, match="主体名录"):
        start(svc, uscc=make_uscc("91420800MA4F99999"))
    with pytest.raises(ValidationError, match="适用于"):
        start(svc, form_id="cosmetics.test_shop")


def test_start_normalises_the_uscc_and_accepts_a_type_label(svc):
    record = start(svc, uscc=" " + USCC_A.lower(), inspection_type="双随机")
    assert record.business.uscc == USCC_A and record.inspection_type is InspectionType.RANDOM


def test_equipment_checklists_need_a_registered_device_of_the_unit(svc):
    with pytest.raises(ValidationError, match="设备代码"):
        start(svc, uscc=UNIT_USCC, form_id="equipment.test_elevator")
    with pytest.raises(ValidationError, match="名下没有"):
        start(svc, uscc=UNIT_USCC, form_id="equipment.test_elevator", equipment_code="31104208012019000009")
    record = start(svc, uscc=UNIT_USCC, form_id="equipment.test_elevator", equipment_code=ELEVATOR)
    assert record.attributes["equipment_type"] == "电梯" and record.equipment_code == ELEVATOR


# -- answers -------------------------------------------------------------------------------------------------


def test_answers_are_validated_judged_and_saved_at_once(home, clock, services):
    record = start(services.inspections)
    assert (
        services.inspections.answer(INSPECTOR, record.id, "G3", "12.5", "冷藏温度过高") is Result.NONCOMPLIANT
    )
    with pytest.raises(ValidationError, match="不是数字"):
        services.inspections.answer(INSPECTOR, record.id, "G3", "冷")
    with pytest.raises(ValidationError, match="无效"):
        services.inspections.answer(INSPECTOR, record.id, "K1", "可以")
    with pytest.raises(ValidationError, match="没有检查项"):
        services.inspections.answer(INSPECTOR, record.id, "ZZ9", "符合")
    services.close()  # as after a crash: nothing but what was written survives
    reopened = open_services(home, clock).inspections.get(record.id)
    assert (reopened.answers["G3"].value, reopened.answers["G3"].note) == ("12.5", "冷藏温度过高")


def test_answering_without_a_note_keeps_the_note_and_an_empty_value_clears_the_answer(svc):
    record = start(svc)
    svc.answer(INSPECTOR, record.id, "G1", "不符合", "墙面破损")
    svc.answer(INSPECTOR, record.id, "G1", "不符合")
    assert svc.get(record.id).answers["G1"].note == "墙面破损"
    assert svc.answer(INSPECTOR, record.id, "G1", "") is None
    assert svc.get(record.id).answers["G1"].value is None


def test_hidden_items_may_be_answered_but_do_not_count(svc):
    record = start(svc)
    fill(svc, record.id, ALL_OK | {"G2": "否", "C1": "不符合"}, {"G2": "未公示"})
    evaluation = svc.evaluate(record.id)
    assert evaluation.tally.general_failed == ("G2",)


def test_photos_are_stored_downscaled_and_linked_to_the_item(svc):
    record = start(svc)
    attachment = svc.attach_photo(INSPECTOR, record.id, "K2", make_jpeg(3200, 2400))
    assert (attachment.width, attachment.height, attachment.mime) == (1600, 1200, "image/jpeg")
    assert svc.get(record.id).answers["K2"].photos == [attachment.sha256]
    assert svc.attachment_bytes(attachment.sha256)[:2] == b"\xff\xd8"
    svc.remove_photo(INSPECTOR, record.id, "K2", attachment.sha256)
    assert "K2" not in svc.get(record.id).answers


# -- missing and finalize ------------------------------------------------------------------------------------


def test_missing_lists_everything_that_blocks_finalizing(svc):
    record = start(svc)
    svc.answer(INSPECTOR, record.id, "K2", "不符合")
    problems = "\n".join(svc.missing(record.id))
    for expected in ("K1 尚未作答", "K2 判定为不符合，需填写问题说明", "K2 判定为不符合，需拍摄现场照片",
                     "执法人员签名不足2人", "当事人未签名", "请选择处理措施"):  # fmt: skip
        assert expected in problems
    with pytest.raises(ValidationError, match="尚不能定稿"):
        svc.finalize(INSPECTOR, record.id)


def test_finalize_stores_the_verdict_and_a_hash_equal_to_the_recomputed_content_hash(svc, services):
    record = ready(svc, ALL_OK | {"G1": "不符合"}, {"G1": "地面油污"})
    sealed = svc.finalize(INSPECTOR, record.id)
    assert (sealed.status, sealed.verdict, sealed.handling) == (
        RecordStatus.FINALIZED,
        "基本符合",
        "书面限期整改",
    )
    assert sealed.content_hash == content_hash(sealed) == content_hash(svc.get(record.id))
    assert sealed.finalized_at == T0
    device = json.loads(services.home.device_file.read_text())
    assert re.fullmatch(rf"JM-{device['prefix']}-2026-000001", sealed.document_no)
    with pytest.raises(LifecycleError):
        svc.answer(INSPECTOR, record.id, "G1", "符合")


def test_document_numbers_are_sequential_on_one_device(svc):
    numbers = []
    for _ in range(2):
        record = ready(svc)
        numbers.append(svc.finalize(INSPECTOR, record.id).document_no)
    assert [n[-6:] for n in numbers] == ["000001", "000002"] and numbers[0][:-6] == numbers[1][:-6]


def test_noncompliant_needs_a_handling_choice_at_finalize(svc):
    record = ready(svc, ALL_OK | {"K1": "不符合"}, {"K1": "无证经营"})
    with pytest.raises(ValidationError, match="不适用于"):
        svc.finalize(INSPECTOR, record.id, handling=Handling.PASS)
    sealed = svc.finalize(INSPECTOR, record.id, handling=Handling.STOP_AND_INVESTIGATE)
    assert (sealed.verdict, sealed.handling) == ("不符合", "立即停止生产经营并调查处理")


def test_a_handling_chosen_on_the_draft_is_used_at_finalize(svc):
    record = ready(svc, ALL_OK | {"K1": "不符合"}, {"K1": "无证经营"})
    svc.set_handling(INSPECTOR, record.id, "限期整改")
    assert svc.missing(record.id) == []
    assert svc.finalize(INSPECTOR, record.id).handling == "限期整改"


def test_the_catering_grade_is_computed_and_stored(home, clock, services):
    library = make_library(make_checklist(grading="catering"))
    svc = open_services(home, clock, library).inspections
    record = ready(svc, ALL_OK | {"G1": "不符合"}, {"G1": "油污"})
    sealed = svc.finalize(INSPECTOR, record.id)
    assert (sealed.grade, sealed.score) == ("良好", 8.9)  # 8 of 9 weighted points


def test_a_refusal_with_reason_and_witness_replaces_the_party_signature(svc):
    record = start(svc)
    fill(svc, record.id)
    svc.sign(INSPECTOR, record.id, "inspector", "李明", make_signature_png(1))
    svc.sign(INSPECTOR, record.id, "inspector", "张华", make_signature_png(2))
    with pytest.raises(ValidationError, match="见证人不能是"):
        svc.refuse_signature(INSPECTOR, record.id, "拒绝签字", "李明")
    svc.refuse_signature(INSPECTOR, record.id, "拒绝签字", "社区网格员赵六")
    sealed = svc.finalize(INSPECTOR, record.id)
    party = [s for s in sealed.signatures if s.role is SignerRole.PARTY]
    assert party[0].refused and party[0].witness_name == "社区网格员赵六"


def test_only_the_inspectors_on_the_record_sign_as_inspectors(svc):
    record = start(svc)
    with pytest.raises(ValidationError, match="不是本记录的执法人员"):
        svc.sign(INSPECTOR, record.id, "inspector", "王五", make_signature_png())


# -- orders and follow-ups -----------------------------------------------------------------------------------


def test_orders_create_follow_ups_due_at_their_deadlines(svc):
    record = ready(svc, ALL_OK | {"G1": "不符合", "G2": "否"}, {"G1": "油污", "G2": "未公示"})
    svc.add_order(INSPECTOR, record.id, "G1", "清理地面油污", date(2026, 3, 9))
    svc.add_order(INSPECTOR, record.id, "G2", "公示许可证", date(2026, 3, 20))
    assert svc.followups_due(date(2026, 3, 2)) == []  # nothing before finalizing
    svc.finalize(INSPECTOR, record.id)
    assert [(f.item_code, f.due_date) for f in svc.followups_due(date(2026, 3, 2))] == [
        ("G1", date(2026, 3, 9))
    ]
    assert [f.item_code for f in svc.followups_due(date(2026, 3, 2), days=30)] == ["G1", "G2"]
    assert [f.item_code for f in svc.overdue_orders(date(2026, 3, 10))] == ["G1"]


def test_a_follow_up_visit_closes_the_open_follow_ups(svc, store):
    record = ready(svc, ALL_OK | {"G1": "不符合"}, {"G1": "油污"})
    svc.add_order(INSPECTOR, record.id, "G1", "清理", date(2026, 3, 9))
    svc.finalize(INSPECTOR, record.id)
    visit = ready(svc, inspection_type=InspectionType.FOLLOW_UP)
    svc.finalize(INSPECTOR, visit.id)
    assert svc.overdue_orders(date(2026, 4, 1)) == []
    done = store.inspections.followups(status=FollowUpStatus.DONE.value)
    assert [f.done_inspection_id for f in done] == [visit.id]


def test_orders_need_a_failed_item_a_requirement_and_a_deadline_not_in_the_past(svc):
    record = start(svc)
    svc.answer(INSPECTOR, record.id, "G1", "符合")
    with pytest.raises(ValidationError, match="未判定为不符合"):
        svc.add_order(INSPECTOR, record.id, "G1", "整改", date(2026, 3, 9))
    svc.answer(INSPECTOR, record.id, "G1", "不符合", "油污")
    with pytest.raises(ValidationError, match="已过"):
        svc.add_order(INSPECTOR, record.id, "G1", "整改", date(2026, 3, 1))
    with pytest.raises(ValidationError, match="整改要求"):
        svc.add_order(INSPECTOR, record.id, "G1", " ", date(2026, 3, 9))
    order = svc.add_order(INSPECTOR, record.id, "G1", "整改", date(2026, 3, 2))  # today is allowed
    svc.remove_order(INSPECTOR, record.id, order.id)
    assert svc.get(record.id).orders == []


def test_equipment_orders_must_carry_the_five_implementations(svc):
    record = start(svc, uscc=UNIT_USCC, form_id="equipment.test_elevator", equipment_code=ELEVATOR)
    svc.answer(INSPECTOR, record.id, "K1", "不符合", "安全保护装置失效")
    with pytest.raises(ValidationError, match="五落实"):
        svc.add_order(INSPECTOR, record.id, "K1", "停用并维修", date(2026, 3, 5))
    partial = FiveImplementations("物业经理", "更换限速器", date(2026, 3, 5), "", "已有预案")
    with pytest.raises(ValidationError, match="资金落实"):
        svc.add_order(INSPECTOR, record.id, "K1", "停用并维修", date(2026, 3, 5), partial)
    hazard = FiveImplementations("物业经理", "更换限速器", date(2026, 3, 5), "2万元", "已有预案")
    order = svc.add_order(INSPECTOR, record.id, "K1", "停用并维修", date(2026, 3, 5), hazard)
    assert svc.get(record.id).orders == [order] and order.hazard == hazard
    assert svc.checklist_of(record).family is Family.EQUIPMENT


# -- versions ------------------------------------------------------------------------------------------------


def test_a_new_version_copies_answers_and_orders_but_not_signatures(svc):
    record = ready(svc, ALL_OK | {"G1": "不符合"}, {"G1": "油污"})
    svc.add_order(INSPECTOR, record.id, "G1", "清理", date(2026, 3, 9))
    with pytest.raises(LifecycleError, match="只有已定稿或已退回"):
        svc.new_version(INSPECTOR, record.id)
    old = svc.finalize(INSPECTOR, record.id)
    draft = svc.new_version(INSPECTOR, record.id)
    assert (draft.version, draft.previous_id, draft.status) == (2, old.id, RecordStatus.DRAFT)
    assert draft.values() == old.values() and draft.answers["G1"].note == "油污"
    assert [o.item_code for o in draft.orders] == ["G1"] and draft.orders[0].id != old.orders[0].id
    assert draft.signatures == [] and draft.verdict == "" and draft.document_no == ""
    assert [v.id for v in svc.versions(draft.id)] == [old.id, draft.id]
    with pytest.raises(LifecycleError, match="已有新版本"):
        svc.new_version(INSPECTOR, record.id)
    assert svc.get(old.id).content_hash == content_hash(svc.get(old.id))  # the old one never changed


def test_a_returned_record_can_be_corrected_by_a_new_version(svc, store):
    record = ready(svc)
    svc.finalize(INSPECTOR, record.id)
    store.inspections.set_status(record.id, RecordStatus.RETURNED)
    draft = svc.new_version(INSPECTOR, record.id)
    sign_all(svc, draft.id)
    assert svc.finalize(INSPECTOR, draft.id).version == 2


# -- roles and home tasks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", [SUPERVISOR, ADMIN, None])
def test_only_inspectors_start_answer_sign_and_finalize(svc, actor):
    record = ready(svc)
    attempts = [
        lambda: svc.start(actor, USCC_A, "food.test_catering", make_inspectors(), "日常检查", ""),
        lambda: svc.answer(actor, record.id, "K1", "不符合"),
        lambda: svc.set_note(actor, record.id, "K1", "x"),
        lambda: svc.attach_photo(actor, record.id, "K1", make_jpeg()),
        lambda: svc.sign(actor, record.id, "party", "王红山", make_signature_png()),
        lambda: svc.finalize(actor, record.id),
        lambda: svc.new_version(actor, record.id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert svc.get(record.id).status is RecordStatus.DRAFT


def test_drafts_lists_the_users_own_drafts(svc):
    mine = start(svc)
    other = User("u-zhang", "zhang", "张华", Role.INSPECTOR, "42080002")
    svc.start(other, USCC_A, "food.test_catering", make_inspectors(), "日常检查", "")
    assert [s.id for s in svc.drafts(INSPECTOR)] == [mine.id]
    svc.delete_draft(INSPECTOR, mine.id)
    assert svc.drafts(INSPECTOR) == []


def test_details_of_a_draft_are_saved(svc):
    record = start(svc)
    svc.set_details(INSPECTOR, record.id, place=" 后厨 ", other_findings="无", recusal_requested=True)
    loaded = svc.get(record.id)
    assert (loaded.place, loaded.other_findings, loaded.recusal_requested) == ("后厨", "无", True)


CRASHING_SESSION = """
import os, sys
from datetime import UTC, datetime
from pathlib import Path
sys.path.insert(0, {root!r})
from inspector_app.core.accounts import Role, User
from inspector_app.core.clock import FixedClock
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from tests.builders import make_library
services = Services(DataHome(Path({home!r})), clock=FixedClock(datetime(2026, 3, 2, 1, tzinfo=UTC)), forms=make_library())
actor = User("u-li", "li", "李明", Role.INSPECTOR, "42080001")
services.inspections.answer(actor, {record_id!r}, "K1", "不符合", "无健康证")
services.inspections.answer(actor, {record_id!r}, "G3", "3")
os._exit(9)  # the laptop dies: no close, no commit call, no atexit
"""


def test_a_draft_reopens_exactly_as_left_after_the_process_dies(home, clock, services):
    record = start(services.inspections)
    root = str(Path(__file__).resolve().parents[3])
    script = CRASHING_SESSION.format(root=root, home=str(home.root), record_id=record.id)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 9, result.stderr
    reopened = open_services(home, clock).inspections.get(record.id)
    assert {c: (a.value, a.note) for c, a in reopened.answers.items()} == {
        "K1": ("不符合", "无健康证"),
        "G3": ("3", ""),
    }


# -- verdict rule, handlings and the on-the-spot path --------------------------------------------------------


def start_elevator(svc):
    return start(svc, uscc=UNIT_USCC, form_id="equipment.test_elevator", equipment_code=ELEVATOR)


def test_a_major_hazard_defaults_to_stop_use_with_seizure_and_records_the_rule(svc):
    record = start_elevator(svc)
    fill(svc, record.id, ALL_OK | {"K1": "不符合"}, {"K1": "光幕失效"})
    sign_all(svc, record.id)
    sealed = svc.finalize(INSPECTOR, record.id)
    assert (sealed.verdict, sealed.handling, sealed.verdict_rule) == (
        "立即停止使用",
        "责令立即停止使用，依法查封扣押",
        "equipment_hazard",
    )
    assert sealed.on_spot_fix == "" and content_hash(sealed) == sealed.content_hash


def test_a_hazard_fixed_on_the_spot_is_recorded_and_waives_the_seizure(svc, store):
    record = start_elevator(svc)
    fill(svc, record.id, ALL_OK | {"K1": "不符合"}, {"K1": "光幕失效"})
    sign_all(svc, record.id)
    svc.set_handling(INSPECTOR, record.id, Handling.STOP_USE_FIXED)
    assert svc.missing(record.id) == [
        "处理措施为“责令立即停止使用；当场整改完毕，依法不予查封、扣押”，须记录当场整改情况（整改了什么、如何整改）"
    ]
    svc.set_details(INSPECTOR, record.id, on_spot_fix="维保单位到场更换光幕，复测门防夹保护有效")
    sealed = svc.finalize(INSPECTOR, record.id)
    assert sealed.handling == Handling.STOP_USE_FIXED.value
    assert sealed.on_spot_fix == "维保单位到场更换光幕，复测门防夹保护有效"
    stored = svc.get(record.id)
    assert stored.on_spot_fix == sealed.on_spot_fix and content_hash(stored) == stored.content_hash
    canonical = json.loads(
        store.db.execute("SELECT canonical_json FROM inspections WHERE id = ?", [record.id]).fetchone()[0]
    )
    assert canonical["on_spot_fix"] == sealed.on_spot_fix and canonical["verdict_rule"] == "equipment_hazard"
    with pytest.raises(Exception, match="已定稿"):
        store.db.execute("UPDATE inspections SET on_spot_fix = 'x' WHERE id = ?", [record.id])


def test_a_general_item_affecting_food_safety_may_be_investigated(svc):
    record = ready(svc, ALL_OK | {"G1": "不符合"}, {"G1": "冷藏柜温度12℃"})
    sealed = svc.finalize(INSPECTOR, record.id, handling=Handling.INVESTIGATE)
    assert (sealed.verdict, sealed.handling) == ("基本符合", "依法调查处理")


def test_an_on_the_spot_note_typed_for_a_handling_not_chosen_is_not_kept(svc):
    record = ready(svc, ALL_OK | {"G1": "不符合"}, {"G1": "地面湿滑"})
    svc.set_details(INSPECTOR, record.id, on_spot_fix="当场清理")
    sealed = svc.finalize(INSPECTOR, record.id)
    assert (sealed.handling, sealed.on_spot_fix) == ("书面限期整改", "")
    assert sealed.verdict_rule == "legacy_three_level"  # the test checklist names no rule: version-1 rule


# -- 量化分级 annual grade -----------------------------------------------------------------------------------


def test_the_annual_grade_comes_from_the_scored_visits_and_counts_a_corrected_record_once(home, clock, store):
    services = Services(home, clock, make_library(make_checklist(grading="catering")), store=store)
    svc = services.inspections
    first = ready(svc)  # 10.0
    svc.finalize(INSPECTOR, first.id)
    clock.advance(days=30)
    second = ready(svc, ALL_OK | {"G1": "不符合", "G2": "否"}, {"G1": "油污", "G2": "未公示"})
    svc.finalize(INSPECTOR, second.id)
    corrected = svc.new_version(INSPECTOR, second.id)
    fill(svc, corrected.id)  # the correction finds everything in order after all: 10.0
    sign_all(svc, corrected.id)
    svc.finalize(INSPECTOR, corrected.id)
    grade = services.grading.catering_annual_grade(USCC_A)
    assert [v.score for v in grade.visits] == [10.0, 10.0]
    assert grade.level == "A" and grade.mean_score == 10.0
    assert services.grading.catering_annual_grade(USCC_A, today=T0.date().replace(year=2028)).level == ""
    services.close()
