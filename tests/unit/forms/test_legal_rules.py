"""The rules of law the shipped checklists must keep (regulations.md, "Corrections after the first audit").

Severity follows the law: an equipment key item is a 严重事故隐患 or 重大违法行为 (57号令第24、25条); a
cosmetics key item sits in the 条例第59、60条 tiers; official food stars (★) come from a 2016 national table,
local proposals are ★☆. Other provinces are never the 依据, and no placeholder ever reaches a screen.
"""

from __future__ import annotations

import pytest

from inspector_app.core.checklist import AnswerType, Family
from inspector_app.core.citations import PLACEHOLDERS, CitationRole, Scope
from inspector_app.core.verdicts import RuleKind
from inspector_app.forms.library import load_library, scan

LIBRARY = load_library()
CURRENT = LIBRARY.all()


def _items(family: Family):
    return {item.code: item for c in CURRENT if c.family is family for item in c.items}


def _cites(item, law: str, articles: set[int]) -> bool:
    return any(c.law == law and c.article in articles for c in item.basis_citations)


@pytest.mark.parametrize("code", sorted(code for code, i in _items(Family.EQUIPMENT).items() if i.key))
def test_an_equipment_key_item_is_a_major_hazard_or_a_major_violation_under_57_order(code):
    item = _items(Family.EQUIPMENT)[code]
    assert _cites(item, "57号令", {24, 25}), code
    assert not item.key_local  # a stop-use order needs legal ground, never a local proposal


@pytest.mark.parametrize(
    ("code", "what"),
    [
        ("SB02", "使用登记"),
        ("SB06", "两员"),
        ("SB08", "作业人员证"),
        ("GL01", "司炉持证"),
        ("CC06", "场车牌照"),
    ],
)
def test_registration_appointments_and_certificates_are_not_stop_use_hazards(code, what):
    assert not _items(Family.EQUIPMENT)[code].key, what


def test_bundled_equipment_items_were_split_into_the_hazard_and_the_paperwork():
    equipment = _items(Family.EQUIPMENT)
    pairs = [
        ("SB04", "SB17"),
        ("RQ02", "RQ06"),
        ("RQ07", "RQ04"),
        ("QZ02", "QZ06"),
        ("CC02", "CC06"),
        ("GL03", "GL06"),
    ]
    for hazard, paperwork in pairs:
        assert equipment[hazard].key and not equipment[paperwork].key, (hazard, paperwork)


def test_the_gb_45067_elevator_hazards_are_checked():
    elevator = LIBRARY.get("equipment.elevator")
    clauses = {c.clause for item in elevator.items if item.key for c in item.citations if c.law == "GB45067"}
    assert {"5.6.2", "5.6.4", "5.6.5"} <= clauses


def test_elevator_maintenance_is_at_most_15_days_unless_on_demand_maintenance_is_configured():
    elevator = LIBRARY.get("equipment.elevator")
    interval = elevator.item("DT11")
    assert (interval.type, interval.max, interval.judge("16").value) == (AnswerType.NUMBER, 15, "不符合")
    assert elevator.is_visible(interval, {}, {}) and not elevator.is_visible(
        interval, {}, {"elevator_maintenance": "按需维保"}
    )
    on_demand = elevator.item("DT12")
    assert elevator.is_visible(
        on_demand, {}, {"elevator_maintenance": "按需维保"}
    ) and not elevator.is_visible(on_demand, {}, {})


def test_lpg_cylinder_limits_follow_the_manufacturing_standard():
    cylinders = LIBRARY.get("equipment.gas_cylinder")
    new, old = cylinders.item("QP04"), cylinders.item("QP08")
    assert new.max == 12 and "8年设计使用年限" in new.text and "GB 5842-2006" in new.text
    assert old.max == 15
    standard = cylinders.item("QP07")
    assert cylinders.is_visible(new, {"QP07": standard.choices[0].value}, {})
    assert not cylinders.is_visible(new, {"QP07": standard.choices[1].value}, {})
    assert cylinders.is_visible(old, {"QP07": standard.choices[1].value}, {})


