"""Schema of migration 0003 for the accounts tables (frozen once shipped: change it with a new migration).

``users`` holds local accounts (the password hash string carries its own algorithm, parameters and salt).
``login_failures`` keeps, per user name, the count of consecutive failures and the lock-out state; it is
keyed by the typed name so that unknown names are throttled exactly like known ones.
"""

from __future__ import annotations

import sqlite_utils


def create(db: sqlite_utils.Database) -> None:
    """Create the accounts tables, indexes and triggers."""
    db.execute(
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('inspector', 'supervisor', 'admin')),
            badge_no TEXT NOT NULL DEFAULT '',
            area TEXT NOT NULL DEFAULT '',
            password_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            created_at TEXT NOT NULL,
            password_changed_at TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX users_role ON users (role, active)")
    db.execute(
        """
        CREATE TABLE login_failures (
            username TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL DEFAULT 0,
            lockouts INTEGER NOT NULL DEFAULT 0,
            last_failed_at TEXT NOT NULL DEFAULT '',
            locked_until TEXT NOT NULL DEFAULT ''
        )
        """
    )
