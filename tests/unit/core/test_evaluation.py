"""Evaluation (shared by preview and finalize) and the list of what blocks finalizing."""

from __future__ import annotations

import uuid
from datetime import date

from inspector_app.core.checklist import Family, Result
from inspector_app.core.evaluation import FailureEvidence, blocking_problems, evaluate, failure_evidence
from inspector_app.core.records import Answer, RectificationOrder, Signature, SignerRole
from inspector_app.core.verdicts import LEGACY_THREE_LEVEL, Grade, GradeRules, Handling, Verdict
from tests.builders import make_checklist, make_draft

ALL_OK = {"K1": "符合", "K2": "符合", "G1": "符合", "G2": "是", "G3": "4", "G4": "已公示", "C1": "符合"}


def answered(values, **notes):
    record = make_draft()
    for code, value in values.items():
        record.answers[code] = Answer(code, value, None, notes.get(code, ""))
    return record


def signed(record):
    record.signatures = [
        Signature(SignerRole.INSPECTOR, "李明", "a" * 64),
        Signature(SignerRole.INSPECTOR, "张华", "b" * 64),
        Signature(SignerRole.PARTY, "王红山", "c" * 64),
    ]
    return record


def test_all_compliant_gives_compliant_and_pass():
    result = evaluate(make_checklist(), ALL_OK, {}, rule=LEGACY_THREE_LEVEL)
    assert result.verdict is Verdict.COMPLIANT
    assert result.handlings == (Handling.PASS,) and result.default_handling is Handling.PASS
    assert result.tally.checked == 7 and result.grade is None


def test_a_failed_key_item_needs_a_handling_choice():
    result = evaluate(make_checklist(), ALL_OK | {"K1": "不符合"}, {}, rule=LEGACY_THREE_LEVEL)
    assert result.verdict is Verdict.NONCOMPLIANT and result.needs_handling_choice
    assert result.default_handling is None


def test_hidden_items_do_not_count():
    values = ALL_OK | {"G2": "否", "C1": "不符合"}  # C1 is shown only when G2 is 是
    result = evaluate(make_checklist(), values, {}, rule=LEGACY_THREE_LEVEL)
    assert "C1" not in result.tally.failed and result.tally.general_failed == ("G2",)


def test_equipment_checklists_use_the_equipment_outcome():
    checklist = make_checklist("equipment.x", family=Family.EQUIPMENT)
    result = evaluate(checklist, ALL_OK | {"K2": "不符合"}, {}, rule=LEGACY_THREE_LEVEL)
    assert result.verdict is Verdict.STOP_USE


def test_the_grade_is_computed_only_for_catering_grading():
    plain = evaluate(
        make_checklist(),
        ALL_OK,
        {},
        rule=LEGACY_THREE_LEVEL,
        grade_rules=GradeRules(),
        today=date(2026, 3, 2),
    )
    graded = evaluate(
        make_checklist(grading="catering"), ALL_OK, {}, rule=LEGACY_THREE_LEVEL, grade_rules=GradeRules(),
        today=date(2026, 3, 2),
    )  # fmt: skip
    assert plain.grade is None
    assert graded.grade is not None and graded.grade.grade is Grade.EXCELLENT and graded.grade.score == 10.0


def test_blocking_problems_name_unanswered_items_notes_photos_signatures_and_handling():
    checklist = make_checklist()
    record = answered({"K1": "不符合", "K2": "不符合"})
    problems = blocking_problems(
        checklist, record, evaluate(checklist, record.values(), {}, rule=LEGACY_THREE_LEVEL)
    )
    text = "\n".join(problems)
    assert "G1 尚未作答" in text and "T1" not in text  # text items are optional
    assert "K1 判定为不符合，需填写问题说明" in text
    assert "K2 判定为不符合，需拍摄现场照片" in text
    assert "执法人员签名不足2人" in text and "当事人未签名" in text
    assert "请选择处理措施" in text


def test_a_complete_signed_record_has_no_blocking_problem():
    checklist = make_checklist()
    record = signed(answered(ALL_OK))
    assert (
        blocking_problems(
            checklist, record, evaluate(checklist, record.values(), {}, rule=LEGACY_THREE_LEVEL)
        )
        == []
    )