def test_a_gas_cylinder_filling_station_has_its_own_checklist():
    filling = LIBRARY.get("equipment.cylinder_filling")
    assert filling.family is Family.EQUIPMENT and "气瓶" in filling.equipment_types
    assert _cites(filling.item("CZ01"), "特种设备安全法", {49}) and filling.item("CZ01").key
    assert _cites(filling.item("CZ03"), "特种设备安全法", {49})


@pytest.mark.parametrize("code", sorted(code for code, i in _items(Family.COSMETICS).items() if i.key))
def test_a_cosmetics_key_item_is_in_the_59_or_60_tier(code):
    assert _cites(_items(Family.COSMETICS)[code], "化妆品监督管理条例", {59, 60}), code


def test_cosmetics_label_items_are_never_key():
    for item in _items(Family.COSMETICS).values():
        label = any(c.law == "46号令" and c.article == 37 for c in item.citations) or any(
            c.law == "化妆品监督管理条例" and c.article in (35, 36, 37) for c in item.basis_citations
        )
        if label:
            assert not item.key, item.code
    keys = [i for i in _items(Family.COSMETICS).values() if i.key]
    assert 0 < len(keys) <= 10


def test_food_official_stars_come_from_a_2016_table_and_local_proposals_are_marked():
    for code, item in _items(Family.FOOD).items():
        if item.key and not item.key_local:
            tables = [c for c in item.reference_citations if c.law.startswith("2016")]
            assert tables, f"{code}: an official ★ must name its 2016 table item"
    catering = LIBRARY.get("food.small_catering")
    assert (
        catering.item("SP01").key_local and catering.item("CY10").key_local and not catering.item("CY11").key
    )
    assert {i.code for i in catering.items if i.key and not i.key_local} >= {
        "SP04",
        "SP06",
        "CY01",
        "CY02",
        "CY05",
        "CY12",
    }


def test_each_checklist_names_its_verdict_rule_and_the_rule_its_source():
    kinds = {c.id: LIBRARY.verdict_rule(c).kind for c in CURRENT}
    assert kinds["food.retail"] is RuleKind.COUNT and kinds["food.stall"] is RuleKind.COUNT
    assert kinds["food.small_catering"] is RuleKind.PASS_RATE and kinds["food.workshop"] is RuleKind.PASS_RATE
    assert kinds["cosmetics.trade"] is RuleKind.KEY_ONLY
    assert all(kinds[c.id] is RuleKind.HAZARD for c in CURRENT if c.family is Family.EQUIPMENT)
    for checklist in CURRENT:
        rule = LIBRARY.verdict_rule(checklist)
        assert rule.source and rule.status and rule.name, checklist.id


def test_other_provinces_are_only_ever_a_reference_and_hubei_rules_are_cited_by_name():
    for checklist in CURRENT:
        for item in checklist.items:
            for citation in item.basis_citations:
                assert LIBRARY.laws[citation.law].scope is not Scope.OTHER_PROVINCE, item.code
            others = [
                LIBRARY.laws[c.law].title
                for c in item.citations
                if LIBRARY.laws[c.law].scope is Scope.OTHER_PROVINCE
            ]
            assert not any(title in item.printed_basis for title in others), item.code
    hubei = {
        i.code
        for c in CURRENT
        for i in c.items
        if any(x.law == "湖北省食品安全条例" for x in i.basis_citations)
    }
    assert {"SP01", "SP08", "CY08", "TF05", "XZ06"} <= hubei


def test_no_placeholder_reaches_what_an_inspector_reads():
    for checklist in CURRENT:
        for item in checklist.items:
            shown = " ".join((item.text, item.guidance, item.printed_basis, item.reference_note))
            assert not any(p in shown for p in PLACEHOLDERS), item.code


def test_the_archived_versions_show_no_placeholder_either():
    for checklist in scan()[0].checklists.values():
        for item in checklist.items:
            assert not any(p in item.printed_basis + item.reference_note for p in PLACEHOLDERS), item.code
            assert "参照" not in item.printed_basis, item.code


def test_reference_citations_are_roles_the_screen_can_show():
    roles = {c.role for ch in CURRENT for i in ch.items for c in i.citations}
    assert roles == {CitationRole.BASIS, CitationRole.REFERENCE}
