"""Test support for the review tests: a services home with a business, users, and finalized records made
through the real InspectionService (start → answer → sign → finalize)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from inspector_app.core.accounts import Role, User
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.records import Inspector, SignerRole
from inspector_app.core.registry import Business, BusinessKind
from inspector_app.services.app import Services

FORM = "food.small_catering"
PHONE = "13912345678"
RESPONSIBLE = "王大福"

ZHANG = User("u-zhang", "zhang", "张三", Role.INSPECTOR, badge_no="42080220230012", area="东宝区")
LI = User("u-li", "li", "李四", Role.INSPECTOR, badge_no="42080220230013", area="东宝区")
BOSS = User("u-boss", "boss", "王审核", Role.SUPERVISOR, badge_no="42080220230001", area="东宝区")
ADMIN = User("u-admin", "admin", "管理员", Role.ADMIN)
#: A supervisor who also goes on inspections (may not review his own records).
FIELD_BOSS = User("u-fboss", "fboss", "赵队长", Role.SUPERVISOR, badge_no="42080220230002")


def add_business(services: Services, name: str = "老王面馆", stem: str = "92420802MA4XXXXX1") -> str:
    uscc = make_uscc(stem)
    business = Business(
        uscc=uscc,
        name=name,
        kind=BusinessKind.SMALL_CATERING,
        address="荆门市东宝区象山大道1号",
        area="东宝区",
        responsible=RESPONSIBLE,
        phone=PHONE,
        licence_no="JY14208020012345",
    )
    services.registry.upsert(business)
    return uscc


def signature_png() -> bytes:
    image = Image.new("RGBA", (200, 80), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 60), (80, 10), (190, 50)], fill=(0, 0, 0, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def crew(*users: User) -> list[Inspector]:
    return [Inspector(u.display_name, u.badge_no, u.id) for u in users]


def answer_all(services: Services, actor: User, record_id: str, value: str = "符合") -> None:
    """Answer every visible item compliant (first non-failing choice for choice items)."""
    service = services.inspections
    for _ in range(3):  # conditional items may appear after answers
        record = service.get(record_id)
        checklist = service.checklist_of(record)
        pending = [
            i
            for i in checklist.visible_items(record.values(), record.attributes)
            if i.code not in record.answers
        ]
        if not pending:
            return
        for item in pending:
            allowed = item.allowed_values() or ("符合",)
            choice = value if value in allowed else next(v for v in allowed if item.judge(v).value == "符合")
            service.answer(actor, record_id, item.code, choice)


def sign_all(services: Services, actor: User, record_id: str) -> None:
    service = services.inspections
    png = signature_png()
    for inspector in service.get(record_id).inspectors:
        service.sign(actor, record_id, SignerRole.INSPECTOR, inspector.name, png)
    service.sign(actor, record_id, SignerRole.PARTY, RESPONSIBLE, png)


def finalized_record(services: Services, uscc: str, actor: User = ZHANG, partner: User = LI) -> str:
    """A fully answered, signed and finalized record; returns its id."""
    record = services.inspections.start(actor, uscc, FORM, crew(actor, partner), "日常检查", "店内")
    answer_all(services, actor, record.id)
    sign_all(services, actor, record.id)
    return services.inspections.finalize(actor, record.id).id


def corrected_version(services: Services, record_id: str, actor: User = ZHANG) -> str:
    """The inspector's correction of a returned record: new version, re-signed, finalized."""
    draft = services.inspections.new_version(actor, record_id)
    answer_all(services, actor, draft.id)
    sign_all(services, actor, draft.id)
    return services.inspections.finalize(actor, draft.id).id
