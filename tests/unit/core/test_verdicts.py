"""Verdict and grade rules: tables of cases and hypothesis properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.checklist import Result
from inspector_app.core.verdicts import (
    SEVERITY,
    Grade,
    GradeRules,
    Handling,
    Judged,
    RuleKind,
    Verdict,
    VerdictRule,
    allowed_handlings,
    cap_grade,
    catering_grade,
    equipment_outcome,
    tally,
    three_level_verdict,
)

OK, FAIL, NA = Result.COMPLIANT, Result.NONCOMPLIANT, Result.NOT_APPLICABLE


def items(key_fail=0, general_fail=0, ok=5, na=0, key_ok=0):
    out = [Judged(f"K{i}", True, FAIL) for i in range(key_fail)]
    out += [Judged(f"G{i}", False, FAIL) for i in range(general_fail)]
    out += [Judged(f"O{i}", False, OK) for i in range(ok)]
    out += [Judged(f"KO{i}", True, OK) for i in range(key_ok)]
    out += [Judged(f"N{i}", True, NA) for i in range(na)]
    return out


@pytest.mark.parametrize(
    ("key_fail", "general_fail", "expected"),
    [
        (0, 0, Verdict.COMPLIANT),
        (0, 1, Verdict.BASICALLY_COMPLIANT),
        (0, 8, Verdict.BASICALLY_COMPLIANT),
        (0, 9, Verdict.NONCOMPLIANT),
        (1, 0, Verdict.NONCOMPLIANT),
        (1, 3, Verdict.NONCOMPLIANT),
        (2, 20, Verdict.NONCOMPLIANT),
    ],
)
def test_food_three_level_table(key_fail, general_fail, expected):
    assert three_level_verdict(items(key_fail, general_fail)) is expected


def test_not_applicable_items_do_not_count_even_when_key():
    judged = items(na=10)
    assert three_level_verdict(judged) is Verdict.COMPLIANT
    assert tally(judged).checked == 5 and tally(judged).not_applicable == 10


def test_threshold_is_data():
    assert (
        three_level_verdict(
            items(general_fail=3), VerdictRule("strict", RuleKind.COUNT, max_general_failures=2)
        )
        is Verdict.NONCOMPLIANT
    )


@pytest.mark.parametrize(
    ("verdict", "handlings"),
    [
        (Verdict.COMPLIANT, (Handling.PASS,)),
        (Verdict.BASICALLY_COMPLIANT, (Handling.WRITTEN_RECTIFY, Handling.ON_SPOT, Handling.INVESTIGATE)),
        (Verdict.NONCOMPLIANT, (Handling.RECTIFY, Handling.INVESTIGATE, Handling.STOP_AND_INVESTIGATE)),
        (Verdict.STOP_USE, (Handling.STOP_USE, Handling.STOP_USE_FIXED)),
    ],
)
def test_handling_options_follow_the_verdict(verdict, handlings):
    assert allowed_handlings(verdict) == handlings


@pytest.mark.parametrize(
    ("key_fail", "general_fail", "expected"),
    [(0, 0, Verdict.NO_PROBLEM), (0, 3, Verdict.RECTIFY), (1, 0, Verdict.STOP_USE), (1, 5, Verdict.STOP_USE)],
)
def test_equipment_outcome_table(key_fail, general_fail, expected):
    assert equipment_outcome(items(key_fail, general_fail)) is expected


def test_tally_counts_checked_key_general_and_failed():
    t = tally(items(key_fail=1, general_fail=2, ok=3, na=2, key_ok=2) + [Judged("U", False, None)])
    assert (t.checked, t.key_checked, t.general_checked, t.not_applicable, t.unanswered) == (8, 3, 5, 2, 1)
    assert t.key_failed == ("K0",) and t.general_failed == ("G0", "G1")


RULES = GradeRules()
TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("judged", "grade", "score"),
    [
        (items(ok=10), Grade.EXCELLENT, 10.0),
        (items(general_fail=1, ok=9), Grade.EXCELLENT, 9.0),
        (items(general_fail=2, ok=8), Grade.GOOD, 8.0),
        (items(general_fail=3, ok=7), Grade.FAIR, 7.0),
        (items(general_fail=5, ok=5), Grade.UNRATED, 5.0),
        (items(key_fail=2, ok=20), Grade.UNRATED, 8.3),  # key items weigh 2 points
    ],
)
def test_catering_grade_table(judged, grade, score):
    result = catering_grade(judged, RULES, today=TODAY)
    assert (result.grade, result.score) == (grade, score)


def test_catering_grade_icons():
    assert [g.icon for g in (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR)] == ["大笑", "微笑", "平脸"]


def test_no_dynamic_grade_within_three_months_of_licensing_uses_the_injected_date():
    judged = items(ok=10)
    assert catering_grade(judged, RULES, today=TODAY, licensed_on=date(2026, 9, 1)).grade is Grade.UNRATED
    assert catering_grade(judged, RULES, today=TODAY, licensed_on=date(2026, 8, 28)).grade is Grade.EXCELLENT


def test_no_dynamic_grade_within_six_months_of_an_incident():
    judged = items(ok=10)
    result = catering_grade(judged, RULES, today=TODAY, last_incident_on=date(2026, 7, 1))
    assert result.grade is Grade.UNRATED and "事故" in result.reason


results = st.sampled_from([OK, FAIL, NA, None])
judged_lists = st.lists(st.tuples(st.booleans(), results), max_size=40).map(
    lambda pairs: [Judged(f"C{i}", key, res) for i, (key, res) in enumerate(pairs)]
)


@given(judged_lists, st.booleans(), st.integers(min_value=0, max_value=12))
def test_adding_a_failure_never_improves_the_verdict(judged, key, limit):
    rules = VerdictRule("t", RuleKind.COUNT, max_general_failures=limit)
    worse = [*judged, Judged("NEW", key, FAIL)]
    assert SEVERITY[three_level_verdict(worse, rules)] >= SEVERITY[three_level_verdict(judged, rules)]
    assert SEVERITY[equipment_outcome(worse)] >= SEVERITY[equipment_outcome(judged)]


@given(judged_lists)
def test_turning_a_failure_into_not_applicable_never_worsens_the_verdict(judged):
    relaxed = [Judged(j.code, j.key, NA if j.result is FAIL else j.result) for j in judged]
    assert SEVERITY[three_level_verdict(relaxed)] <= SEVERITY[three_level_verdict(judged)]
    assert three_level_verdict(relaxed) is Verdict.COMPLIANT


@given(judged_lists)
def test_any_key_failure_means_noncompliant_and_stop_use(judged):
    if any(j.key and j.result is FAIL for j in judged):
        assert three_level_verdict(judged) is Verdict.NONCOMPLIANT
        assert equipment_outcome(judged) is Verdict.STOP_USE


@given(judged_lists)
def test_adding_a_failure_never_raises_the_catering_score(judged):
    before = catering_grade(judged, RULES, today=TODAY).score
    after = catering_grade([*judged, Judged("NEW", False, FAIL)], RULES, today=TODAY).score
    assert after is not None
    assert before is None or after <= before


CAPPED = GradeRules(best_grade_by_verdict={"基本符合": "良好", "不符合": "一般"})


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (Verdict.COMPLIANT, Grade.EXCELLENT),
        (Verdict.BASICALLY_COMPLIANT, Grade.GOOD),
        (Verdict.NONCOMPLIANT, Grade.FAIR),
    ],
)
def test_the_grade_is_never_better_than_the_verdict_allows(verdict, expected):
    capped = cap_grade(catering_grade(items(ok=10), CAPPED, today=TODAY), verdict, CAPPED)
    assert capped.grade is expected


def test_a_capped_grade_keeps_a_worse_grade_as_is():
    fair = catering_grade(items(general_fail=3, ok=7), CAPPED, today=TODAY)
    assert cap_grade(fair, Verdict.BASICALLY_COMPLIANT, CAPPED) == fair


def test_shipped_rules_cap_a_noncompliant_catering_visit_at_fair():
    from inspector_app.forms.library import load_library

    rules = load_library().grade_rules
    assert rules.best_grade_by_verdict == {"基本符合": "良好", "不符合": "一般"}


PASS_RATE = VerdictRule("food_pass_rate", RuleKind.PASS_RATE, max_key_failures=1, min_pass_rate=0.7)
KEY_ONLY = VerdictRule("cosmetics", RuleKind.KEY_ONLY)


@pytest.mark.parametrize(
    ("key_fail", "general_fail", "ok", "expected"),
    [
        (0, 0, 10, Verdict.COMPLIANT),
        (1, 0, 10, Verdict.BASICALLY_COMPLIANT),  # one key failure is allowed by the pass-rate rule
        (2, 0, 10, Verdict.NONCOMPLIANT),
        (0, 3, 7, Verdict.BASICALLY_COMPLIANT),  # 7 of 10 general items pass: 70 %
        (0, 4, 6, Verdict.NONCOMPLIANT),  # 60 %
        (1, 3, 7, Verdict.BASICALLY_COMPLIANT),
    ],
)
def test_the_pass_rate_rule_allows_one_key_failure_and_needs_70_percent(key_fail, general_fail, ok, expected):
    assert three_level_verdict(items(key_fail, general_fail, ok=ok), PASS_RATE) is expected


def test_the_pass_rate_counts_general_items_only_and_ignores_not_applicable():
    judged = items(general_fail=3, ok=7, na=20, key_ok=5)
    assert tally(judged).general_pass_rate == 0.7
    assert three_level_verdict(judged, PASS_RATE) is Verdict.BASICALLY_COMPLIANT


@pytest.mark.parametrize(
    ("key_fail", "general_fail", "expected"),
    [(0, 0, Verdict.COMPLIANT), (0, 30, Verdict.BASICALLY_COMPLIANT), (1, 0, Verdict.NONCOMPLIANT)],
)
def test_the_cosmetics_rule_judges_by_key_tier_only_never_by_count(key_fail, general_fail, expected):
    assert three_level_verdict(items(key_fail, general_fail), KEY_ONLY) is expected


@given(judged_lists, st.booleans())
def test_adding_a_failure_never_improves_the_verdict_under_any_rule(judged, key):
    worse = [*judged, Judged("NEW", key, FAIL)]
    for rule in (PASS_RATE, KEY_ONLY):
        assert SEVERITY[three_level_verdict(worse, rule)] >= SEVERITY[three_level_verdict(judged, rule)]


def test_every_rule_describes_itself_in_one_sentence():
    assert "8项" in VerdictRule("c", RuleKind.COUNT).describe()
    assert "70%" in PASS_RATE.describe() and "1项" in PASS_RATE.describe()
    assert "不计项数" in KEY_ONLY.describe()
    assert "立即停止使用" in VerdictRule("e", RuleKind.HAZARD).describe()


def test_basically_compliant_defaults_to_written_rectification_and_noncompliant_has_no_default():
    from inspector_app.core.verdicts import default_handling

    assert default_handling(Verdict.BASICALLY_COMPLIANT) is Handling.WRITTEN_RECTIFY
    assert default_handling(Verdict.NONCOMPLIANT) is None
    assert default_handling(Verdict.STOP_USE) is Handling.STOP_USE  # 查封扣押 unless fixed on the spot


def test_only_the_on_the_spot_handlings_need_a_record_of_what_was_fixed():
    assert {h for h in Handling if h.needs_on_spot_record} == {Handling.ON_SPOT, Handling.STOP_USE_FIXED}
    assert "不予查封、扣押" in Handling.STOP_USE_FIXED.value


def test_points_default_to_the_weights_in_the_grade_rules():
    heavy = GradeRules(key_weight=9.0, general_weight=1.0)
    judged = [Judged("K", True, FAIL), Judged("G", False, OK)]
    assert catering_grade(judged, heavy, today=TODAY).score == 1.0
    assert (
        catering_grade(
            [Judged("K", True, FAIL, points=1.0), Judged("G", False, OK)], heavy, today=TODAY
        ).score
        == 5.0
    )
