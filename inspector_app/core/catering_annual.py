"""餐饮服务食品安全量化分级 — the annual grade (年度等级 A/B/C) of a catering business.

The 2012 national guidance (原国家食药监局《关于实施餐饮服务食品安全监督量化分级管理工作的指导意见》) grades a
visit (动态等级: 优秀/良好/一般) and, over the past 12 months, the business (年度等级: A 优秀, B 良好, C 一般).
The guidance found does not give the annual formula; the rule here — the mean of the dynamic scores of the
visits in the window, cut at the dynamic cut-offs — is data (``forms/rules.yaml``) marked for confirmation
with the Jingmen bureau. Named ``catering_annual`` to keep it apart from the 风险等级 (A–D) of 双随机 planning.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

ANNUAL_LABELS = {"A": "优秀", "B": "良好", "C": "一般"}


@dataclass(frozen=True)
class AnnualGradeRules:
    """Window and cut-offs of the annual grade (mean dynamic score ≥ ``a`` → A, ≥ ``b`` → B, ≥ ``c`` → C)."""

    window_months: int = 12
    a: float = 9.0
    b: float = 7.5
    c: float = 6.0
    source: str = ""


@dataclass(frozen=True)
class GradedVisit:
    """One finalized visit of a graded (量化分级) checklist: its day, score and dynamic grade."""

    day: date
    score: float | None
    grade: str
    document_no: str = ""


@dataclass(frozen=True)
class CateringAnnualGrade:
    """The annual grade (``level`` A/B/C, or empty when none can be given) with what it rests on."""

    level: str
    mean_score: float | None
    visits: tuple[GradedVisit, ...]
    window_from: date
    window_to: date
    reason: str = ""

    @property
    def label(self) -> str:
        return ANNUAL_LABELS.get(self.level, "未评定")

    @property
    def text(self) -> str:
        """``A 级（优秀）：近12个月 3 次动态评定，平均 9.3 分`` or why there is no grade."""
        span = f"{self.window_from.isoformat()} 至 {self.window_to.isoformat()}"
        if not self.level:
            return f"年度等级未评定：{self.reason}（{span}）"
        return (
            f"{self.level} 级（{self.label}）：{span} 共 {len(self.visits)} 次动态评定，"
            f"平均 {self.mean_score:.1f} 分"
        )


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def catering_annual_grade(
    visits: Iterable[GradedVisit], rules: AnnualGradeRules, *, today: date
) -> CateringAnnualGrade:
    """The annual grade on ``today`` from the visits of the past ``window_months`` months that have a score.

    Visits without a score (新办证、事故后不评级) do not count; a mean below ``c`` gives no grade.
    """
    start = months_before(today, rules.window_months)
    counted = tuple(
        sorted((v for v in visits if start < v.day <= today and v.score is not None), key=lambda v: v.day)
    )
    if not counted:
        return CateringAnnualGrade("", None, (), start, today, f"近{rules.window_months}个月没有动态等级评分")
    mean = round(sum(v.score or 0.0 for v in counted) / len(counted), 1)
    for level, cutoff in (("A", rules.a), ("B", rules.b), ("C", rules.c)):
        if mean >= cutoff:
            return CateringAnnualGrade(level, mean, counted, start, today)
    return CateringAnnualGrade("", mean, counted, start, today, f"平均分 {mean:.1f} 低于 {rules.c:g} 分")
