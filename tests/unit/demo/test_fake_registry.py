"""The fake Jingmen registry used by the demo and the benches: deterministic, valid and complete."""

from __future__ import annotations

import random

from inspector_app.core.identifiers import equipment_code_problem, phone_problem, uscc_problem
from inspector_app.core.registry import JINGMEN_AREAS, BusinessKind
from inspector_app.demo.fake_registry import AREAS, generate_businesses, generate_equipment
from inspector_app.services.support.registry_validation import FOOD_LICENCE_KINDS, parse_row

REGION = {"东宝区": "420802", "掇刀区": "420804", "沙洋县": "420822", "钟祥市": "420881", "京山市": "420882"}


def test_same_seed_gives_the_same_registry_and_another_seed_another() -> None:
    assert list(generate_businesses(50, seed=1)) == list(generate_businesses(50, seed=1))
    assert list(generate_businesses(50, seed=1)) != list(generate_businesses(50, seed=2))


def test_a_small_registry_has_every_kind_and_every_area() -> None:
    businesses = list(generate_businesses(8))
    assert {b.kind for b in businesses} == set(BusinessKind)
    assert {b.area for b in businesses} == set(JINGMEN_AREAS) == set(AREAS)


def test_every_business_is_valid_with_its_district_region_code_and_a_unique_uscc() -> None:
    businesses = list(generate_businesses(3000))
    assert len({b.uscc for b in businesses}) == len(businesses)
    for b in businesses:
        assert uscc_problem(b.uscc) is None and b.uscc[2:8] == REGION[b.area]
        assert phone_problem(b.phone) is None, b.phone
        assert b.address.startswith(f"湖北省荆门市{b.area}")
        if b.kind in FOOD_LICENCE_KINDS:
            assert b.licence_no.startswith(("JY1", "JY2")) and b.licence_no[3:7] == "4208"
        row = parse_row(
            2,
            {
                "name": b.name,
                "uscc": b.uscc,
                "kind": b.kind.value,
                "phone": b.phone,
                "licence_no": b.licence_no,
                "risk_grade": b.risk_grade,
            },
        )
        assert row.business is not None, row.reason


def test_equipment_units_get_equipment_with_valid_18_character_codes() -> None:
    rng = random.Random(7)
    units = [b for b in generate_businesses(400) if b.kind is BusinessKind.EQUIPMENT_UNIT]
    assert units
    for unit in units:
        items = generate_equipment(unit, rng)
        assert items and all(e.owner_uscc == unit.uscc for e in items)
        assert all(len(e.code) == 18 and equipment_code_problem(e.code) is None for e in items)
    other = next(b for b in generate_businesses(10) if b.kind is not BusinessKind.EQUIPMENT_UNIT)
    assert generate_equipment(other, rng) == []
