"""Demo data: a realistic Jingmen registry plus inspections of all three families in every state.

``fill_demo`` writes the generated registry (by USCC, so running it twice never duplicates businesses) and,
once per data home, the demo inspections of :data:`~inspector_app.demo.scenarios.SCENARIOS`:
finalized records with every food verdict and every equipment outcome, drafts, orders with follow-ups
(some overdue, some due soon), photos, signatures and a refusal, a 回头看 visit, and a corrected record.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from inspector_app.core.accounts import SYSTEM_USER, Role, User
from inspector_app.core.checklist import Family, Result
from inspector_app.core.clock import CHINA_TZ, FixedClock, local_today
from inspector_app.core.records import FiveImplementations, Inspection, Inspector
from inspector_app.core.registry import Business, BusinessKind, Equipment, EquipmentType
from inspector_app.core.summaries import InspectionQuery
from inspector_app.demo import scenarios as plan
from inspector_app.demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts, is_demo_home
from inspector_app.demo.fake_registry import generate_businesses, generate_equipment

if TYPE_CHECKING:
    from inspector_app.services.app import Services
    from inspector_app.services.inspections import InspectionService

DEFAULT_BUSINESSES = 2000
SEED = 4208
#: The crews: pairs of demo inspectors (names and 执法证号 as in the demo accounts).
CREWS = [
    [Inspector(name, badge) for _, name, role, badge, _ in DEMO_ACCOUNTS if role is Role.INSPECTOR][i : i + 2]
    for i in (0, 2)
]
_FALLBACK_ACTOR = User("demo-inspector", "demo", "演示检查员", Role.INSPECTOR, CREWS[0][0].badge_no)


@dataclass
class DemoSummary:
    """What ``fill_demo`` did (printed by ``inspector demo``)."""

    businesses: dict[str, int] = field(default_factory=dict)  # imported/updated/unchanged
    equipment: int = 0
    inspections_created: int = 0
    inspections_skipped: bool = False
    by_status: dict[str, int] = field(default_factory=dict)
    by_family: dict[str, int] = field(default_factory=dict)
    by_verdict: dict[str, int] = field(default_factory=dict)
    open_followups: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "businesses": self.businesses,
            "equipment": self.equipment,
            "inspections_created": self.inspections_created,
            "inspections_skipped": self.inspections_skipped,
            "by_status": self.by_status,
            "by_family": self.by_family,
            "by_verdict": self.by_verdict,
            "open_followups": self.open_followups,
        }


def _demo_actors(services: Services) -> list[User]:
    """Existing demo inspector accounts (so their home screens show the demo drafts), else a stand-in."""
    wanted = {username for username, _, role, _, _ in DEMO_ACCOUNTS if role is Role.INSPECTOR}
    found = [u for u in services.accounts.inspectors() if u.username in wanted]
    return sorted(found, key=lambda u: u.username) or [_FALLBACK_ACTOR]


RETURN_COMMENT = "不符合项的问题描述过于简略，请补充现场情况并重新核对整改期限后再提交。"


def _demo_supervisor(services: Services) -> User:
    """The demo supervisor account if it exists, else a stand-in with the supervisor role."""
    users = services.accounts.list_users(SYSTEM_USER)
    found = [u for u in users if u.role is Role.SUPERVISOR and u.username == "chenjing"]
    return found[0] if found else User("demo-supervisor", "chenjing", "陈静", Role.SUPERVISOR)


def _write_registry(services: Services, count: int, summary: DemoSummary) -> list[Business]:
    businesses = list(generate_businesses(count, seed=SEED))
    outcomes = services.registry.upsert_many(businesses)
    summary.businesses = dict(Counter(outcomes))
    rng = random.Random(SEED)
    equipment = [item for business in businesses for item in generate_equipment(business, rng)]
    summary.equipment = services.registry.upsert_equipment(equipment) if equipment else 0
    return businesses


class _Picker:
    """Chooses the business (and device) each scenario visits, without visiting anyone twice."""

    def __init__(self, services: Services, businesses: list[Business]) -> None:
        self.services = services
        self.businesses = businesses
        self.used: set[str] = set()
        self.visited: dict[int, str] = {}  # scenario index → USCC visited

    def business(self, kind: BusinessKind, equipment: EquipmentType | None) -> tuple[Business, str]:
        for business in self.businesses:
            if business.kind is not kind or business.uscc in self.used:
                continue
            code = self._device(business, equipment)
            if equipment is None or code:
                self.used.add(business.uscc)
                return business, code
        unit = next(b for b in self.businesses if b.kind is kind)
        return unit, self._add_device(unit, equipment) if equipment else ""

    def _device(self, business: Business, equipment: EquipmentType | None) -> str:
        if equipment is None:
            return ""
        items = self.services.registry.equipment_of(business.uscc)
        return next((e.code for e in items if e.type is equipment), "")

    def _add_device(self, unit: Business, equipment: EquipmentType) -> str:
        code = f"{'3110' if equipment is EquipmentType.ELEVATOR else '2110'}DEMO0{2020}{len(self.used):05d}"
        self.services.registry.upsert_equipment([Equipment(code, unit.uscc, equipment, location="演示设备")])
        return code


def _visit_clock(today: date, now: datetime, days_ago: int, index: int) -> FixedClock:
    """Visits start at 09:00 local time (staggered), ending well before ``now``."""
    at = datetime.combine(today - timedelta(days=days_ago), time(9, 0), CHINA_TZ) + timedelta(
        minutes=17 * index
    )
    return FixedClock(min(at, now - timedelta(minutes=80 + 3 * (len(plan.SCENARIOS) - index))))


def _fill_answers(
    svc: InspectionService, actor: User, record: Inspection, scenario: plan.Scenario, n: int
) -> None:
    checklist = svc.checklist_of(record)
    visit = local_today(svc.clock)
    values = plan.plan_answers(checklist, record.attributes, scenario.outcome, visit, n)
    for position, (code, value) in enumerate(values.items()):
        item = checklist.item(code)
        failed = item.judge(value) is Result.NONCOMPLIANT
        note = plan.NOTES[(n + position) % len(plan.NOTES)] if failed else None
        svc.answer(actor, record.id, code, value, note)
        if failed and (item.photo_when_fail or position % 2 == 0):
            svc.attach_photo(actor, record.id, code, plan.demo_photo(n * 10 + position))
        if failed and scenario.order_days is not None:
            deadline = visit + timedelta(days=scenario.order_days)
            hazard = None
            if checklist.family is Family.EQUIPMENT:
                hazard = FiveImplementations(
                    record.business.responsible or "单位负责人", "立即停用并委托维保单位整改", deadline,
                    "单位自筹", "已制定专项应急预案",
                )  # fmt: skip
            svc.add_order(actor, record.id, code, plan.REQUIREMENT.format(code=code), deadline, hazard)


def _sign(svc: InspectionService, actor: User, record: Inspection, scenario: plan.Scenario, n: int) -> None:
    for offset, inspector in enumerate(record.inspectors):
        svc.sign(actor, record.id, "inspector", inspector.name, plan.demo_signature(n * 3 + offset))
    if scenario.refuse:
        svc.refuse_signature(actor, record.id, "当事人对检查结果有异议，拒绝签字", "社区网格员周敏")
    else:
        party = record.business.responsible or "当事人"
        svc.sign(actor, record.id, "party", party, plan.demo_signature(n * 3 + 2))


def _run_scenario(services: Services, picker: _Picker, actors: list[User], n: int, today: date) -> str:
    scenario = plan.SCENARIOS[n]
    clock = _visit_clock(today, services.clock.now(), scenario.days_ago, n)
    svc = services.with_clock(clock).inspections
    actor = actors[n % len(actors)]
    if scenario.revisit_of is not None:
        business = next(b for b in picker.businesses if b.uscc == picker.visited[scenario.revisit_of])
        device = ""
    else:
        business, device = picker.business(scenario.kind, scenario.equipment)
    picker.visited[n] = business.uscc
    crew = CREWS[n % len(CREWS)]
    record = svc.start(actor, business.uscc, scenario.form_id, crew, scenario.inspection_type, "", device)
    _fill_answers(svc, actor, record, scenario, n)
    if scenario.outcome == plan.DRAFT:
        return record.id
    clock.advance(minutes=35 + 7 * (n % 5))  # a visit takes a while: signing comes after the walk-through
    _sign(svc, actor, record, scenario, n)
    svc.finalize(actor, record.id, scenario.handling)
    if scenario.correct:
        services.inspections.mark_synced(record.id)
        services.review.return_(_demo_supervisor(services), record.id, RETURN_COMMENT)
        svc.new_version(actor, record.id)
    return record.id


def fill_demo(
    services: Services, businesses: int = DEFAULT_BUSINESSES, today: date | None = None
) -> DemoSummary:
    """Write the demo registry and (once per data home) the demo inspections; returns what happened.

    All or nothing: a failure half-way (a full disk) leaves the data home as it was.
    """
    with services.all_or_nothing("演示数据写入"):
        return _fill(services, businesses, today)


def _fill(services: Services, businesses: int, today: date | None) -> DemoSummary:
    summary = DemoSummary()
    generated = _write_registry(services, businesses, summary)
    actors = _demo_actors(services)
    existing = services.inspections.list(InspectionQuery(limit=1))
    if existing:
        summary.inspections_skipped = True
    else:
        picker = _Picker(services, generated)
        day = today or local_today(services.clock)
        oldest_first = sorted(range(len(plan.SCENARIOS)), key=lambda n: -plan.SCENARIOS[n].days_ago)
        for n in oldest_first:  # so document numbers follow the visit dates
            _run_scenario(services, picker, actors, n, day)
        summary.inspections_created = len(services.inspections.list())
    _count(services, summary)
    return summary


def _count(services: Services, summary: DemoSummary) -> None:
    records = services.inspections.list()
    summary.by_status = dict(Counter(r.status.label for r in records))
    summary.by_family = dict(Counter(r.family for r in records))
    summary.by_verdict = dict(Counter(r.verdict for r in records if r.verdict))
    summary.open_followups = len(services.inspections.open_followups())


def prepare_demo_home(services: Services, businesses: int = DEFAULT_BUSINESSES) -> DemoSummary | None:
    """On an empty data home: the demo accounts, then the demo data (``inspector-app --demo``).

    Returns None and changes nothing on a home that holds anything (accounts, businesses or records): demo
    accounts with a published password must never be added to a real data home. A home holding only the
    demo accounts (an earlier fill failed half-way and was rolled back) is filled again.
    """
    if not (services.is_empty() or _demo_unfinished(services)):
        return None
    # Accounts first, so the demo drafts belong to the demo inspectors. They are committed on their own
    # (their password hashes are made on parallel threads, which cannot join one transaction).
    ensure_demo_accounts(services)
    return fill_demo(services, businesses)


def _demo_unfinished(services: Services) -> bool:
    """Only the demo accounts: an earlier demo fill failed (e.g. a full disk) and wrote nothing else."""
    return (
        is_demo_home(services)
        and not services.registry.count()
        and not services.inspections.list(InspectionQuery(limit=1))
    )
