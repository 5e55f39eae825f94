"""Validation and snapshot helpers of :mod:`inspector_app.services.inspections` (no storage access).

Each check raises :class:`ValidationError` with a Chinese message saying what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from inspector_app.core.checklist import Checklist, Family
from inspector_app.core.errors import ValidationError
from inspector_app.core.records import FiveImplementations, InspectionType, Inspector, PartySnapshot
from inspector_app.core.registry import Business, Equipment

MIN_INSPECTORS = 2


def check_inspectors(inspectors: Iterable[Inspector]) -> list[Inspector]:
    """At least two distinct inspectors, each with a name and 执法证号 (trimmed)."""
    cleaned = [Inspector(i.name.strip(), i.badge_no.strip(), i.user_id) for i in inspectors]
    for position, inspector in enumerate(cleaned, start=1):
        if not inspector.name:
            raise ValidationError(f"第{position}名执法人员未填写姓名")
        if not inspector.badge_no:
            raise ValidationError(f"执法人员“{inspector.name}”未填写执法证号；现场检查须出示执法证件")
    badges = [i.badge_no for i in cleaned]
    if len(set(badges)) != len(badges):
        raise ValidationError("执法人员的执法证号重复；请选择两名不同的执法人员")
    if len(cleaned) < MIN_INSPECTORS:
        raise ValidationError(
            f"现场检查须有不少于{MIN_INSPECTORS}名执法人员（现为{len(cleaned)}名）；请添加执法人员"
        )
    return cleaned


def parse_inspection_type(value: InspectionType | str) -> InspectionType:
    if isinstance(value, InspectionType):
        return value
    for kind in InspectionType:
        if value in (kind.value, kind.name.lower()) or kind.value.startswith(value.strip() or "-"):
            return kind
    options = "、".join(k.value for k in InspectionType)
    raise ValidationError(f"检查类型“{value}”无效，应为：{options}")


def party_snapshot(business: Business) -> PartySnapshot:
    return PartySnapshot(
        uscc=business.uscc,
        name=business.name,
        kind=business.kind.value,
        address=business.address,
        responsible=business.responsible,
        phone=business.phone,
        licence_no=business.licence_no,
        area=business.area,
    )


def record_attributes(business: Business, equipment: Equipment | None) -> dict[str, str]:
    """What ``show_if`` conditions may test: the business's own attributes, then kind/area/risk grade,
    the equipment type, and the licence date (used by the 量化分级 new-licence rule)."""
    attributes = {str(k): str(v) for k, v in business.attributes.items()}
    attributes.update({"kind": business.kind.value, "area": business.area, "risk_grade": business.risk_grade})
    if equipment is not None:
        attributes["equipment_type"] = equipment.type.value
    if business.licensed_on is not None:
        attributes["licensed_on"] = business.licensed_on.isoformat()
    return attributes


def check_applies(checklist: Checklist, business: Business, equipment: Equipment | None) -> None:
    """The checklist must fit the business kind; a per-device checklist (one equipment type) needs a device
    of that type, and a unit-wide one (several types) accepts an optional device of any of them."""
    if checklist.business_kinds and business.kind.value not in checklist.business_kinds:
        kinds = "、".join(checklist.business_kinds)
        raise ValidationError(
            f"检查表“{checklist.title}”适用于{kinds}，而“{business.name}”的主体类型是{business.kind.value}；"
            "请选择适用的检查表"
        )
    if equipment is None and len(checklist.equipment_types) == 1:  # a per-device checklist
        raise ValidationError(f"检查表“{checklist.title}”用于单台设备检查，请选择被检查的设备（设备代码）")
    types = checklist.equipment_types
    if equipment is not None and types and equipment.type.value not in types:
        raise ValidationError(
            f"设备 {equipment.code} 的类别是{equipment.type.value}，"
            f"检查表“{checklist.title}”适用于{'、'.join(types)}"
        )


def find_equipment(items: list[Equipment], code: str, business: Business) -> Equipment | None:
    if not code:
        return None
    for item in items:
        if item.code == code:
            return item
    raise ValidationError(f"“{business.name}”名下没有设备代码为 {code} 的设备；请先在主体名录中登记该设备")


def check_order(
    checklist: Checklist,
    item_code: str,
    requirement: str,
    deadline: date,
    hazard: FiveImplementations | None,
    today: date,
) -> None:
    """A rectification order needs a requirement and a future-or-today deadline; equipment orders need the
    隐患整改“五落实” (responsibility, measures, time limit, funds, emergency plan)."""
    if not requirement.strip():
        raise ValidationError(f"{item_code}：请填写整改要求")
    if deadline < today:
        raise ValidationError(f"{item_code}：整改期限 {deadline.isoformat()} 已过，请选择今天或以后的日期")
    if checklist.family is Family.EQUIPMENT and hazard is None:
        raise ValidationError(
            f"{item_code}：特种设备隐患整改须填写“五落实”（责任、措施、时限、资金、应急预案）"
        )
    if hazard is None:
        return
    labels = {
        "responsible": "责任落实",
        "measures": "措施落实",
        "funds": "资金落实",
        "emergency_plan": "应急预案落实",
    }
    for name, label in labels.items():
        if not str(getattr(hazard, name)).strip():
            raise ValidationError(f"{item_code}：“五落实”缺少{label}")
    if hazard.deadline < today:
        raise ValidationError(f"{item_code}：“五落实”的时限 {hazard.deadline.isoformat()} 已过")
