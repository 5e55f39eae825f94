"""Demo accounts for the demo data home (``inspector-app --demo``): four inspectors, a supervisor, an admin.

Every demo account uses :data:`DEMO_PASSWORD` (printed in the README). Demo data only: never use it for
real accounts.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from inspector_app.core.accounts import SYSTEM_USER, Role

if TYPE_CHECKING:
    from inspector_app.services.app import Services

DEMO_PASSWORD = "demo1234"
#: Shown on the login dialog of a demo data home.
DEMO_HINT = f"演示账号（密码均为 {DEMO_PASSWORD}）：检查员 zhangwei、lina；审核人 chenjing；管理员 admin"

#: (username, display name, role, 执法证号, area)
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str, str], ...] = (
    ("zhangwei", "张伟", Role.INSPECTOR, "42080220230012", "东宝区"),
    ("lina", "李娜", Role.INSPECTOR, "42080220230027", "东宝区"),
    ("wangqiang", "王强", Role.INSPECTOR, "42080420210035", "掇刀区"),
    ("liuyang", "刘洋", Role.INSPECTOR, "42088120220041", "钟祥市"),
    ("chenjing", "陈静", Role.SUPERVISOR, "42080020190008", ""),
    ("admin", "系统管理员", Role.ADMIN, "", ""),
)


def ensure_demo_accounts(services: Services) -> int:
    """Create the demo accounts that do not exist yet; returns how many were created.

    Each password hash costs about half a second of scrypt on purpose; they are made in parallel threads
    (scrypt releases the GIL).
    """
    from concurrent.futures import ThreadPoolExecutor

    accounts = services.accounts
    missing = [spec for spec in DEMO_ACCOUNTS if not accounts.exists(spec[0])]

    def create(spec: tuple[str, str, Role, str, str]) -> None:
        username, name, role, badge, area = spec
        accounts.create_user(SYSTEM_USER, username, name, role, DEMO_PASSWORD, badge_no=badge, area=area)

    with ThreadPoolExecutor(max_workers=max(1, min(len(missing), os.cpu_count() or 1))) as pool:
        list(pool.map(create, missing))
    return len(missing)


def is_demo_home(services: Services) -> bool:
    """Whether the data home carries the demo accounts (the login dialog then shows them)."""
    return all(services.accounts.exists(spec[0]) for spec in DEMO_ACCOUNTS)
