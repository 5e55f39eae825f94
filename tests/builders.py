"""Shared test builders: small checklists, libraries, businesses, parties, drafts and images.

Import as ``from tests.builders import make_checklist``. Every builder takes keyword overrides so a test
states only what matters to it. Others may add builders here; keep them small and deterministic.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from typing import Any

from PIL import Image, ImageDraw

from inspector_app.core.checklist import AnswerType, Checklist, Choice, Condition, Family, Item, Section
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.records import Inspection, InspectionType, Inspector, PartySnapshot
from inspector_app.core.registry import Business, BusinessKind
from inspector_app.forms.library import FormLibrary
from inspector_app.forms.rules import Rules
from inspector_app.services.support.passwords import PasswordHasher

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Jingmen
#: scrypt with tiny parameters: hashes verify like real ones, in microseconds (inject with ``hasher=``).
CHEAP_HASHER = PasswordHasher(n=2**4, r=1, p=1)
USCC_A = make_uscc("91420800MA4F00001")
USCC_B = make_uscc("92420802MA4F00002")


def make_item(code: str, **overrides: Any) -> Item:
    fields: dict[str, Any] = {"text": f"检查项 {code}", "basis": "《食品安全法》第三十三条"}
    fields.update(overrides)
    return Item(code=code, **fields)


def default_items() -> list[Item]:
    """Two key items, three general ones of different types, and one conditional item."""
    return [
        make_item("K1", key=True),
        make_item("K2", key=True, photo_when_fail=True),
        make_item("G1"),
        make_item("G2", type=AnswerType.YESNO),
        make_item("G3", type=AnswerType.NUMBER, unit="℃", min=0.0, max=8.0),
        make_item("G4", type=AnswerType.CHOICE, choices=(Choice("已公示"), Choice("未公示", fail=True))),
        make_item("C1", show_if=(Condition(equals=("是",), item="G2"),)),
        make_item("T1", type=AnswerType.TEXT, note_when_fail=False),
    ]


def make_checklist(
    form_id: str = "food.test_catering",
    *,
    version: int = 1,
    family: Family = Family.FOOD,
    items: list[Item] | None = None,
    grading: str = "",
    kinds: tuple[str, ...] = (BusinessKind.SMALL_CATERING.value,),
    equipment_types: tuple[str, ...] = (),
) -> Checklist:
    """A small checklist in two sections (items split in half)."""
    chosen = items if items is not None else default_items()
    half = max(1, len(chosen) // 2)
    sections = (Section("一、基本要求", tuple(chosen[:half])), Section("二、过程控制", tuple(chosen[half:])))
    return Checklist(
        id=form_id,
        version=version,
        title=f"{form_id} 检查要点表",
        family=family,
        sections=tuple(s for s in sections if s.items),
        business_kinds=kinds,
        equipment_types=equipment_types,
        grading=grading,
    )


def make_library(*checklists: Checklist, rules: Rules | None = None) -> FormLibrary:
    """A :class:`FormLibrary` holding the given checklists (default: food, equipment and cosmetics ones)."""
    chosen = checklists or (
        make_checklist(),
        make_checklist(
            "equipment.test_elevator",
            family=Family.EQUIPMENT,
            kinds=(BusinessKind.EQUIPMENT_UNIT.value,),
            equipment_types=("电梯",),
        ),
        make_checklist(
            "cosmetics.test_shop", family=Family.COSMETICS, kinds=(BusinessKind.COSMETICS_SHOP.value,)
        ),
    )
    return FormLibrary({(c.id, c.version): c for c in chosen}, rules or Rules())


def make_business(**overrides: Any) -> Business:
    fields: dict[str, Any] = {
        "uscc": USCC_A,
        "name": "荆门市东宝区红山小吃店",
        "kind": BusinessKind.SMALL_CATERING,
        "address": "湖北省荆门市东宝区象山大道1号",
        "area": "东宝区",
        "responsible": "王红山",
        "phone": "13800000000",
        "licence_no": "JY14208020000001",
        "risk_grade": "B",
    }
    fields.update(overrides)
    return Business(**fields)


def make_party(**overrides: Any) -> PartySnapshot:
    fields: dict[str, Any] = {
        "uscc": USCC_A,
        "name": "荆门市东宝区红山小吃店",
        "kind": "小餐饮",
        "address": "湖北省荆门市东宝区象山大道1号",
        "responsible": "王红山",
        "area": "东宝区",
    }
    fields.update(overrides)
    return PartySnapshot(**fields)


def make_inspectors() -> list[Inspector]:
    return [Inspector("李明", "42080001", "u-li"), Inspector("张华", "42080002", "u-zhang")]


def make_draft(**overrides: Any) -> Inspection:
    """A draft record for the default food checklist (no answers)."""
    fields: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "business": make_party(),
        "form_id": "food.test_catering",
        "form_version": 1,
        "inspection_type": InspectionType.ROUTINE,
        "inspectors": make_inspectors(),
        "started_at": T0,
        "place": "经营场所",
        "attributes": {"kind": "小餐饮", "area": "东宝区"},
        "created_by": "u-li",
    }
    fields.update(overrides)
    return Inspection(**fields)


def make_jpeg(
    width: int = 64, height: int = 48, color: str = "red", exif_orientation: int | None = None
) -> bytes:
    image = Image.new("RGB", (width, height), color)
    out = io.BytesIO()
    if exif_orientation is None:
        image.save(out, format="JPEG")
    else:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        exif[0x010F] = "TestCam"  # Make: must not survive preparation
        image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def make_signature_png(text_seed: int = 1, size: tuple[int, int] = (300, 120)) -> bytes:
    """A transparent PNG with a few strokes (different seeds give different images)."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    width, height = size
    points = [
        (10 + i * 25, height // 2 + ((i * 37 + text_seed * 11) % 50) - 25) for i in range(width // 25 - 1)
    ]
    draw.line(points, fill=(0, 0, 0, 255), width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
