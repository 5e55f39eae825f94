"""Opening the laptop database: pragmas, integrity and schema-version checks, forward-only migrations.

Two rules keep other processes working while this one opens the file (issue 12):

- **Opening writes nothing** to an existing database: the pragmas that would write (``application_id``,
  ``journal_mode``) are set only when they differ, i.e. on a new file, and migrations run only when some are
  pending. So the GUI's start and read-only commands open while a long import holds the write lock.
- **No second file handle.** The header is checked by SQLite itself (a non-database raises ``NOTADB``), never
  with Python's ``open()``: closing such a handle drops every POSIX lock this process holds on the file,
  including those of connections already open, and another process could then delete ``-wal``/``-shm``
  under them.

Every statement runs on an :class:`InspectorConnection`, which turns SQLite's low-level failures into
:class:`StorageError` subclasses with Chinese messages: :class:`DatabaseBusy` (another connection holds the
write lock — named when it announced itself, see :mod:`inspector_app.storage.activity`), :class:`DiskFull`,
read-only, I/O and corruption errors. Constraint and trigger failures (``IntegrityError``) pass through
unchanged for the repositories to translate.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self

import sqlite_utils

from inspector_app.core.errors import InspectorError
from inspector_app.storage.activity import current_writers
from inspector_app.storage.migrations import MIGRATIONS
from inspector_app.storage.transactions import transaction

APPLICATION_ID = 0x494E5350  # "INSP": marks the file as ours
#: How long a write waits for another connection's write lock before :class:`DatabaseBusy`.
BUSY_TIMEOUT_MS = 5000
#: Below this much free space an I/O error on write is reported as a full disk.
_NEARLY_FULL_BYTES = 1 << 20

# SQLite primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


class StorageError(InspectorError):
    """The database cannot be used (corrupt, from a newer version, locked...). Message in Chinese."""


class DatabaseBusy(StorageError):
    """Another connection holds the write lock; nothing was written. Retry later.

    ``writers`` names the processes that announced a long write (may be empty: unknown).
    """

    def __init__(self, message: str, writers: list[str] | None = None) -> None:
        super().__init__(message)
        self.writers = writers or []


class DiskFull(StorageError):
    """The disk holding the data home is full; the write was rolled back and nothing saved is harmed."""


def _busy(path: Path) -> DatabaseBusy:
    writers = current_writers(path)
    who = (
        f"另一程序正在写入（{'；'.join(writers)}）" if writers else "另一程序（或本程序的另一项操作）正在写入"
    )
    return DatabaseBusy(
        f"数据库正忙：{who}，本次操作未执行，已保存的数据不受影响。请等其结束后重试。", writers
    )


def disk_full(folder: Path) -> DiskFull:
    """The error for a write that found no space left on the disk holding ``folder``."""
    return DiskFull(
        f"磁盘空间已满：{folder} 所在的磁盘没有剩余空间，本次修改未保存（之前保存的数据不受影响）。"
        "请删除不需要的文件、腾出空间后重试。"
    )


#: ``errno`` values that mean "no space" (ENOSPC; EDQUOT: over the user's disk quota).
NO_SPACE_ERRNOS = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def translate(exc: sqlite3.Error, path: Path) -> StorageError | None:
    """The :class:`StorageError` to raise for a low-level SQLite failure, or None to let ``exc`` through."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary in (_BUSY, _LOCKED):
        return _busy(path)
    if primary == _FULL or (primary == _IOERR and _nearly_full(path)):
        return disk_full(path.parent)
    if primary == _READONLY:
        return StorageError(f"数据库文件只读，无法保存：{path}。请检查文件权限或磁盘是否写保护。")
    if primary == _IOERR:
        return StorageError(
            f"读写数据库文件时出错（{exc}）：{path}。请检查磁盘后重试；之前保存的数据不受影响。"
        )
    if primary == _NOTADB:
        return StorageError(
            f"{path} 不是数据库文件或文件头已损坏。请检查 --home 目录或从备份恢复；程序未改动该文件。"
        )
    if primary == _CORRUPT:
        return StorageError(f"数据库文件已损坏（{exc}）：{path}。请从备份恢复；程序未改动该文件。")
    if primary == _CANTOPEN:
        return StorageError(f"无法打开数据库文件 {path}（{exc}）。请检查数据目录是否存在且可写。")
    return None


