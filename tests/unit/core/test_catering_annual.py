"""The 量化分级 annual grade: mean dynamic score of the past 12 months, cut at the data's A/B/C lines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.catering_annual import (
    AnnualGradeRules,
    GradedVisit,
    catering_annual_grade,
    months_before,
)

RULES = AnnualGradeRules()
TODAY = date(2026, 12, 2)


def visits(*pairs):
    return [GradedVisit(day, score, "") for day, score in pairs]


@pytest.mark.parametrize(
    ("scores", "level"),
    [((9.5, 9.1), "A"), ((9.5, 8.0), "B"), ((7.5,), "B"), ((7.0, 6.0), "C"), ((5.0, 6.5), "")],
)
def test_the_mean_score_decides_the_grade(scores, level):
    result = catering_annual_grade(
        visits(*[(date(2026, m + 3, 1), s) for m, s in enumerate(scores)]), RULES, today=TODAY
    )
    assert result.level == level
    assert (result.label if level else "未评定") == {"A": "优秀", "B": "良好", "C": "一般", "": "未评定"}[
        level
    ]


def test_only_scored_visits_of_the_past_twelve_months_count():
    history = visits(
        (date(2025, 12, 2), 3.0),  # exactly 12 months ago: outside the window
        (date(2025, 12, 3), 9.0),
        (date(2026, 6, 1), None),  # 新办证/事故后不评级: no score
        (date(2026, 12, 2), 10.0),
        (date(2026, 12, 3), 1.0),  # after today
    )
    result = catering_annual_grade(history, RULES, today=TODAY)
    assert [v.day for v in result.visits] == [date(2025, 12, 3), date(2026, 12, 2)]
    assert (result.level, result.mean_score) == ("A", 9.5)
    assert result.text == "A 级（优秀）：2025-12-02 至 2026-12-02 共 2 次动态评定，平均 9.5 分"


def test_no_scored_visit_gives_no_grade_and_says_why():
    result = catering_annual_grade([], RULES, today=TODAY)
    assert result.level == "" and "近12个月没有动态等级评分" in result.text


def test_the_window_and_cut_offs_are_data():
    strict = AnnualGradeRules(window_months=3, a=9.8, b=9.0, c=8.0)
    result = catering_annual_grade(
        visits((date(2026, 8, 1), 9.9), (date(2026, 10, 1), 9.5)), strict, today=TODAY
    )
    assert (result.level, len(result.visits)) == ("B", 1)


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)


@given(
    st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), min_size=1, max_size=12), st.floats(0, 10)
)
def test_a_lower_extra_visit_never_raises_the_grade(scores, extra):
    history = visits(*[(date(2026, 11, 1), s) for s in scores])
    before = catering_annual_grade(history, RULES, today=TODAY)
    lower = min(extra, *scores)
    after = catering_annual_grade([*history, GradedVisit(date(2026, 11, 2), lower, "")], RULES, today=TODAY)
    order = ["", "C", "B", "A"]
    assert order.index(after.level) <= order.index(before.level)
