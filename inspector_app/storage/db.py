"""Opening the laptop database: pragmas, integrity and schema-version checks, forward-only migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from inspector_app.core.errors import InspectorError
from inspector_app.storage.migrations import MIGRATIONS
from inspector_app.storage.transactions import transaction

APPLICATION_ID = 0x494E5350  # "INSP": marks the file as ours
SQLITE_HEADER = b"SQLite format 3\x00"


class StorageError(InspectorError):
    """The database cannot be used (corrupt, from a newer version, locked...). Message in Chinese."""


def _migrate(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    known = {name for name, _ in MIGRATIONS}
    newer = sorted(applied - known)
    if newer:
        raise StorageError(
            f"数据库由更新版本的程序创建（未知迁移 {', '.join(newer)}），本版本无法打开。"
            "请升级程序后再打开；数据未做任何修改。"
        )
    for name, step in MIGRATIONS:
        if name in applied:
            continue
        with transaction(db.conn):  # one transaction per migration: all of it or nothing
            step(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                [name],
            )


def open_database(path: Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` with WAL, foreign keys and synchronous=FULL.

    A corrupt file or one from a newer schema raises :class:`StorageError`; nothing is overwritten.
    """
    existed = path.exists() and path.stat().st_size > 0
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")
        if existed:
            # Cheap checks at every start (a full quick_check costs ~0.5 s on a 300,000-business file);
            # `inspector init` runs the full check on demand.
            with path.open("rb") as head:
                if head.read(16) != SQLITE_HEADER:
                    raise StorageError(
                        f"{path} 不是数据库文件或文件头已损坏。请检查 --home 目录或从备份恢复；程序未改动该文件。"
                    )
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the schema pages
            if app_id not in (0, APPLICATION_ID):
                raise StorageError(f"{path} 不是本程序的数据库文件。请检查 --home 目录；程序未改动该文件。")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except sqlite3.DatabaseError as exc:
        raise StorageError(
            f"无法打开数据库 {path}：{exc}。文件可能已损坏或不是数据库；程序未改动该文件。"
        ) from exc
    db = sqlite_utils.Database(conn)
    if migrate:
        _migrate(db)
    return db


def check_integrity(db: sqlite_utils.Database) -> None:
    """Full ``PRAGMA quick_check``; raises :class:`StorageError` naming the first problem."""
    try:
        result = db.conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        raise StorageError(f"数据库文件已损坏（{result}）。请从备份恢复；程序未改动该文件。")
