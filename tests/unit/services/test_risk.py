"""RiskService and ComplaintService over a real data home: grades follow the history, with reasons."""

from __future__ import annotations

from datetime import date

import pytest

from inspector_app.core.errors import NotFound, PermissionDenied, ValidationError
from inspector_app.core.records import InspectionType
from tests.builders import make_library
from tests.unit.services.planning_support import (
    DONGBAO,
    SUPERVISOR,
    catering_in,
    crew,
    fill,
    finish,
    visit,
)

LEAD = DONGBAO[0]


@pytest.fixture
def forms():
    return make_library()


@pytest.fixture
def services(services, store):
    """The conftest services over a home with a generated registry and the planning accounts."""
    fill(store)
    return services


def set_grade(services, uscc, grade):
    business = services.registry.get(uscc)
    business.risk_grade = grade
    business.credit_score = None
    services.registry.upsert(business)


def test_a_business_without_history_has_its_registry_grade(services):
    uscc = catering_in(services, "东宝区")[0]
    set_grade(services, uscc, "C")
    result = services.risk.assess(uscc)
    assert (result.grade, result.points) == ("C", 25)
    assert result.reasons[0].text == "名录登记的风险等级（信用风险分类）：C"


def test_a_failed_visit_with_an_overdue_order_raises_the_grade(services, tmp_path):
    uscc = catering_in(services, "东宝区")[0]
    set_grade(services, uscc, "A")
    record = services.inspections.start(
        LEAD, uscc, "food.test_catering", crew(*DONGBAO[:2]), InspectionType.ROUTINE, ""
    )
    services.inspections.answer(LEAD, record.id, "K1", "不符合", "生熟混放")
    services.inspections.add_order(LEAD, record.id, "K1", "分开存放", date(2026, 3, 5))
    finish(services, LEAD, record.id, {"K1": "不符合"})
    assert services.risk.assess(uscc, date(2026, 3, 5)).grade == "B"  # 不符合: 20 points
    late = services.risk.assess(uscc, date(2026, 3, 6))  # the order is overdue now
    assert (late.grade, late.points) == ("C", 32)
    assert "逾期未整改的整改要求 1 项" in [r.text for r in late.reasons]


def test_complaints_are_recorded_and_counted(services):
    uscc = catering_in(services, "东宝区")[0]
    set_grade(services, uscc, "A")
    complaint = services.complaints.record(LEAD, uscc, date(2026, 2, 20), "12315", "反映餐具不洁")
    assert services.risk.assess(uscc).points == 3  # pending
    services.complaints.set_status(SUPERVISOR, complaint.id, "经查属实")
    assert services.risk.assess(uscc).points == 10
    assert [c.status for c in services.complaints.list(uscc)] == ["substantiated"]
    with pytest.raises(PermissionDenied):
        services.complaints.set_status(LEAD, complaint.id, "unfounded")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.complaints.record(LEAD, uscc, date(2026, 3, 3), "12315", "未来")
    with pytest.raises(ValidationError, match="核查结果"):
        services.complaints.record(SUPERVISOR, uscc, date(2026, 2, 1), "12315", "x", status="maybe")
    with pytest.raises(NotFound):
        services.complaints.record(LEAD, "91420800MA4XXXXXX0", date(2026, 2, 1), "12315", "x")


def test_bulk_grades_agree_with_single_assessments(services):
    for uscc in catering_in(services, "东宝区")[:2]:
        visit(services, LEAD, uscc, {"K1": "不符合"})
    graded = {uscc: grade for uscc, _, _, grade in services.risk.graded_registry()}
    assert len(graded) == services.registry.count()
    for uscc in list(graded)[:40] + catering_in(services, "东宝区")[:2]:
        assert graded[uscc] == services.risk.assess(uscc).grade, uscc
    counts = services.risk.distribution()
    assert sum(counts.values()) == len(graded) and set(counts) == {"A", "B", "C", "D"}
    assert sum(services.risk.distribution("东宝区").values()) < len(graded)


def test_an_unknown_business_has_no_grade(services):
    with pytest.raises(NotFound):
        services.risk.assess("91420800MA4XXXXXX0")
