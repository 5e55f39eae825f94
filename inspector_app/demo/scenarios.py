"""The demo inspections as data, and how to answer a checklist to reach a wanted outcome.

Each :class:`Scenario` names a checklist, the kind of business visited, how many days ago, and the outcome
(all compliant, general failures, a key failure, or a draft left half done). Answers are derived from the
checklist itself, so the demo follows whatever the shipped forms contain.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image, ImageDraw

from inspector_app.core.checklist import AnswerType, Checklist, Item, Result
from inspector_app.core.records import InspectionType
from inspector_app.core.registry import BusinessKind, EquipmentType

OK, GENERAL, KEY, DRAFT = "ok", "general", "key", "draft"


@dataclass(frozen=True)
class Scenario:
    """One demo visit. ``order_days``: a rectification order due that many days after the visit."""

    form_id: str
    kind: BusinessKind
    outcome: str
    days_ago: int
    equipment: EquipmentType | None = None
    handling: str | None = None
    order_days: int | None = None
    inspection_type: InspectionType = InspectionType.ROUTINE
    refuse: bool = False
    revisit_of: int | None = None  # index of the scenario whose business this 回头看 revisits
    correct: bool = False  # returned after review and corrected by a new version


C, R, S, W, U, M = (
    BusinessKind.SMALL_CATERING,
    BusinessKind.FOOD_RETAIL,
    BusinessKind.FOOD_STALL,
    BusinessKind.FOOD_WORKSHOP,
    BusinessKind.EQUIPMENT_UNIT,
    BusinessKind.COSMETICS_SHOP,
)

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("food.small_catering", C, OK, 35),
    Scenario("food.small_catering", C, GENERAL, 30, order_days=14),
    Scenario("food.small_catering", C, KEY, 4, handling="依法调查处理", order_days=7),
    Scenario("food.retail", R, OK, 28, correct=True),
    Scenario("food.retail", R, GENERAL, 20, order_days=10),
    Scenario("food.stall", S, KEY, 15, handling="立即停止生产经营并调查处理", refuse=True),
    Scenario("food.workshop", W, GENERAL, 12, order_days=20),
    Scenario("food.workshop", W, OK, 9),
    Scenario("food.small_catering", C, DRAFT, 0),
    Scenario("food.retail", R, DRAFT, 1),
    Scenario("equipment.elevator", U, OK, 25, equipment=EquipmentType.ELEVATOR),
    Scenario("equipment.elevator", U, GENERAL, 6, equipment=EquipmentType.ELEVATOR, order_days=15),
    Scenario("equipment.boiler", U, KEY, 3, equipment=EquipmentType.BOILER, order_days=5),
    Scenario("equipment.pressure_vessel", U, OK, 18, equipment=EquipmentType.PRESSURE_VESSEL),
    Scenario("equipment.unit", U, GENERAL, 10, order_days=30),
    Scenario("equipment.crane", U, DRAFT, 0, equipment=EquipmentType.CRANE),
    Scenario("cosmetics.trade", M, OK, 22),
    Scenario("cosmetics.trade", M, GENERAL, 8, order_days=10, refuse=True),
    Scenario("cosmetics.trade", M, KEY, 2, handling="限期整改", order_days=7),
    Scenario("cosmetics.trade", M, DRAFT, 0),
    Scenario("food.retail", R, OK, 1, inspection_type=InspectionType.FOLLOW_UP, revisit_of=4),
    Scenario("food.small_catering", C, OK, 14, inspection_type=InspectionType.RANDOM),
)

REQUIREMENT = "{code}项问题限期整改到位，整改完成后向辖区市场监管所书面报告整改情况"
NOTES = ("现场发现该项不符合要求，已当场指出", "相关记录缺失，未能提供", "设施设备维护不到位", "未按规定公示")


def passing_value(item: Item, visit: date) -> str:
    """A value that judges 符合 (or, for date/text items, a plausible entry)."""
    if item.type is AnswerType.YESNO:
        return "是"
    if item.type is AnswerType.CHOICE:
        return next(c.value for c in item.choices if not c.fail)
    if item.type is AnswerType.NUMBER:
        low, high = item.min, item.max
        number = (
            (low + high) / 2 if low is not None and high is not None else (high if high is not None else low)
        )
        return f"{number if number is not None else 1:g}"
    if item.type is AnswerType.DATE:
        return (visit + timedelta(days=200)).isoformat()
    if item.type is AnswerType.TEXT:
        return "无"
    return Result.COMPLIANT.value


def failing_value(item: Item) -> str | None:
    """A value that judges 不符合, or ``None`` when the item cannot fail."""
    if item.type is AnswerType.TRI:
        return Result.NONCOMPLIANT.value
    if item.type is AnswerType.YESNO:
        return "否"
    if item.type is AnswerType.CHOICE:
        return next((c.value for c in item.choices if c.fail), None)
    if item.type is AnswerType.NUMBER and item.max is not None:
        return f"{item.max + 1:g}"
    return None


def plan_answers(
    checklist: Checklist, attributes: dict[str, str], outcome: str, visit: date, salt: int
) -> dict[str, str]:
    """Answers (item code → value) reaching ``outcome``; only visible items are answered."""
    failing: set[str] = set()
    candidates = [i for i in checklist.items if failing_value(i) is not None and not i.show_if]
    general = [i.code for i in candidates if not i.key]
    key = [i.code for i in candidates if i.key]
    if outcome in (GENERAL, KEY) and general:
        count = 2 + salt % 2
        start = salt % max(1, len(general) - count)
        failing.update(general[start : start + count])
    if outcome == KEY and key:
        failing.add(key[salt % len(key)])
    values: dict[str, str] = {}
    for item in checklist.items:
        if not checklist.is_visible(item, values, attributes):
            continue
        fail = failing_value(item) if item.code in failing else None
        values[item.code] = fail or passing_value(item, visit)
    if outcome == DRAFT:
        keep = max(1, len(values) // 2)
        values = dict(list(values.items())[:keep])
    return values


def demo_photo(label: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A small JPEG 'site photo': coloured background with a few shapes (distinct per ``label``)."""
    palette = ((181, 101, 29), (90, 120, 140), (120, 150, 90), (160, 160, 160), (200, 180, 120))
    image = Image.new("RGB", size, palette[label % len(palette)])
    draw = ImageDraw.Draw(image)
    width, height = size
    for n in range(4):
        x = (label * 53 + n * 131) % (width - 120)
        y = (label * 31 + n * 97) % (height - 90)
        draw.rectangle((x, y, x + 110, y + 80), outline=(30, 30, 30), width=4)
    draw.line((0, height - 1, width, (label * 71) % height), fill=(240, 240, 240), width=6)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def demo_signature(label: int, size: tuple[int, int] = (360, 140)) -> bytes:
    """A transparent PNG with a handwriting-like stroke (distinct per ``label``)."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    width, height = size
    points = [
        (20 + i * 18, height // 2 + (((i * 7 + label * 13) % 9) - 4) * 9 + (12 if i % 3 == 0 else -6))
        for i in range((width - 40) // 18)
    ]
    draw.line(points, fill=(10, 10, 60, 255), width=4, joint="curve")
    draw.line((30, height - 30, width - 40, height - 38 - label % 10), fill=(10, 10, 60, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
