"""The registry of 市场主体 (businesses) and their special equipment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class BusinessKind(StrEnum):
    """Kinds of business; forms declare which kinds they apply to (``applies_to.business_kinds``)."""

    FOOD_WORKSHOP = "食品小作坊"
    SMALL_CATERING = "小餐饮"
    FOOD_RETAIL = "食品销售"
    FOOD_STALL = "食品摊贩"
    EQUIPMENT_UNIT = "特种设备使用单位"
    COSMETICS_SHOP = "化妆品经营"
    BEAUTY_SALON = "美容美发"
    HOTEL = "宾馆酒店"


#: Spellings found in real spreadsheets → canonical kind.
KIND_ALIASES: dict[str, BusinessKind] = {
    "小作坊": BusinessKind.FOOD_WORKSHOP,
    "食品生产小作坊": BusinessKind.FOOD_WORKSHOP,
    "小餐馆": BusinessKind.SMALL_CATERING,
    "小吃店": BusinessKind.SMALL_CATERING,
    "小饮品店": BusinessKind.SMALL_CATERING,
    "小饭桌": BusinessKind.SMALL_CATERING,
    "餐饮": BusinessKind.SMALL_CATERING,
    "小食杂店": BusinessKind.FOOD_RETAIL,
    "食杂店": BusinessKind.FOOD_RETAIL,
    "便利店": BusinessKind.FOOD_RETAIL,
    "摊贩": BusinessKind.FOOD_STALL,
    "食品摊点": BusinessKind.FOOD_STALL,
    "特种设备": BusinessKind.EQUIPMENT_UNIT,
    "使用单位": BusinessKind.EQUIPMENT_UNIT,
    "化妆品": BusinessKind.COSMETICS_SHOP,
    "化妆品店": BusinessKind.COSMETICS_SHOP,
    "美容院": BusinessKind.BEAUTY_SALON,
    "美发店": BusinessKind.BEAUTY_SALON,
    "理发店": BusinessKind.BEAUTY_SALON,
    "宾馆": BusinessKind.HOTEL,
    "酒店": BusinessKind.HOTEL,
    "旅馆": BusinessKind.HOTEL,
}


def parse_kind(text: str) -> BusinessKind | None:
    """Canonical kind for a spelling (exact value or alias), else ``None``."""
    text = text.strip()
    try:
        return BusinessKind(text)
    except ValueError:
        return KIND_ALIASES.get(text)


class EquipmentType(StrEnum):
    ELEVATOR = "电梯"
    BOILER = "锅炉"
    PRESSURE_VESSEL = "压力容器"
    GAS_CYLINDER = "气瓶"
    CRANE = "起重机械"
    INDUSTRIAL_VEHICLE = "场(厂)内专用机动车辆"


RISK_GRADES = ("A", "B", "C", "D")

#: The five county-level areas of Jingmen (辖区).
JINGMEN_AREAS = ("东宝区", "掇刀区", "京山市", "沙洋县", "钟祥市")


@dataclass
class Business:
    """A 市场主体. ``uscc`` is the natural key; ``id`` is a global UUID."""

    uscc: str
    name: str
    kind: BusinessKind
    address: str = ""
    area: str = ""
    responsible: str = ""
    phone: str = ""
    licence_no: str = ""
    risk_grade: str = ""
    credit_score: float | None = None
    id: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    licensed_on: date | None = None


def business_fields(business: Business) -> dict[str, Any]:
    """The registry fields of ``business`` as plain, JSON-ready values in the order the registry lists them:
    the kind as its text, ``licensed_on`` as an ISO date or None (``id`` and ``attributes`` left out)."""
    return {
        "uscc": business.uscc,
        "name": business.name,
        "kind": business.kind.value,
        "area": business.area,
        "address": business.address,
        "responsible": business.responsible,
        "phone": business.phone,
        "licence_no": business.licence_no,
        "risk_grade": business.risk_grade,
        "credit_score": business.credit_score,
        "licensed_on": business.licensed_on.isoformat() if business.licensed_on else None,
    }


@dataclass
class Equipment:
    """A piece of special equipment of a 使用单位."""

    code: str
    owner_uscc: str
    type: EquipmentType
    registration_no: str = ""
    next_inspection: date | None = None
    location: str = ""
    id: str = ""
