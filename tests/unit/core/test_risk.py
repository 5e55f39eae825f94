"""Risk grades A–D: points per fact, reasons in Chinese, the look-back period, thresholds (pure)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from inspector_app.core.risk import (
    ComplaintFact,
    RiskFacts,
    RiskRules,
    VisitFact,
    assess,
    months_before,
)

TODAY = date(2026, 3, 15)
RULES = RiskRules()


def test_a_business_without_history_takes_its_registry_grade():
    for grade in "ABCD":
        assert assess(RiskFacts(registry_grade=grade), RULES, TODAY).grade == grade
    unknown = assess(RiskFacts(), RULES, TODAY)
    assert unknown.grade == "B" and unknown.reasons[0].text.startswith("名录未登记风险等级")


def test_a_noncompliant_last_visit_raises_an_a_business_to_b_and_says_why():
    facts = RiskFacts(registry_grade="A", visits=(VisitFact(date(2026, 2, 1), "不符合", document_no="JM-1"),))
    result = assess(facts, RULES, TODAY)
    assert (result.grade, result.points) == ("B", 20)
    assert "最近一次检查（2026-02-01，JM-1）结论：不符合" in [r.text for r in result.reasons]


def test_the_last_regular_visit_counts_not_the_follow_up():
    visits = (
        VisitFact(date(2026, 1, 5), "不符合", failed_items=("G1",)),
        VisitFact(date(2026, 2, 5), "符合", follow_up=True),
    )
    assert assess(RiskFacts(registry_grade="A", visits=visits), RULES, TODAY).points == 20


def test_repeat_failures_overdue_and_escalated_orders_and_complaints_add_up_to_d():
    visits = (
        VisitFact(date(2025, 9, 1), "基本符合", failed_items=("G1", "G2")),
        VisitFact(date(2026, 1, 10), "基本符合", failed_items=("G1", "G2", "G3")),
    )
    facts = RiskFacts(
        registry_grade="B",
        visits=visits,
        overdue_orders=1,
        escalated_orders=(date(2026, 2, 1),),
        complaints=(
            ComplaintFact(date(2026, 1, 1), "substantiated"),
            ComplaintFact(date(2026, 1, 2), "unfounded"),
        ),
    )
    result = assess(facts, RULES, TODAY)
    texts = {r.text: r.points for r in result.reasons}
    assert texts["同一检查项在回看期内两次及以上不符合：G1、G2（2 项，计 2 项）"] == 16
    assert texts["逾期未整改的整改要求 1 项"] == 12
    assert texts["回头看仍未整改、已移交处理 1 项"] == 15
    assert texts["投诉举报经查属实 1 件（计 1 件）"] == 10
    assert result.points == 10 + 8 + 16 + 12 + 15 + 10 and result.grade == "D"
    assert result.explanation(RULES).startswith("风险等级 D（高风险，71 分")


def test_facts_older_than_the_look_back_are_ignored():
    old = date(2023, 1, 1)
    facts = RiskFacts(
        registry_grade="A",
        visits=(VisitFact(old, "不符合"),),
        escalated_orders=(old,),
        complaints=(ComplaintFact(old, "substantiated"),),
    )
    result = assess(facts, RULES, TODAY)
    assert (result.grade, result.points, len(result.reasons)) == ("A", 0, 1)
    assert result.since == date(2024, 3, 15)


def test_caps_limit_how_much_one_kind_of_fact_adds():
    result = assess(RiskFacts(registry_grade="A", overdue_orders=9), RULES, TODAY)
    assert result.points == 3 * RULES.overdue_order_points
    complaints = tuple(ComplaintFact(date(2026, 1, d), "substantiated") for d in range(1, 6))
    pending = (ComplaintFact(date(2026, 2, 1), "pending"),)
    result = assess(RiskFacts(registry_grade="A", complaints=complaints + pending), RULES, TODAY)
    assert result.points == 3 * 10  # the cap counts substantiated complaints first


def test_an_excellent_catering_grade_lowers_the_points():
    facts = RiskFacts(
        registry_grade="B", visits=(VisitFact(date(2026, 3, 1), "符合", catering_grade="优秀"),)
    )
    result = assess(facts, RULES, TODAY)
    assert (result.points, result.grade) == (5, "A")


def test_low_credit_scores_add_points():
    assert assess(RiskFacts(registry_grade="A", credit_score=55.5), RULES, TODAY).points == 10
    assert assess(RiskFacts(registry_grade="A", credit_score=60), RULES, TODAY).points == 0


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)


verdicts = st.sampled_from(["符合", "基本符合", "不符合"])


@given(
    st.sampled_from("ABCD"),
    st.lists(
        st.tuples(st.integers(0, 600), verdicts, st.lists(st.sampled_from(["G1", "G2", "K1"]))), max_size=5
    ),
    st.integers(0, 5),
)
def test_another_overdue_order_never_lowers_the_grade(grade, raw_visits, overdue):
    visits = tuple(
        VisitFact(date.fromordinal(TODAY.toordinal() - d), v, failed_items=tuple(f)) for d, v, f in raw_visits
    )
    before = assess(RiskFacts(registry_grade=grade, visits=visits, overdue_orders=overdue), RULES, TODAY)
    after = assess(RiskFacts(registry_grade=grade, visits=visits, overdue_orders=overdue + 1), RULES, TODAY)
    assert after.points >= before.points and after.grade >= before.grade
