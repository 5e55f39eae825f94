"""Every shipped checklist loads, and the families hold what the bureau asked for."""

from __future__ import annotations

import pytest

from inspector_app.core.checklist import Family
from inspector_app.core.registry import BusinessKind, EquipmentType
from inspector_app.forms.library import load_library, scan
from inspector_app.paths import FORMS_DIR

LIBRARY = load_library()
SCANNED = scan(FORMS_DIR)[0]  # every file read, the archive included
SHIPPED = sorted(
    p.relative_to(FORMS_DIR).as_posix() for p in FORMS_DIR.glob("*/*.yaml") if p.parent.name != "parts"
)


def test_the_shipped_forms_folder_has_no_problems():
    _, problems = scan(FORMS_DIR)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("relative", SHIPPED)
def test_each_shipped_checklist_loads_with_a_basis_for_every_item(relative):
    checklist = next(c for c in SCANNED.checklists.values() if c.source == relative)
    assert checklist.items, relative
    for item in checklist.items:
        assert item.basis.strip(), item.code
        assert item.text.strip(), item.code
    codes = [item.code for item in checklist.items]
    assert len(codes) == len(set(codes))


def _distinct_items(family: Family) -> set[str]:
    return {item.code for c in LIBRARY.all() if c.family is family for item in c.items}


@pytest.mark.parametrize(
    ("family", "minimum"), [(Family.FOOD, 40), (Family.EQUIPMENT, 40), (Family.COSMETICS, 25)]
)
def test_each_family_has_enough_distinct_items_and_key_items(family, minimum):
    codes = _distinct_items(family)
    assert len(codes) >= minimum
    keys = {item.code for c in LIBRARY.all() if c.family is family for item in c.items if item.key}
    assert keys, f"{family} has no key items"


def test_every_business_kind_has_a_checklist():
    for kind in BusinessKind:
        assert LIBRARY.for_kind(kind.value), kind


def test_every_equipment_type_has_its_own_checklist():
    for etype in EquipmentType:
        matches = LIBRARY.for_kind(BusinessKind.EQUIPMENT_UNIT.value, etype.value)
        assert any(etype.value in c.equipment_types and len(c.equipment_types) == 1 for c in matches), etype


def test_small_catering_is_graded_and_has_a_conditional_item():
    catering = LIBRARY.for_kind(BusinessKind.SMALL_CATERING.value)[0]
    assert catering.grading == "catering"
    assert any(item.show_if for item in catering.items)


def test_cosmetics_checks_registration_of_high_risk_categories():
    texts = " ".join(item.text for c in LIBRARY.all() if c.family is Family.COSMETICS for item in c.items)
    for word in ("祛斑", "染发", "防晒", "儿童", "面膜"):
        assert word in texts, word


def test_rules_file_sets_the_food_threshold_and_grade_cutoffs():
    assert LIBRARY.rules.verdict_rules["food_sales_count"].max_general_failures == 8
    assert LIBRARY.grade_rules.excellent == 9.0
