"""Evaluation of a record in progress: tally, verdict, handlings, grade, and what still blocks finalizing.

Pure functions shared by the GUI preview and by finalization, so what the inspector sees before signing is
exactly what gets stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from inspector_app.core.checklist import AnswerType, Checklist, Item, Result
from inspector_app.core.records import Answer, Inspection, SignerRole
from inspector_app.core.verdicts import (
    GradeResult,
    GradeRules,
    Handling,
    Judged,
    Tally,
    Verdict,
    VerdictRule,
    allowed_handlings,
    cap_grade,
    catering_grade,
    default_handling,
    judge_answers,
    tally,
    verdict_for,
)

GRADING_CATERING = "catering"
MIN_INSPECTOR_SIGNATURES = 2


@dataclass(frozen=True)
class Evaluation:
    """The outcome of the rules on the current answers (only visible, judged items count)."""

    judged: tuple[Judged, ...]
    tally: Tally
    verdict: Verdict
    handlings: tuple[Handling, ...]
    grade: GradeResult | None = None
    rule: VerdictRule | None = None

    @property
    def default_handling(self) -> Handling | None:
        """The handling used unless the inspector picks another of :attr:`handlings`; ``None``: must choose."""
        return default_handling(self.verdict)

    @property
    def needs_handling_choice(self) -> bool:
        """``True`` when the verdict has no default handling (不符合): the inspector must choose."""
        return self.default_handling is None

    @property
    def offers_choice(self) -> bool:
        """``True`` when there is more than one handling to choose from (with or without a default)."""
        return len(self.handlings) > 1


def evaluate(
    checklist: Checklist,
    values: Mapping[str, str | None],
    attributes: Mapping[str, str],
    *,
    rule: VerdictRule,
    grade_rules: GradeRules | None = None,
    today: date | None = None,
    licensed_on: date | None = None,
    last_incident_on: date | None = None,
) -> Evaluation:
    """Judge the visible items, apply the checklist's verdict ``rule`` and (``grading: catering``) the grade.

    The grade is computed only when the checklist asks for it and ``grade_rules`` and ``today`` are given.
    """
    judged = tuple(judge_answers(checklist, values, attributes))
    verdict = verdict_for(checklist, judged, rule)
    grade = None
    if checklist.grading == GRADING_CATERING and grade_rules is not None and today is not None:
        grade = catering_grade(
            judged, grade_rules, today=today, licensed_on=licensed_on, last_incident_on=last_incident_on
        )
        grade = cap_grade(grade, verdict, grade_rules)
    return Evaluation(judged, tally(judged), verdict, allowed_handlings(verdict), grade, rule)


@dataclass(frozen=True)
class FailureEvidence:
    """What an answer judged 不符合 must carry by its form (``note_when_fail``, ``photo_when_fail``) and
    what it still lacks. All False for an answer that is not a failure."""

    note_required: bool = False
    photo_required: bool = False
    note_missing: bool = False
    photo_missing: bool = False

    @property
    def incomplete(self) -> bool:
        return self.note_missing or self.photo_missing


def failure_evidence(item: Item, answer: Answer | None) -> FailureEvidence:
    """The one statement of the rule "a failed item needs a note / a photo" (editor, preview, finalizing)."""
    if answer is None or item.judge(answer.value) is not Result.NONCOMPLIANT:
        return FailureEvidence()
    return FailureEvidence(
        note_required=item.note_when_fail,
        photo_required=item.photo_when_fail,
        note_missing=item.note_when_fail and not answer.note.strip(),
        photo_missing=item.photo_when_fail and not answer.photos,
    )


def _answer_problems(checklist: Checklist, record: Inspection) -> list[str]:
    problems: list[str] = []
    values = record.values()
    for item in checklist.visible_items(values, record.attributes):
        answer = record.answers.get(item.code)
        if item.type is not AnswerType.TEXT and (answer is None or answer.value in (None, "")):
            problems.append(f"{item.code} 尚未作答：{item.text}")
            continue
        evidence = failure_evidence(item, answer)
        if evidence.note_missing:
            problems.append(f"{item.code} 判定为不符合，需填写问题说明")
        if evidence.photo_missing:
            problems.append(f"{item.code} 判定为不符合，需拍摄现场照片")
    return problems


def _order_problems(checklist: Checklist, record: Inspection) -> list[str]:
    problems = []
    for order in record.orders:
        answer = record.answers.get(order.item_code)
        value = answer.value if answer else None
        known = checklist.has_item(order.item_code)
        if not known or checklist.item(order.item_code).judge(value) is not Result.NONCOMPLIANT:
            problems.append(f"整改要求针对的 {order.item_code} 已不是“不符合”，请删除或修改该整改要求")
    return problems


def _signature_problems(record: Inspection) -> list[str]:
    problems: list[str] = []
    signers = {s.signer_name for s in record.signatures if s.role is SignerRole.INSPECTOR and s.image_sha256}
    if len(signers) < MIN_INSPECTOR_SIGNATURES:
        problems.append(f"执法人员签名不足{MIN_INSPECTOR_SIGNATURES}人（已签 {len(signers)} 人）")
    party = [s for s in record.signatures if s.role is SignerRole.PARTY]
    if not any(s.image_sha256 or (s.refused and s.refusal_reason and s.witness_name) for s in party):
        problems.append("当事人未签名，也未记录拒签原因和见证人")
    return problems


def blocking_problems(checklist: Checklist, record: Inspection, evaluation: Evaluation) -> list[str]:
    """What prevents finalizing ``record``, as Chinese sentences (empty list: ready to finalize)."""
    problems = _answer_problems(checklist, record) + _order_problems(checklist, record)
    problems += _signature_problems(record)
    chosen = (
        record.handling if record.handling in evaluation.handlings else (evaluation.default_handling or "")
    )
    if chosen not in evaluation.handlings:
        options = "或".join(f"“{h.value}”" for h in evaluation.handlings)
        problems.append(f"结果为“{evaluation.verdict.value}”，请选择处理措施：{options}")
    elif Handling(chosen).needs_on_spot_record and not record.on_spot_fix.strip():
        problems.append(f"处理措施为“{chosen}”，须记录当场整改情况（整改了什么、如何整改）")
    return problems
