"""Repository of local accounts and login-failure counters (tables from ``schema_accounts``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from inspector_app.core.accounts import Role, User
from inspector_app.storage.transactions import transaction

_USER_COLUMNS = "id, username, display_name, role, badge_no, area, active"


@dataclass(frozen=True)
class FailureState:
    """Consecutive failed logins for one user name, and the lock-out they led to (UTC ISO text or '')."""

    failures: int = 0
    lockouts: int = 0
    last_failed_at: str = ""
    locked_until: str = ""


def _user(row: Any) -> User:
    return User(
        id=row[0],
        username=row[1],
        display_name=row[2],
        role=Role(row[3]),
        badge_no=row[4],
        area=row[5],
        active=bool(row[6]),
    )


class AccountRepository:
    """Reads and writes ``users`` and ``login_failures``. Returns :class:`~inspector_app.core.accounts.User`."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM users").fetchone()[0])

    def add(self, user: User, password_hash: str, created_at: str) -> None:
        with transaction(self.db.conn):
            self.db.execute(
                "INSERT INTO users (id, username, display_name, role, badge_no, area, password_hash, active,"
                " created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    user.id,
                    user.username,
                    user.display_name,
                    user.role.value,
                    user.badge_no,
                    user.area,
                    password_hash,
                    int(user.active),
                    created_at,
                    created_at,
                ],
            )

    def username_taken(self, username: str) -> bool:
        return self.db.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone() is not None

    def get(self, user_id: str) -> User | None:
        row = self.db.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", [user_id]).fetchone()
        return _user(row) if row else None

    def credentials(self, username: str) -> tuple[User, str] | None:
        """The user named ``username`` (case-insensitive) and its stored password hash."""
        row = self.db.execute(
            f"SELECT {_USER_COLUMNS}, password_hash FROM users WHERE username = ?", [username]
        ).fetchone()
        return (_user(row), row[7]) if row else None

    def list(self, role: Role | None = None, active_only: bool = False) -> list[User]:
        where, params = [], []
        if role is not None:
            where.append("role = ?")
            params.append(role.value)
        if active_only:
            where.append("active = 1")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self.db.execute(
            f"SELECT {_USER_COLUMNS} FROM users{clause} ORDER BY role, display_name, username", params
        ).fetchall()
        return [_user(row) for row in rows]

    def count_active(self, role: Role) -> int:
        return int(
            self.db.execute(
                "SELECT count(*) FROM users WHERE role = ? AND active = 1", [role.value]
            ).fetchone()[0]
        )

    def set_password_hash(self, user_id: str, password_hash: str, changed_at: str) -> None:
        with transaction(self.db.conn):
            self.db.execute(
                "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                [password_hash, changed_at, user_id],
            )

    def set_active(self, user_id: str, active: bool) -> None:
        with transaction(self.db.conn):
            self.db.execute("UPDATE users SET active = ? WHERE id = ?", [int(active), user_id])

    def update_profile(self, user_id: str, display_name: str, badge_no: str, area: str) -> None:
        with transaction(self.db.conn):
            self.db.execute(
                "UPDATE users SET display_name = ?, badge_no = ?, area = ? WHERE id = ?",
                [display_name, badge_no, area, user_id],
            )

    def failure_state(self, username: str) -> FailureState:
        row = self.db.execute(
            "SELECT failures, lockouts, last_failed_at, locked_until FROM login_failures WHERE username = ?",
            [username],
        ).fetchone()
        return FailureState(*row) if row else FailureState()

    def save_failure_state(self, username: str, state: FailureState) -> None:
        with transaction(self.db.conn):
            self.db.execute(
                "INSERT INTO login_failures (username, failures, lockouts, last_failed_at, locked_until)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,"
                " lockouts = excluded.lockouts, last_failed_at = excluded.last_failed_at,"
                " locked_until = excluded.locked_until",
                [username, state.failures, state.lockouts, state.last_failed_at, state.locked_until],
            )

    def clear_failures(self, username: str) -> None:
        with transaction(self.db.conn):
            self.db.execute("DELETE FROM login_failures WHERE username = ?", [username])
