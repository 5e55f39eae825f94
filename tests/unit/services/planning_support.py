"""A data home for the planning tests: a generated registry, inspector accounts in two areas, and helpers to
finalize a visit through the real InspectionService."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from inspector_app.core.accounts import Role, User
from inspector_app.core.clock import FixedClock
from inspector_app.core.records import InspectionType, Inspector, SignerRole
from inspector_app.demo.fake_registry import generate_businesses
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.support.initials import initials
from inspector_app.storage.store import Store
from tests.builders import CHEAP_HASHER, T0, make_library, make_signature_png

DONGBAO = [
    User("u-db-1", "db1", "张伟", Role.INSPECTOR, "42080220230012", "东宝区"),
    User("u-db-2", "db2", "李娜", Role.INSPECTOR, "42080220230027", "东宝区"),
    User("u-db-3", "db3", "赵敏", Role.INSPECTOR, "42080220230031", "东宝区"),
]
DUODAO = [
    User("u-dd-1", "dd1", "王强", Role.INSPECTOR, "42080420210035", "掇刀区"),
    User("u-dd-2", "dd2", "周杰", Role.INSPECTOR, "42080420210036", "掇刀区"),
]
SUPERVISOR = User("u-sup", "sup", "陈静", Role.SUPERVISOR, "42080020190008")
ALL_OK = {"K1": "符合", "K2": "符合", "G1": "符合", "G2": "是", "G3": "4", "G4": "已公示", "C1": "符合"}


def fill(store: Store, businesses: int = 120) -> None:
    """A generated registry (东宝区 and 掇刀区 only) and the inspector and supervisor accounts."""
    registry = [b for b in generate_businesses(businesses) if b.area in ("东宝区", "掇刀区")]
    store.businesses.upsert_many(((b, initials(b.name)) for b in registry), "2026-01-01T00:00:00Z")
    for user in [*DONGBAO, *DUODAO, SUPERVISOR]:
        store.accounts.add(user, "not-a-real-hash", "2026-01-01T00:00:00Z")


def make_home(root: Path, businesses: int = 120, clock: FixedClock | None = None) -> Services:
    """A second data home (the conftest ``services`` is the first); closing the services closes its store."""
    home = DataHome(root)
    store = Store(home)
    try:
        fill(store, businesses)
    finally:
        store.close()
    return Services(home, clock or FixedClock(T0), make_library(), hasher=CHEAP_HASHER)


def crew(*users: User) -> list[Inspector]:
    return [Inspector(u.display_name, u.badge_no, u.id) for u in users]


def finish(services: Services, actor: User, record_id: str, values: dict[str, str] | None = None) -> None:
    """Answer (all compliant but for ``values``), sign by the record's inspectors and the party, finalize."""
    svc = services.inspections
    for code, value in (ALL_OK | (values or {})).items():
        svc.answer(actor, record_id, code, value, "现场发现问题" if value in ("不符合", "否") else None)
    record = svc.get(record_id)
    for n, person in enumerate(record.inspectors, 1):
        svc.sign(actor, record_id, SignerRole.INSPECTOR, person.name, make_signature_png(n))
    svc.sign(actor, record_id, "party", "负责人", make_signature_png(9))
    handling = "限期整改" if svc.evaluate(record_id).needs_handling_choice else None
    svc.finalize(actor, record_id, handling=handling)


def visit(
    services: Services, actor: User, uscc: str, values: dict[str, str] | None = None, crew_of=None
) -> str:
    """A finished routine visit of a small-catering business (the test checklist's kind)."""
    record = services.inspections.start(
        actor, uscc, "food.test_catering", crew_of or crew(*DONGBAO[:2]), InspectionType.ROUTINE, ""
    )
    finish(services, actor, record.id, values)
    return record.id


def catering_in(services: Services, area: str) -> list[str]:
    return [
        b.uscc for b in services.registry.list(limit=10_000) if b.area == area and b.kind.value == "小餐饮"
    ]


def day(text: str) -> date:
    return date.fromisoformat(text)
