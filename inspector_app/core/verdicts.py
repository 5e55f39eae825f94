"""Verdict and grade rules (结果判定、量化分级) — pure functions, thresholds passed in as data.

* food / cosmetics: 符合 / 基本符合 / 不符合 with handling options;
* 小餐饮 量化分级 dynamic grade per visit (优秀/良好/一般, 大笑/微笑/平脸);
* equipment: 未发现问题 / 限期改正 (监察指令) / 立即停止使用.

Thresholds come from ``forms/rules.yaml`` through :class:`VerdictRules` and :class:`GradeRules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from inspector_app.core.checklist import Checklist, Family, Result


class Verdict(StrEnum):
    """Outcome of a visit (three levels for food/cosmetics, three outcomes for equipment)."""

    COMPLIANT = "符合"
    BASICALLY_COMPLIANT = "基本符合"
    NONCOMPLIANT = "不符合"
    NO_PROBLEM = "未发现问题"
    RECTIFY = "限期改正"
    STOP_USE = "立即停止使用"


class Handling(StrEnum):
    """What the inspector does about the verdict (shown on the record)."""

    PASS = "通过"
    WRITTEN_RECTIFY = "书面限期整改"
    RECTIFY = "限期整改"
    STOP_AND_INVESTIGATE = "立即停止生产经营并调查处理"
    NONE = "无需处理"
    ORDER = "下达特种设备安全监察指令，责令限期改正"
    STOP_USE = "责令立即停止使用，依法查封扣押"


@dataclass(frozen=True)
class VerdictRules:
    """Three-level thresholds: more than ``max_general_failures`` non-key failures → 不符合."""

    max_general_failures: int = 8
    key_failure_is_noncompliant: bool = True


@dataclass(frozen=True)
class GradeRules:
    """量化分级 cut-offs on a 10-point score; ``max_key_failures`` or more key failures → 不评级."""

    excellent: float = 9.0
    good: float = 7.5
    fair: float = 6.0
    max_key_failures: int = 2
    new_licence_months: int = 3
    after_incident_months: int = 6
    #: verdict → best grade it allows (e.g. a 不符合 visit is at most 一般); values are Grade values.
    best_grade_by_verdict: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Judged:
    """One item as the rules see it: whether it is key, its result and its scoring weight."""

    code: str
    key: bool
    result: Result | None
    weight: float = 1.0


@dataclass(frozen=True)
class Tally:
    """Counts printed on the record (共检查X项，其中重点项X项…)."""

    checked: int
    key_checked: int
    general_checked: int
    not_applicable: int
    unanswered: int
    key_failed: tuple[str, ...]
    general_failed: tuple[str, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        return self.key_failed + self.general_failed


def tally(judged: Iterable[Judged]) -> Tally:
    """Count checked/key/general/failed items; 不适用 items are not checked items."""
    checked = key_checked = na = unanswered = 0
    key_failed: list[str] = []
    general_failed: list[str] = []
    for j in judged:
        if j.result is None:
            unanswered += 1
            continue
        if j.result is Result.NOT_APPLICABLE:
            na += 1
            continue
        checked += 1
        key_checked += j.key
        if j.result is Result.NONCOMPLIANT:
            (key_failed if j.key else general_failed).append(j.code)
    return Tally(
        checked, key_checked, checked - key_checked, na, unanswered, tuple(key_failed), tuple(general_failed)
    )


def three_level_verdict(judged: Iterable[Judged], rules: VerdictRules = VerdictRules()) -> Verdict:
    """Food/cosmetics: any key failure → 不符合; only general failures ≤ threshold → 基本符合; none → 符合."""
    t = tally(judged)
    if t.key_failed and rules.key_failure_is_noncompliant:
        return Verdict.NONCOMPLIANT
    if len(t.general_failed) > rules.max_general_failures:
        return Verdict.NONCOMPLIANT
    if t.general_failed or t.key_failed:
        return Verdict.BASICALLY_COMPLIANT
    return Verdict.COMPLIANT


def equipment_outcome(judged: Iterable[Judged]) -> Verdict:
    """Equipment: a failed 严重事故隐患 (key) item → 立即停止使用; other failures → 限期改正."""
    t = tally(judged)
    if t.key_failed:
        return Verdict.STOP_USE
    if t.general_failed:
        return Verdict.RECTIFY
    return Verdict.NO_PROBLEM


def allowed_handlings(verdict: Verdict) -> tuple[Handling, ...]:
    """Handling options for a verdict; the first is the default. 不符合 lets the inspector choose."""
    return {
        Verdict.COMPLIANT: (Handling.PASS,),
        Verdict.BASICALLY_COMPLIANT: (Handling.WRITTEN_RECTIFY,),
        Verdict.NONCOMPLIANT: (Handling.RECTIFY, Handling.STOP_AND_INVESTIGATE),
        Verdict.NO_PROBLEM: (Handling.NONE,),
        Verdict.RECTIFY: (Handling.ORDER,),
        Verdict.STOP_USE: (Handling.STOP_USE,),
    }[verdict]


#: Severity order used by properties ("adding a failure never improves the verdict").
SEVERITY = {
    Verdict.COMPLIANT: 0,
    Verdict.BASICALLY_COMPLIANT: 1,
    Verdict.NONCOMPLIANT: 2,
    Verdict.NO_PROBLEM: 0,
    Verdict.RECTIFY: 1,
    Verdict.STOP_USE: 2,
}


class Grade(StrEnum):
    """量化分级 dynamic grade of one visit."""

    EXCELLENT = "优秀"
    GOOD = "良好"
    FAIR = "一般"
    UNRATED = "不评级"

    @property
    def icon(self) -> str:
        return {"优秀": "大笑", "良好": "微笑", "一般": "平脸", "不评级": "—"}[self.value]


@dataclass(frozen=True)
class GradeResult:
    """Score (0–10, one decimal) and grade; ``reason`` explains an 不评级."""

    score: float | None
    grade: Grade
    reason: str = ""


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def catering_grade(
    judged: Iterable[Judged],
    rules: GradeRules,
    *,
    today: date,
    licensed_on: date | None = None,
    last_incident_on: date | None = None,
) -> GradeResult:
    """小餐饮 dynamic grade: score = 10 × earned weight / applicable weight, cut-offs from ``rules``.

    Not rated within ``new_licence_months`` of licensing, within ``after_incident_months`` of a food-safety
    incident, with ``max_key_failures`` or more key failures, or below the ``fair`` cut-off.
    """
    items = [j for j in judged if j.result in (Result.COMPLIANT, Result.NONCOMPLIANT)]
    if licensed_on is not None and _months_between(licensed_on, today) < rules.new_licence_months:
        return GradeResult(None, Grade.UNRATED, f"新办证{rules.new_licence_months}个月内不评动态等级")
    if (
        last_incident_on is not None
        and _months_between(last_incident_on, today) < rules.after_incident_months
    ):
        return GradeResult(
            None, Grade.UNRATED, f"发生食品安全事故{rules.after_incident_months}个月内不评动态等级"
        )
    total = sum(j.weight for j in items)
    if total == 0:
        return GradeResult(None, Grade.UNRATED, "无可评分的检查项")
    earned = sum(j.weight for j in items if j.result is Result.COMPLIANT)
    score = round(10.0 * earned / total, 1)
    key_failures = sum(1 for j in items if j.key and j.result is Result.NONCOMPLIANT)
    if key_failures >= rules.max_key_failures:
        return GradeResult(score, Grade.UNRATED, f"{key_failures}项关键项不符合")
    if score >= rules.excellent:
        return GradeResult(score, Grade.EXCELLENT)
    if score >= rules.good:
        return GradeResult(score, Grade.GOOD)
    if score >= rules.fair:
        return GradeResult(score, Grade.FAIR)
    return GradeResult(score, Grade.UNRATED, f"得分低于{rules.fair}")


GRADE_ORDER = ("不评级", "一般", "良好", "优秀")


def cap_grade(result: GradeResult, verdict: Verdict, rules: GradeRules) -> GradeResult:
    """Keep the grade consistent with the visit's verdict: never better than ``best_grade_by_verdict``."""
    best = rules.best_grade_by_verdict.get(verdict.value)
    if best is None or GRADE_ORDER.index(result.grade.value) <= GRADE_ORDER.index(best):
        return result
    return GradeResult(result.score, Grade(best), f"检查结论为“{verdict.value}”，动态等级最高为{best}")


def judge_answers(
    checklist: Checklist, values: Mapping[str, str | None], attributes: Mapping[str, str] | None = None
) -> list[Judged]:
    """Judge every visible, verdict-relevant item of ``checklist`` from the answer values."""
    attrs = attributes or {}
    return [
        Judged(item.code, item.key, item.judge(values.get(item.code)), item.weight)
        for item in checklist.visible_items(values, attrs)
        if item.counts_towards_verdict
    ]


def verdict_for(checklist: Checklist, judged: Iterable[Judged], rules: VerdictRules) -> Verdict:
    """The family's verdict rule applied to judged items."""
    if checklist.family is Family.EQUIPMENT:
        return equipment_outcome(judged)
    return three_level_verdict(judged, rules)