def test_a_party_refusal_needs_reason_and_witness():
    checklist = make_checklist()
    record = signed(answered(ALL_OK))
    record.signatures[2] = Signature(SignerRole.PARTY, "王红山", refused=True, refusal_reason="拒签")
    problems = blocking_problems(
        checklist, record, evaluate(checklist, record.values(), {}, rule=LEGACY_THREE_LEVEL)
    )
    assert problems == ["当事人未签名，也未记录拒签原因和见证人"]


def test_an_order_on_an_item_that_no_longer_fails_blocks_finalizing():
    checklist = make_checklist()
    record = signed(answered(ALL_OK))
    record.orders = [RectificationOrder(str(uuid.uuid4()), "G1", "整改", date(2026, 3, 9))]
    record.answers["G1"].result = Result.COMPLIANT
    problems = blocking_problems(
        checklist, record, evaluate(checklist, record.values(), {}, rule=LEGACY_THREE_LEVEL)
    )
    assert problems == ["整改要求针对的 G1 已不是“不符合”，请删除或修改该整改要求"]


def test_a_handling_chosen_for_an_earlier_verdict_falls_back_to_the_default():
    checklist = make_checklist()
    record = signed(answered(ALL_OK | {"G1": "不符合"}, G1="地面湿滑"))
    record.handling = Handling.STOP_AND_INVESTIGATE.value  # chosen while a key item still failed
    evaluation = evaluate(checklist, record.values(), {}, rule=LEGACY_THREE_LEVEL)
    assert evaluation.verdict is Verdict.BASICALLY_COMPLIANT
    assert blocking_problems(checklist, record, evaluation) == []


def test_the_on_the_spot_handling_needs_the_record_of_what_was_fixed():
    checklist = make_checklist()
    record = signed(answered(ALL_OK | {"G1": "不符合"}, G1="地面湿滑"))
    record.handling = Handling.ON_SPOT.value
    evaluation = evaluate(checklist, record.values(), {}, rule=LEGACY_THREE_LEVEL)
    assert blocking_problems(checklist, record, evaluation) == [
        "处理措施为“当场责令整改”，须记录当场整改情况（整改了什么、如何整改）"
    ]
    record.on_spot_fix = "当场清理积水并放置防滑垫"
    assert blocking_problems(checklist, record, evaluation) == []


def test_an_equipment_stop_fixed_on_the_spot_is_offered_and_needs_the_fix_recorded():
    checklist = make_checklist("equipment.x", family=Family.EQUIPMENT)
    record = signed(answered(ALL_OK | {"K1": "不符合"}, K1="光幕失效"))
    evaluation = evaluate(checklist, record.values(), {}, rule=LEGACY_THREE_LEVEL)
    assert evaluation.handlings == (Handling.STOP_USE, Handling.STOP_USE_FIXED)
    assert evaluation.default_handling is Handling.STOP_USE and evaluation.offers_choice
    record.handling = Handling.STOP_USE_FIXED.value
    assert "须记录当场整改情况" in blocking_problems(checklist, record, evaluation)[0]


def test_a_failed_item_lacks_the_note_and_photo_its_form_requires_until_given():
    checklist = make_checklist()
    k2 = checklist.item("K2")  # note and photo when failed
    bare = failure_evidence(k2, Answer("K2", "不符合"))
    assert (bare.note_required, bare.photo_required) == (True, True)
    assert bare.note_missing and bare.photo_missing and bare.incomplete
    done = failure_evidence(k2, Answer("K2", "不符合", None, "墙面霉斑", ["a" * 64]))
    assert done.note_required and not done.incomplete


def test_an_answer_that_is_not_a_failure_needs_no_evidence():
    checklist = make_checklist()
    assert failure_evidence(checklist.item("K2"), Answer("K2", "符合")) == FailureEvidence()
    assert failure_evidence(checklist.item("K2"), None) == FailureEvidence()
    assert failure_evidence(checklist.item("G3"), Answer("G3", "4")) == FailureEvidence()  # 4 ℃ is in range