class _TranslatingCursor(sqlite3.Cursor):
    """A cursor whose statements raise :class:`StorageError` for busy/full/corrupt (see :func:`translate`)."""

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise (translate(exc, _path_of(self.connection)) or exc) from exc

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> Self:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            raise (translate(exc, _path_of(self.connection)) or exc) from exc


class InspectorConnection(sqlite3.Connection):
    """The store's connection: SQLite failures become Chinese :class:`StorageError` subclasses."""

    db_path: Path

    def _raise(self, exc: sqlite3.Error) -> None:
        raise (translate(exc, self.db_path) or exc) from exc

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            self._raise(exc)
            raise  # unreachable

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            self._raise(exc)
            raise

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        try:
            return super().executescript(sql_script)
        except sqlite3.Error as exc:
            self._raise(exc)
            raise

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as exc:
            self._raise(exc)

    def cursor(self, factory: Any = None) -> Any:  # sqlite_utils opens cursors of its own
        return super().cursor(factory or _TranslatingCursor)


def _path_of(conn: sqlite3.Connection) -> Path:
    return getattr(conn, "db_path", Path("inspector.sqlite3"))


def connect(path: Path, busy_timeout_ms: int | None = None) -> InspectorConnection:
    """A raw connection to ``path`` (no pragmas beyond the busy timeout; :func:`open_database` sets them).

    The one place a connection is made: an encrypted database (SQLCipher) would connect here and issue its
    ``PRAGMA key`` before any other statement.
    """
    try:
        conn = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None, factory=InspectorConnection
        )
    except sqlite3.Error as exc:
        raise (translate(exc, path) or StorageError(f"无法打开数据库 {path}：{exc}")) from exc
    conn.db_path = path
    timeout = BUSY_TIMEOUT_MS if busy_timeout_ms is None else busy_timeout_ms
    conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return conn


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


def _configure(conn: InspectorConnection, path: Path) -> None:
    """Check the file is ours, then set WAL, full sync and foreign keys — writing only on a new file."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]  # reads the header: NOTADB if not SQLite
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the schema pages
    if app_id not in (0, APPLICATION_ID):
        raise StorageError(f"{path} 不是本程序的数据库文件。请检查 --home 目录；程序未改动该文件。")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    if app_id == 0:  # a new file: every database we created carries the id
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def open_database(
    path: Path, *, migrate: bool = True, busy_timeout_ms: int | None = None
) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` with WAL, foreign keys and synchronous=FULL.

    A corrupt file or one from a newer schema raises :class:`StorageError`; nothing is overwritten. Opening
    an existing, up-to-date database writes nothing, so it works while another process writes.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path, busy_timeout_ms)
    try:
        _configure(conn, path)
        db = sqlite_utils.Database(conn)
        if migrate:
            _migrate(db)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
            raise StorageError(
                f"无法打开数据库 {path}：{exc}。文件可能已损坏或不是数据库；程序未改动该文件。"
            ) from exc
        raise
    return db


def check_integrity(db: sqlite_utils.Database) -> None:
    """Full ``PRAGMA quick_check``; raises :class:`StorageError` naming the first problem."""
    result = integrity_problems(db)
    if result:
        raise StorageError(f"数据库文件已损坏（{result[0]}）。请从备份恢复；程序未改动该文件。")


def integrity_problems(db: sqlite_utils.Database, limit: int = 20) -> list[str]:
    """``PRAGMA quick_check`` and ``foreign_key_check`` findings (empty when the file is sound)."""
    try:
        rows = [str(r[0]) for r in db.conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()]
    except StorageError as exc:
        if isinstance(exc, DatabaseBusy):
            raise
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    problems = [] if rows == ["ok"] else rows
    for table, rowid, parent, _ in db.conn.execute("PRAGMA foreign_key_check").fetchmany(limit):
        problems.append(f"表 {table} 第 {rowid} 行引用的 {parent} 不存在")
    return problems
