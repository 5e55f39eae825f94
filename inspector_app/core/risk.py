"""The risk grade (风险等级 A–D) of a business, computed from its history by rules kept as data.

The plan asks for credit-based risk classification (信用风险分类) that sets how often a business is drawn:
“对高评分企业大幅降低双随机抽查比例和频次……对低评分企业实行重点监管”. A grade here is a sum of points —
the grade imported with the registry (the bureau's own 信用风险分类, if any), a low credit score, the last
verdict, items failing again and again, overdue and escalated rectification orders, the latest 量化分级 dynamic
grade and complaints — mapped to A–D by thresholds. Every point comes with its reason, so the business page can
say why. The numbers live in ``forms/risk.yaml``; this module is pure (today is passed in).

Not to be confused with the 量化分级 grades of catering (动态等级 per visit, annual grade): those are inputs here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

RISK_GRADES = ("A", "B", "C", "D")
RISK_LABELS = {"A": "低风险", "B": "一般风险", "C": "较高风险", "D": "高风险"}
COMPLAINT_STATUSES = ("pending", "substantiated", "unfounded")
COMPLAINT_LABELS = {"pending": "待核查", "substantiated": "经查属实", "unfounded": "经查不属实"}


@dataclass(frozen=True)
class RiskRules:
    """Points per fact and the thresholds from points to grade (see ``forms/risk.yaml`` for the meaning)."""

    lookback_months: int = 24
    registry_grade_points: Mapping[str, int] = field(
        default_factory=lambda: {"A": 0, "B": 10, "C": 25, "D": 40, "": 10}
    )
    low_credit_below: int = 60
    low_credit_points: int = 10
    last_verdict_points: Mapping[str, int] = field(
        default_factory=lambda: {
            "符合": 0,
            "基本符合": 8,
            "不符合": 20,
            "未发现问题": 0,
            "限期改正": 15,
            "立即停止使用": 30,
        }  # fmt: skip
    )
    repeat_failure_points: int = 8
    repeat_failure_cap: int = 3
    overdue_order_points: int = 12
    overdue_order_cap: int = 3
    escalated_order_points: int = 15
    escalated_order_cap: int = 2
    catering_grade_points: Mapping[str, int] = field(
        default_factory=lambda: {"优秀": -5, "良好": 0, "一般": 8, "不评级": 5}
    )
    complaint_points: Mapping[str, int] = field(default_factory=lambda: {"substantiated": 10, "pending": 3})
    complaint_cap: int = 3
    thresholds: Mapping[str, int] = field(default_factory=lambda: {"B": 10, "C": 25, "D": 40})

    def grade_for(self, points: int) -> str:
        """The highest grade whose threshold ``points`` reaches (A below the B threshold)."""
        grade = "A"
        for candidate in ("B", "C", "D"):
            if points >= self.thresholds[candidate]:
                grade = candidate
        return grade


@dataclass(frozen=True)
class VisitFact:
    """One finalized inspection (latest version of its record) as the risk rules see it."""

    day: date
    verdict: str
    catering_grade: str = ""
    failed_items: tuple[str, ...] = ()
    follow_up: bool = False
    document_no: str = ""


@dataclass(frozen=True)
class ComplaintFact:
    """A complaint (投诉举报) about the business: when it came in and what checking it found."""

    received_on: date
    status: str


@dataclass(frozen=True)
class RiskFacts:
    """What is known about one business. Dates older than the look-back period are ignored by :func:`assess`."""

    registry_grade: str = ""
    credit_score: float | None = None
    visits: tuple[VisitFact, ...] = ()
    overdue_orders: int = 0
    escalated_orders: tuple[date, ...] = ()
    complaints: tuple[ComplaintFact, ...] = ()

    @property
    def has_history(self) -> bool:
        return bool(self.visits or self.overdue_orders or self.escalated_orders or self.complaints)


@dataclass(frozen=True)
class RiskReason:
    """One line of "why": a sentence in Chinese and the points it adds (may be 0 or negative)."""

    text: str
    points: int


@dataclass(frozen=True)
class RiskAssessment:
    """The grade, its points and every reason, plus the rule thresholds used (for the explanation)."""

    grade: str
    points: int
    reasons: tuple[RiskReason, ...]
    since: date

    @property
    def label(self) -> str:
        return RISK_LABELS[self.grade]

    def explanation(self, rules: RiskRules) -> str:
        """``风险等级 C（较高风险，31 分；B ≥ 10，C ≥ 25，D ≥ 40）``."""
        cuts = "，".join(f"{g} ≥ {rules.thresholds[g]}" for g in ("B", "C", "D"))
        return f"风险等级 {self.grade}（{self.label}，{self.points} 分；{cuts}）"


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the last day of a shorter month)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _capped(count: int, cap: int) -> int:
    return min(count, cap) if cap else count


def _visit_reasons(visits: list[VisitFact], rules: RiskRules) -> list[RiskReason]:
    reasons: list[RiskReason] = []
    regular = [v for v in visits if not v.follow_up]
    if regular:
        last = regular[0]
        number = f"，{last.document_no}" if last.document_no else ""
        reasons.append(
            RiskReason(
                f"最近一次检查（{last.day.isoformat()}{number}）结论：{last.verdict or '—'}",
                rules.last_verdict_points.get(last.verdict, 0),
            )
        )
    failures = Counter(code for visit in visits for code in set(visit.failed_items))
    repeated = sorted(code for code, times in failures.items() if times >= 2)
    if repeated:
        counted = _capped(len(repeated), rules.repeat_failure_cap)
        reasons.append(
            RiskReason(
                f"同一检查项在回看期内两次及以上不符合：{'、'.join(repeated)}（{len(repeated)} 项，计 {counted} 项）",
                counted * rules.repeat_failure_points,
            )
        )
    graded = next((v for v in visits if v.catering_grade), None)
    if graded is not None and graded.catering_grade in rules.catering_grade_points:
        reasons.append(
            RiskReason(
                f"最近量化分级动态等级（{graded.day.isoformat()}）：{graded.catering_grade}",
                rules.catering_grade_points[graded.catering_grade],
            )
        )
    return reasons


def _order_and_complaint_reasons(facts: RiskFacts, since: date, rules: RiskRules) -> list[RiskReason]:
    reasons: list[RiskReason] = []
    if facts.overdue_orders:
        counted = _capped(facts.overdue_orders, rules.overdue_order_cap)
        reasons.append(
            RiskReason(
                f"逾期未整改的整改要求 {facts.overdue_orders} 项", counted * rules.overdue_order_points
            )
        )
    escalated = sum(1 for day in facts.escalated_orders if day >= since)
    if escalated:
        counted = _capped(escalated, rules.escalated_order_cap)
        reasons.append(
            RiskReason(f"回头看仍未整改、已移交处理 {escalated} 项", counted * rules.escalated_order_points)
        )
    recent = Counter(c.status for c in facts.complaints if c.received_on >= since)
    counted_total = 0
    for status in ("substantiated", "pending"):
        count = recent.get(status, 0)
        points = rules.complaint_points.get(status, 0)
        if not count or not points:
            continue
        counted = count
        if rules.complaint_cap:
            counted = max(0, min(count, rules.complaint_cap - counted_total))
        counted_total += counted
        reasons.append(
            RiskReason(f"投诉举报{COMPLAINT_LABELS[status]} {count} 件（计 {counted} 件）", counted * points)
        )
    return reasons


def assess(facts: RiskFacts, rules: RiskRules, today: date) -> RiskAssessment:
    """The risk grade of one business on ``today`` with every reason (pure)."""
    since = months_before(today, rules.lookback_months)
    reasons: list[RiskReason] = []
    imported = facts.registry_grade if facts.registry_grade in RISK_GRADES else ""
    label = (
        f"名录登记的风险等级（信用风险分类）：{imported}"
        if imported
        else "名录未登记风险等级（信用风险分类）"
    )
    reasons.append(RiskReason(label, rules.registry_grade_points.get(imported, 0)))
    if facts.credit_score is not None and facts.credit_score < rules.low_credit_below:
        reasons.append(
            RiskReason(
                f"信用分 {facts.credit_score:g} 低于 {rules.low_credit_below}", rules.low_credit_points
            )
        )
    visits = sorted((v for v in facts.visits if v.day >= since), key=lambda v: v.day, reverse=True)
    reasons += _visit_reasons(visits, rules)
    reasons += _order_and_complaint_reasons(facts, since, rules)
    points = sum(r.points for r in reasons)
    return RiskAssessment(rules.grade_for(points), points, tuple(reasons), since)
