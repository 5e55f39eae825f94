"""Local user accounts and roles. Role checks live in the services (not only in hidden buttons)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inspector_app.core.errors import PermissionDenied


class Role(StrEnum):
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"inspector": "检查员", "supervisor": "审核人", "admin": "管理员"}[self.value]


@dataclass(frozen=True)
class User:
    """A local account. ``badge_no`` is the 执法证号 printed on records (inspectors)."""

    id: str
    username: str
    display_name: str
    role: Role
    badge_no: str = ""
    area: str = ""
    active: bool = True


#: The actor used by the command line (automation runs as an administrator of the laptop).
SYSTEM_USER = User(id="system", username="system", display_name="命令行管理员", role=Role.ADMIN)


def require_role(user: User | None, *roles: Role) -> User:
    """Return ``user`` if it holds one of ``roles``; else raise :class:`PermissionDenied` (Chinese)."""
    if user is None:
        raise PermissionDenied("请先登录")
    if user.role not in roles:
        wanted = "、".join(r.label for r in roles)
        raise PermissionDenied(f"当前账号（{user.role.label}）无权执行此操作，需要{wanted}权限")
    return user
