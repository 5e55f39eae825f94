"""A data home shared by the GUI and integration tests: accounts, four businesses (one with an elevator) and
the shipped checklists, with a fixed clock and cheap password hashing (:func:`make_shell`).

Qt-free: the ``shell`` and ``window_for`` fixtures in ``tests/gui/conftest.py`` build on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from inspector_app.core.accounts import Role, User
from inspector_app.core.clock import FixedClock
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.records import Inspector
from inspector_app.core.registry import Business, BusinessKind, Equipment, EquipmentType
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from tests.builders import CHEAP_HASHER, T0

PASSWORD = "password-1"

#: (name, kind, area) of the registry the GUI tests search.
BUSINESSES = (
    ("荆门市东宝区红山小吃店", BusinessKind.SMALL_CATERING, "东宝区"),
    ("荆门市红星便利店", BusinessKind.FOOD_RETAIL, "掇刀区"),
    ("钟祥市山水美容院", BusinessKind.BEAUTY_SALON, "钟祥市"),
    ("京山市明珠电梯物业有限公司", BusinessKind.EQUIPMENT_UNIT, "京山市"),
)


def uscc_of(n: int) -> str:
    return make_uscc(f"9242080{n}MA4F0000{n}")


@dataclass
class Shell:
    """A data home for GUI tests: ``services``, the ``clock`` and ``users`` by user name."""

    services: Services
    clock: FixedClock
    users: dict[str, User] = field(default_factory=dict)

    def start_draft(
        self, business: int = 0, by: str = "zhangwei", form_id: str = "food.small_catering"
    ) -> str:
        """A draft started through the service by ``by`` with a second inspector; returns its id."""
        partner = "zhangwei" if by == "lina" else "lina"
        crew = [Inspector(u.display_name, u.badge_no, u.id) for u in (self.users[by], self.users[partner])]
        record = self.services.inspections.start(
            self.users[by], uscc_of(business), form_id, crew, "日常检查", "经营场所"
        )
        return record.id


def make_shell(root: Path) -> Shell:
    clock = FixedClock(T0)
    services = Services(DataHome(root).ensure(), clock=clock, hasher=CHEAP_HASHER)
    shell = Shell(services, clock)
    accounts = services.accounts
    admin = accounts.create_first_admin("admin", "系统管理员", PASSWORD)
    shell.users["admin"] = admin
    for username, name, role, badge in (
        ("zhangwei", "张伟", Role.INSPECTOR, "42080220230012"),
        ("lina", "李娜", Role.INSPECTOR, "42080220230027"),
        ("chenjing", "陈静", Role.SUPERVISOR, "42080020190008"),
    ):
        shell.users[username] = accounts.create_user(admin, username, name, role, PASSWORD, badge_no=badge)
    services.registry.upsert_many(
        [
            Business(
                uscc_of(n),
                name,
                kind,
                address=f"湖北省荆门市{area}{n + 1}号",
                area=area,
                responsible="王红山",
                phone="13800000000",
                licence_no="JY14208020000001"
                if kind in (BusinessKind.SMALL_CATERING, BusinessKind.FOOD_RETAIL)
                else "",
            )
            for n, (name, kind, area) in enumerate(BUSINESSES)
        ]
    )
    services.registry.upsert_equipment(
        [Equipment("31104208002019000001", uscc_of(3), EquipmentType.ELEVATOR, location="1号楼")]
    )
    return shell
