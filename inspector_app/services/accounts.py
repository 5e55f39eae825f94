"""Local accounts: first administrator, user management, login with a growing lock-out, password changes.

Roles are enforced here (``require_role``), not only by hiding buttons in the GUI. Failed logins are counted per
typed user name (unknown names too, so the lock-out does not reveal which names exist): after
``MAX_FAILURES`` consecutive failures the name is locked for 5 minutes, doubling on each further lock-out
(capped at a day); a successful login clears the counters.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from functools import cached_property

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.clock import Clock, local_display, parse_utc, utc_iso
from inspector_app.core.errors import InspectorError, NotFound, PermissionDenied, ValidationError
from inspector_app.services.support.passwords import PasswordHasher, check_password_policy
from inspector_app.storage.accounts import FailureState
from inspector_app.storage.store import Store

MAX_FAILURES = 5
FIRST_LOCK = timedelta(minutes=5)
MAX_LOCK = timedelta(hours=24)
#: After this long without a failure, earlier lock-outs are forgotten (the next lock is short again).
FORGET_AFTER = timedelta(hours=24)

_USERNAME_RE = re.compile(r"^[\w.\-]{2,32}$")
_BADGE_RE = re.compile(r"^[0-9A-Za-z]{6,20}$")


class LoginFailed(InspectorError):
    """Wrong user name or password, disabled account, or locked name (message says what to do)."""


class AccountLocked(LoginFailed):
    """Too many failures: ``retry_after`` is the wait before the next attempt is accepted."""

    def __init__(self, message: str, retry_after: timedelta) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def wait_text(wait: timedelta) -> str:
    """A Chinese duration such as ``4 分 30 秒`` or ``1 小时 20 分钟`` (rounded up to whole seconds)."""
    seconds = max(1, int(-(-wait.total_seconds() // 1)))
    if seconds >= 3600:
        return f"{seconds // 3600} 小时 {(seconds % 3600 + 59) // 60} 分钟"
    if seconds >= 60:
        return f"{seconds // 60} 分 {seconds % 60} 秒" if seconds % 60 else f"{seconds // 60} 分钟"
    return f"{seconds} 秒"


def lock_duration(lockouts: int) -> timedelta:
    """Length of the ``lockouts``-th lock-out (1-based): 5 min, 10, 20, … capped at 24 h."""
    return min(FIRST_LOCK * (1 << min(max(0, lockouts - 1), 16)), MAX_LOCK)


class AccountService:
    """Use cases on local accounts; ``hasher`` is injectable so tests can use cheap scrypt parameters."""

    def __init__(self, store: Store, clock: Clock, hasher: PasswordHasher | None = None) -> None:
        self._repo = store.accounts
        self.clock = clock
        self.hasher = hasher or PasswordHasher()

    @cached_property
    def _dummy_hash(self) -> str:
        # Unknown names cost one scrypt too, so timing does not reveal which names exist.
        return self.hasher.hash("not-a-password-" + uuid.uuid4().hex)

    # --- queries -----------------------------------------------------------------------------------

    def has_users(self) -> bool:
        return self._repo.count() > 0

    def exists(self, username: str) -> bool:
        """Whether an account with this user name (any case) exists."""
        return self._repo.username_taken(username.strip())

    def get(self, user_id: str) -> User:
        user = self._repo.get(user_id)
        if user is None:
            raise NotFound(f"账号不存在（编号 {user_id}）")
        return user

    def list_users(self, actor: User) -> list[User]:
        require_role(actor, Role.ADMIN)
        return self._repo.list()

    def inspectors(self, exclude_id: str = "") -> list[User]:
        """Active inspectors (for picking the co-inspector), without ``exclude_id``."""
        return [u for u in self._repo.list(Role.INSPECTOR, active_only=True) if u.id != exclude_id]

    # --- creating accounts -------------------------------------------------------------------------

    def create_first_admin(self, username: str, display_name: str, password: str) -> User:
        """The first account of a fresh data home; refused once any account exists."""
        if self.has_users():
            raise PermissionDenied("已存在账号，不能再创建初始管理员；请由管理员登录后添加账号")
        return self._create(username, display_name, Role.ADMIN, password, "", "")

    def create_user(
        self,
        actor: User,
        username: str,
        display_name: str,
        role: Role,
        password: str,
        badge_no: str = "",
        area: str = "",
    ) -> User:
        require_role(actor, Role.ADMIN)
        return self._create(username, display_name, Role(role), password, badge_no, area)

    def _create(
        self, username: str, display_name: str, role: Role, password: str, badge: str, area: str
    ) -> User:
        username, display_name, badge = username.strip(), display_name.strip(), badge.strip().upper()
        self._check_profile(username, display_name, role, badge)
        check_password_policy(password, username)
        if self._repo.username_taken(username):
            raise ValidationError(f"用户名“{username}”已被使用，请换一个")
        user = User(str(uuid.uuid4()), username, display_name, role, badge, area.strip())
        self._repo.add(user, self.hasher.hash(password), utc_iso(self.clock.now()))
        return user

    @staticmethod
    def _check_profile(username: str, display_name: str, role: Role, badge: str) -> None:
        if not _USERNAME_RE.match(username):
            raise ValidationError("用户名应为 2–32 位的字母、数字、汉字或 _ . -（不含空格）")
        if not display_name:
            raise ValidationError("请填写姓名")
        if role is Role.INSPECTOR and not badge:
            raise ValidationError("检查员必须填写执法证号（打印在检查记录上）")
        if badge and not _BADGE_RE.match(badge):
            raise ValidationError("执法证号应为 6–20 位数字或字母，例如 42080220230012")

    # --- login ---------------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> User:
        """The user for these credentials, or :class:`LoginFailed` / :class:`AccountLocked` (Chinese)."""
        name = username.strip()
        if not name or not password:
            raise LoginFailed("请输入用户名和密码")
        now = self.clock.now()
        state = self._repo.failure_state(name)
        if state.locked_until and parse_utc(state.locked_until) > now:
            wait = parse_utc(state.locked_until) - now
            raise AccountLocked(
                f"登录失败次数过多，账号“{name}”已锁定，请在 {wait_text(wait)}后重试"
                f"（{local_display(parse_utc(state.locked_until))} 解锁）；忘记密码请联系管理员重置",
                wait,
            )
        found = self._repo.credentials(name)
        stored = found[1] if found else self._dummy_hash
        if found is None or not self.hasher.verify(password, stored):
            self._fail(name, state, now)
        assert found is not None
        user = found[0]
        if not user.active:
            raise LoginFailed("该账号已停用，请联系管理员")
        self._repo.clear_failures(name)
        if self.hasher.needs_rehash(stored):
            self._repo.set_password_hash(user.id, self.hasher.hash(password), utc_iso(now))
        return user

    def _fail(self, name: str, state: FailureState, now: datetime) -> None:
        lockouts = state.lockouts
        if state.last_failed_at and now - parse_utc(state.last_failed_at) > FORGET_AFTER:
            lockouts = 0
        failures = state.failures + 1
        if failures < MAX_FAILURES:
            self._repo.save_failure_state(name, FailureState(failures, lockouts, utc_iso(now), ""))
            left = MAX_FAILURES - failures
            next_lock = wait_text(lock_duration(lockouts + 1))
            raise LoginFailed(f"用户名或密码错误；再错 {left} 次将锁定 {next_lock}")
        lockouts += 1
        lock = lock_duration(lockouts)
        self._repo.save_failure_state(name, FailureState(0, lockouts, utc_iso(now), utc_iso(now + lock)))
        raise AccountLocked(
            f"连续 {MAX_FAILURES} 次用户名或密码错误，账号“{name}”已锁定 {wait_text(lock)}，请稍后重试；"
            "忘记密码请联系管理员重置",
            lock,
        )

    # --- changing accounts ---------------------------------------------------------------------------

    def change_password(self, user: User, old_password: str, new_password: str) -> None:
        """A user changes their own password (the old one is required)."""
        found = self._repo.credentials(user.username)
        if found is None or not self.hasher.verify(old_password, found[1]):
            raise LoginFailed("原密码不正确")
        check_password_policy(new_password, user.username)
        self._repo.set_password_hash(user.id, self.hasher.hash(new_password), utc_iso(self.clock.now()))

    def reset_password(self, actor: User, user_id: str, new_password: str) -> None:
        """An administrator sets a new password for someone (and lifts a lock-out)."""
        require_role(actor, Role.ADMIN)
        user = self.get(user_id)
        check_password_policy(new_password, user.username)
        self._repo.set_password_hash(user.id, self.hasher.hash(new_password), utc_iso(self.clock.now()))
        self._repo.clear_failures(user.username)

    def set_active(self, actor: User, user_id: str, active: bool) -> User:
        require_role(actor, Role.ADMIN)
        user = self.get(user_id)
        if (
            not active
            and user.role is Role.ADMIN
            and user.active
            and self._repo.count_active(Role.ADMIN) <= 1
        ):
            raise ValidationError("不能停用最后一个管理员账号")
        if not active and user.id == actor.id:
            raise ValidationError("不能停用当前登录的账号")
        self._repo.set_active(user.id, active)
        return self.get(user.id)

    def update_profile(self, actor: User, user_id: str, display_name: str, badge_no: str, area: str) -> User:
        """Administrators edit anyone; users may edit their own name, 执法证号 and area."""
        if actor.id != user_id:
            require_role(actor, Role.ADMIN)
        user = self.get(user_id)
        badge = badge_no.strip().upper()
        self._check_profile(user.username, display_name.strip(), user.role, badge)
        self._repo.update_profile(user.id, display_name.strip(), badge, area.strip())
        return self.get(user.id)
