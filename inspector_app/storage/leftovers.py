"""Removing what killed writes leave behind in a data home, when it is opened (issue 12, defect 7).

Files are written to a temporary name and renamed into place, so a process killed mid-write leaves a
temporary file: ``attachments/ab/.partial-*.tmp`` (photos, signatures), ``reports/.partial-*.pdf``.
Nothing else refers to them. They are removed once they are at least :data:`MIN_AGE_S` old and no process
holds the ``flock`` a writer keeps on its temporary file while writing — so a slow write of another process
(a second window, a CLI command) is never cut short. Notes of long writers that died
(:mod:`inspector_app.storage.activity`) go too, and the staging folder of a restore that died before its
swap began (``.restore-*``, after six hours).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from inspector_app.paths import DataHome
from inspector_app.storage.activity import current_writers
from inspector_app.storage.backup import RESTORE_MARKER

#: A temporary file younger than this may still be in the hands of its writer.
MIN_AGE_S = 60.0
#: A restore's staging folder is left alone this long (verifying a large backup takes a while).
STAGE_MIN_AGE_S = 6 * 3600.0

try:
    import fcntl
except ImportError:  # Windows: age alone decides
    fcntl = None  # type: ignore[assignment]


def hold_write_lock(fd: int) -> None:
    """Mark a temporary file as being written (released when the descriptor is closed)."""
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)


def _in_use(path: Path) -> bool:
    if fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True  # vanished or unreadable: leave it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # (a flock, not a POSIX lock: closing drops nothing of SQLite's)
    return False


def _candidates(home: DataHome) -> Iterator[Path]:
    yield from home.attachments_dir.glob("*/.partial-*.tmp")
    yield from home.reports_dir.glob(".partial-*.pdf")


def clean_leftovers(home: DataHome, min_age_s: float = MIN_AGE_S) -> list[Path]:
    """Remove abandoned temporary files of ``home``; returns those removed."""
    removed = []
    now = time.time()
    for path in _candidates(home):
        try:
            if now - path.stat().st_mtime < min_age_s or _in_use(path):
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    if not (home.root / RESTORE_MARKER).exists():  # staging folders of restores that died before the swap
        for stage in home.root.glob(".restore-*"):
            with contextlib.suppress(OSError):
                if stage.is_dir() and now - stage.stat().st_mtime >= STAGE_MIN_AGE_S:
                    shutil.rmtree(stage)
                    removed.append(stage)
    with contextlib.suppress(OSError):
        current_writers(home.db_path)  # drops the notes of writers that died
    return removed
