"""Removing what killed writes leave behind in a data home, when it is opened (issue 12, defect 7).

Files are written to a temporary name and renamed into place, so a process killed mid-write leaves a
temporary file: ``attachments/.incoming/.partial-*.tmp`` (photos, signatures; older versions wrote them
beside the photos, ``attachments/ab/``), ``reports/.partial-*.pdf``.
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


def _temporary(folder: Path, suffix: str) -> Iterator[Path]:
    try:
        with os.scandir(folder) as entries:
            for entry in entries:  # (a plain prefix test: fnmatch over thousands of photos costs ~10 ms)
                if entry.name.startswith(".partial-") and entry.name.endswith(suffix):
                    yield Path(entry.path)
    except OSError:
        return


def _candidates(home: DataHome, everywhere: bool) -> Iterator[Path]:
    yield from _temporary(home.attachments_dir / ".incoming", ".tmp")
    yield from _temporary(home.reports_dir, ".pdf")
    if not everywhere:
        return
    try:  # versions before issue 12 wrote temporaries beside the photos, in every ab/ folder
        with os.scandir(home.attachments_dir) as entries:
            folders = [Path(e.path) for e in entries if len(e.name) == 2 and e.is_dir()]
    except OSError:
        folders = []
    for folder in folders:
        yield from _temporary(folder, ".tmp")


def clean_leftovers(home: DataHome, min_age_s: float = MIN_AGE_S, everywhere: bool = False) -> list[Path]:
    """Remove abandoned temporary files of ``home``; returns those removed.

    Every open looks in the two folders temporaries are written to (a few entries: microseconds);
    ``everywhere`` also walks every ``attachments/ab/`` folder (~15 ms for 20,000 photos), for temporaries
    older versions left beside the photos — ``inspector init`` does that.
    """
    removed = []
    now = time.time()
    for path in _candidates(home, everywhere):
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
