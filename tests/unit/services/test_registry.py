"""RegistryService writes: normalisation and validation before anything is stored, equipment checks."""

from __future__ import annotations

from datetime import date

import pytest

from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.registry import Business, BusinessKind, Equipment, EquipmentType
from inspector_app.services.app import Services
from inspector_app.services.registry import RegistryService

CODE = make_uscc("91420881MA4000001")


@pytest.fixture
def registry(services: Services) -> RegistryService:
    return services.registry


def test_upsert_stores_the_normalised_code_and_grade(registry: RegistryService) -> None:
    messy = " " + "".join(chr(ord(c) + 0xFEE0) for c in CODE.lower()) + " "
    outcome = registry.upsert(
        Business(uscc=messy, name="钟祥长寿酒店", kind=BusinessKind.HOTEL, risk_grade="b")
    )
    assert outcome == "imported"
    stored = registry.get(CODE)
    assert stored.uscc == CODE and stored.risk_grade == "B"
    assert registry.upsert(
        Business(uscc=CODE, name="钟祥长寿酒店", kind=BusinessKind.HOTEL, risk_grade="B")
    ) == ("unchanged")


def test_upsert_many_writes_nothing_when_one_business_is_invalid(registry: RegistryService) -> None:
    good = Business(uscc=CODE, name="钟祥长寿酒店", kind=BusinessKind.HOTEL)
    bad = Business(uscc=make_uscc("91420881MA4000002"), name="", kind=BusinessKind.HOTEL)
    with pytest.raises(ValidationError, match="主体名称为空"):
        registry.upsert_many([good, bad])
    assert registry.count() == 0


def test_equipment_needs_a_valid_code_and_a_registered_owner(registry: RegistryService) -> None:
    registry.upsert(Business(uscc=CODE, name="钟祥热电有限公司", kind=BusinessKind.EQUIPMENT_UNIT))
    with pytest.raises(ValidationError, match="设备代码"):
        registry.upsert_equipment([Equipment("123", CODE, EquipmentType.BOILER)])
    with pytest.raises(NotFound):
        registry.upsert_equipment(
            [Equipment("11004208A202400001", make_uscc("91420881MA4000009"), EquipmentType.BOILER)]
        )
    registry.upsert_equipment(
        [
            Equipment(
                "11004208a202400001", CODE.lower(), EquipmentType.BOILER, next_inspection=date(2026, 1, 5)
            )
        ]
    )
    (boiler,) = registry.equipment_of(CODE)
    assert boiler.code == "11004208A202400001" and boiler.next_inspection == date(2026, 1, 5)
