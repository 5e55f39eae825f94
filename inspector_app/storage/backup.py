"""The file side of backups: a consistent database snapshot, and swapping a verified copy into a data home.

- :func:`snapshot` copies the open database with ``VACUUM INTO`` — one read transaction, so the copy is
  consistent while others keep writing (a plain file copy of a WAL database loses data).
- :func:`describe_snapshot` reads what a copy holds (attachments, migrations, counts) without opening it
  for writing.
- :func:`exclusive_use` makes sure no other connection has the database open before it is replaced: a WAL
  database can leave WAL mode only when it is the sole connection, and ``BEGIN EXCLUSIVE`` then keeps
  everyone out until the swap is done.
- :func:`swap_in` moves the current database, attachments and home files into a ``replaced-<time>`` folder
  (kept, so nothing is lost) and the verified copy into place. A marker file written first lets
  :func:`finish_interrupted_restore` complete a swap cut short by a crash or power loss when the home is
  next opened, instead of opening a half-swapped home (or a missing database as a new, empty one).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from inspector_app.paths import DataHome
from inspector_app.storage.db import StorageError, connect
from inspector_app.storage.files import fsync_dir

RESTORE_MARKER = ".restore-in-progress.json"
_SIDECARS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class SnapshotInfo:
    """What a database copy holds."""

    attachments: list[tuple[str, int]]  # (sha256, size) of every attachment row
    migrations: list[str]
    records: int
    businesses: int


def snapshot(db: sqlite_utils.Database, target: Path) -> None:
    """A consistent, compact copy of the open database at ``target`` (which must not exist)."""
    db.conn.execute("VACUUM INTO ?", [str(target)])


def describe_snapshot(path: Path) -> SnapshotInfo:
    """Read a database copy: its attachments, applied migrations and record/business counts."""
    conn = connect(path)
    try:
        conn.execute("PRAGMA query_only = ON")
        attachments = [
            (str(sha), int(size))
            for sha, size in conn.execute("SELECT sha256, size FROM attachments ORDER BY sha256")
        ]
        migrations = [str(r[0]) for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
        records = int(conn.execute("SELECT count(*) FROM inspections").fetchone()[0])
        businesses = int(conn.execute("SELECT count(*) FROM businesses").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"备份中的数据库无法读取：{exc}") from exc
    finally:
        conn.close()
    return SnapshotInfo(attachments, migrations, records, businesses)


@contextmanager
def exclusive_use(db_path: Path) -> Iterator[None]:
    """Hold the database so no other connection can use it while the block runs.

    Raises :class:`StorageError` when another program (or another window of this one) has it open.
    """
    if not db_path.exists():
        yield
        return
    conn = connect(db_path, busy_timeout_ms=0)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            if mode != "delete":
                raise sqlite3.OperationalError("database is locked")
            conn.execute("BEGIN EXCLUSIVE")
        except (sqlite3.OperationalError, StorageError) as exc:
            raise StorageError(
                f"数据库 {db_path} 正被其他程序（或本程序的其他窗口）使用，不能恢复。"
                "请先关闭所有使用该数据目录的程序窗口和命令，再重试；数据未做任何改动。"
            ) from exc
        yield
    finally:
        conn.close()


def _items(home: DataHome, home_files: Sequence[str]) -> list[str]:
    """Names (relative to the home) that a restore replaces."""
    db = home.db_path.name
    return [db, *(db + s for s in _SIDECARS), home.attachments_dir.name, *home_files]


def swap_in(home: DataHome, stage: Path, keep: Path, home_files: Sequence[str]) -> None:
    """Replace the home's database, attachments and ``home_files`` by those in ``stage``; what is
    replaced moves to ``keep`` (created). Crash-safe with :func:`finish_interrupted_restore`."""
    marker = home.root / RESTORE_MARKER
    items = _items(home, home_files)
    present = [name for name in items if (home.root / name).exists()]
    plan: dict[str, object] = {"stage": stage.name, "keep": keep.name, "items": items, "present": present}
    temp = marker.with_suffix(".tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(plan, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, marker)
    fsync_dir(home.root)
    _complete(home.root, plan)


def _complete(root: Path, plan: dict[str, object]) -> None:
    stage, keep = root / str(plan["stage"]), root / str(plan["keep"])
    keep.mkdir(exist_ok=True)
    items, present = plan["items"], plan["present"]
    assert isinstance(items, list) and isinstance(present, list)
    for name in items:
        current, kept, staged = root / name, keep / name, stage / name
        if name in present and current.exists() and not kept.exists():
            os.replace(current, kept)  # what is replaced is kept, never deleted
        if staged.exists():
            os.replace(staged, current)
    fsync_dir(keep)
    fsync_dir(root)
    (root / RESTORE_MARKER).unlink()
    fsync_dir(root)
    shutil.rmtree(stage, ignore_errors=True)
    with contextlib.suppress(OSError):
        keep.rmdir()  # nothing was there to replace (a fresh home)


def finish_interrupted_restore(home: DataHome) -> bool:
    """Complete a restore that a crash cut short (the copy was verified before the swap began)."""
    marker = home.root / RESTORE_MARKER
    if not marker.exists():
        return False
    try:
        plan = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StorageError(
            f"上次从备份恢复时被中断，且恢复记录文件已损坏：{marker}。请联系技术支持；原数据在 replaced-* 目录中。"
        ) from exc
    _complete(home.root, plan)
    return True
