"""Verdict and grade rules (结果判定、量化分级) — pure functions, thresholds passed in as data.

* a verdict rule per checklist (``verdict_rule`` naming an entry of ``forms/rules.yaml``), of one of four kinds:
  ``count`` (2016 销售表: 一般项不符合不超过 N 项), ``pass_rate`` (生产/餐饮: 重点项不符合不超过 1 项且一般项
  合格率不低于 70%), ``key_only`` (化妆品经营: 条例第59/60条档的关键项不符合 → 不符合) and ``hazard``
  (特种设备: 重大事故隐患 → 立即停止使用, 其他 → 限期改正);
* handling options per verdict (49号令第32–33条, 57号令第23、26条);
* 小餐饮 量化分级 dynamic grade per visit (优秀/良好/一般, 大笑/微笑/平脸).
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
    """What the inspector does about the verdict (shown on the record).

    Food (49号令): 当场责令整改 for a general item 情节显著轻微 (第33条第1款), 书面限期整改 (第33条第2款),
    依法调查处理 for a key item — or a general item — whose failure affects food safety (第32条、第33条第3款),
    立即停止生产经营 where an accident risk exists (第31条第2款). Equipment (57号令): 监察指令限期改正
    (第23条第1款); for a 严重事故隐患 立即停止使用 with 查封、扣押 (第26条第1款) unless fixed on the spot
    (第26条第2款).
    """

    PASS = "通过"
    WRITTEN_RECTIFY = "书面限期整改"
    ON_SPOT = "当场责令整改"
    RECTIFY = "限期整改"
    INVESTIGATE = "依法调查处理"
    STOP_AND_INVESTIGATE = "立即停止生产经营并调查处理"
    NONE = "无需处理"
    ORDER = "下达特种设备安全监察指令，责令限期改正"
    STOP_USE = "责令立即停止使用，依法查封扣押"
    STOP_USE_FIXED = "责令立即停止使用；当场整改完毕，依法不予查封、扣押"

    @property
    def needs_on_spot_record(self) -> bool:
        """The record must say what was fixed on the spot (49号令第33条第2款, 57号令第26条第2款)."""
        return self in (Handling.ON_SPOT, Handling.STOP_USE_FIXED)


class RuleKind(StrEnum):
    COUNT = "count"
    PASS_RATE = "pass_rate"
    KEY_ONLY = "key_only"
    HAZARD = "hazard"


#: Which families a rule kind may judge (the loader refuses other pairings).
KIND_FAMILIES: dict[RuleKind, tuple[str, ...]] = {
    RuleKind.COUNT: (Family.FOOD.value,),
    RuleKind.PASS_RATE: (Family.FOOD.value,),
    RuleKind.KEY_ONLY: (Family.FOOD.value, Family.COSMETICS.value),
    RuleKind.HAZARD: (Family.EQUIPMENT.value,),
}


@dataclass(frozen=True)
class VerdictRule:
    """A verdict rule as data (``forms/rules.yaml``): kind, thresholds, printed name, source and status.

    ``count``: 不符合 when key failures exceed ``max_key_failures`` or general failures exceed
    ``max_general_failures``. ``pass_rate``: 不符合 when key failures exceed ``max_key_failures`` or the general
    items' pass rate is below ``min_pass_rate``. ``key_only``: 不符合 on any key failure. Otherwise any failure
    gives 基本符合 and none 符合. ``hazard``: see :func:`equipment_outcome`.
    """

    id: str
    kind: RuleKind
    name: str = ""
    source: str = ""
    status: str = ""
    max_general_failures: int = 8
    max_key_failures: int = 0
    min_pass_rate: float = 0.7

    @property
    def families(self) -> tuple[str, ...]:
        return KIND_FAMILIES[self.kind]

    def describe(self) -> str:
        """The rule in one printed sentence."""
        if self.kind is RuleKind.COUNT:
            key = (
                "重点项无不符合"
                if self.max_key_failures == 0
                else f"重点项不符合不超过{self.max_key_failures}项"
            )
            return f"{key}且一般项不符合不超过{self.max_general_failures}项为基本符合，否则为不符合"
        if self.kind is RuleKind.PASS_RATE:
            return (
                f"重点项不符合不超过{self.max_key_failures}项且一般项合格率不低于{self.min_pass_rate:.0%}"
                "为基本符合，否则为不符合"
            )
        if self.kind is RuleKind.KEY_ONLY:
            return "关键项不符合为不符合；仅一般项不符合为基本符合（不计项数）"
        return "存在严重事故隐患或重大违法行为的立即停止使用；其他问题下达监察指令限期改正"


#: The rule that judged version-1 checklists (no ``verdict_rule`` in the file): the 2016 count rule.
LEGACY_THREE_LEVEL = VerdictRule("legacy_three_level", RuleKind.COUNT, "第1版检查表判定规则")
EQUIPMENT_HAZARD = VerdictRule("equipment_hazard", RuleKind.HAZARD, "特种设备两级处置")


@dataclass(frozen=True)
class GradeRules:
    """量化分级 cut-offs on a 10-point score; ``max_key_failures`` or more key failures → 不评级.

    An item scores ``points`` when its checklist sets them, else ``key_weight`` or ``general_weight``.
    """

    excellent: float = 9.0
    good: float = 7.5
    fair: float = 6.0
    max_key_failures: int = 2
    new_licence_months: int = 3
    after_incident_months: int = 6
    #: verdict → best grade it allows (e.g. a 不符合 visit is at most 一般); values are Grade values.
    best_grade_by_verdict: dict[str, str] = field(default_factory=dict)
    key_weight: float = 2.0
    general_weight: float = 1.0
    source: str = ""


@dataclass(frozen=True)
class Judged:
    """One item as the rules see it: whether it is key, its result and its 量化分级 points (None: default)."""

    code: str
    key: bool
    result: Result | None
    points: float | None = None


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

    @property
    def general_pass_rate(self) -> float:
        """Share of checked general items that comply (1.0 when none was checked)."""
        if not self.general_checked:
            return 1.0
        return (self.general_checked - len(self.general_failed)) / self.general_checked


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


def three_level_verdict(judged: Iterable[Judged], rule: VerdictRule = LEGACY_THREE_LEVEL) -> Verdict:
    """Food/cosmetics three levels under a ``count``, ``pass_rate`` or ``key_only`` rule."""
    t = tally(judged)
    if rule.kind is RuleKind.KEY_ONLY:
        too_many = bool(t.key_failed)
    elif rule.kind is RuleKind.PASS_RATE:
        too_many = len(t.key_failed) > rule.max_key_failures or t.general_pass_rate < rule.min_pass_rate
    else:
        too_many = (
            len(t.key_failed) > rule.max_key_failures or len(t.general_failed) > rule.max_general_failures
        )
    if too_many:
        return Verdict.NONCOMPLIANT
    if t.general_failed or t.key_failed:
        return Verdict.BASICALLY_COMPLIANT
    return Verdict.COMPLIANT


def equipment_outcome(judged: Iterable[Judged]) -> Verdict:
    """Equipment: a failed 重大事故隐患 (key) item → 立即停止使用; other failures → 限期改正."""
    t = tally(judged)
    if t.key_failed:
        return Verdict.STOP_USE
    if t.general_failed:
        return Verdict.RECTIFY
    return Verdict.NO_PROBLEM


def apply_rule(rule: VerdictRule, judged: Iterable[Judged]) -> Verdict:
    """The verdict ``rule`` gives for the judged items."""
    if rule.kind is RuleKind.HAZARD:
        return equipment_outcome(judged)
    return three_level_verdict(judged, rule)


#: verdict → (handling options, default). A ``None`` default means the inspector must choose.
HANDLINGS: dict[Verdict, tuple[tuple[Handling, ...], Handling | None]] = {
    Verdict.COMPLIANT: ((Handling.PASS,), Handling.PASS),
    Verdict.BASICALLY_COMPLIANT: (
        (Handling.WRITTEN_RECTIFY, Handling.ON_SPOT, Handling.INVESTIGATE),
        Handling.WRITTEN_RECTIFY,
    ),
    Verdict.NONCOMPLIANT: ((Handling.RECTIFY, Handling.INVESTIGATE, Handling.STOP_AND_INVESTIGATE), None),
    Verdict.NO_PROBLEM: ((Handling.NONE,), Handling.NONE),
    Verdict.RECTIFY: ((Handling.ORDER,), Handling.ORDER),
    Verdict.STOP_USE: ((Handling.STOP_USE, Handling.STOP_USE_FIXED), Handling.STOP_USE),
}


def allowed_handlings(verdict: Verdict) -> tuple[Handling, ...]:
    """Handling options for a verdict."""
    return HANDLINGS[verdict][0]


def default_handling(verdict: Verdict) -> Handling | None:
    """The handling used unless the inspector chooses another; ``None`` for 不符合 (a choice is required)."""
    return HANDLINGS[verdict][1]


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
    """小餐饮 dynamic grade: score = 10 × earned points / applicable points, cut-offs from ``rules``.

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

    def weight(j: Judged) -> float:
        if j.points is not None:
            return j.points
        return rules.key_weight if j.key else rules.general_weight

    total = sum(weight(j) for j in items)
    if total == 0:
        return GradeResult(None, Grade.UNRATED, "无可评分的检查项")
    earned = sum(weight(j) for j in items if j.result is Result.COMPLIANT)
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
        Judged(item.code, item.key, item.judge(values.get(item.code)), item.points)
        for item in checklist.visible_items(values, attrs)
        if item.counts_towards_verdict
    ]


def verdict_for(checklist: Checklist, judged: Iterable[Judged], rule: VerdictRule) -> Verdict:
    """The checklist's verdict rule applied to judged items (equipment always uses the hazard rule)."""
    if checklist.family is Family.EQUIPMENT:
        return equipment_outcome(judged)
    return apply_rule(rule, judged)
