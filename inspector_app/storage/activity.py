"""Who is writing: long writers leave a note beside the database so a busy database can say by what.

SQLite tells a waiting connection only that the database is locked, not by whom. A long write (a registry
import, the demo data, a restore) therefore announces itself with a small JSON file
``.writer-<pid>-<n>.json`` next to the database for as long as it runs; a process that finds the database
busy reads the notes of live processes and names them ("名录导入 registry.xlsx，进程 1234，10:02 起").
Notes of dead processes (a killed import) are ignored and removed.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from inspector_app.core.clock import CHINA_TZ, parse_utc, utc_iso

_NOTE_GLOB = ".writer-*.json"
_COUNTER = itertools.count(1)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, owned by someone else
    return True


@contextmanager
def announce(db_path: Path, what: str) -> Iterator[None]:
    """Leave a note "``what`` is writing" beside ``db_path`` while the block runs."""
    note = db_path.with_name(f".writer-{os.getpid()}-{next(_COUNTER)}.json")
    body = {"what": what, "pid": os.getpid(), "since": utc_iso(datetime.now(UTC))}
    try:
        temp = note.with_suffix(".tmp")
        temp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, note)
    except OSError:  # a full disk must not stop the work itself; the busy message is just less precise
        note = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if note is not None:
            with contextlib.suppress(OSError):
                note.unlink()


def _describe(body: dict[str, object]) -> str:
    since = ""
    with contextlib.suppress(KeyError, TypeError, ValueError):
        since = f"，{parse_utc(str(body['since'])).astimezone(CHINA_TZ):%H:%M} 起"
    pid = body.get("pid", "?")
    who = "本程序" if pid == os.getpid() else f"进程 {pid}"
    return f"{body.get('what', '写入')}（{who}{since}）"


def current_writers(db_path: Path) -> list[str]:
    """Descriptions of the live processes that announced a long write on ``db_path``'s database."""
    found = []
    for note in sorted(db_path.parent.glob(_NOTE_GLOB)):
        try:
            body = json.loads(note.read_text(encoding="utf-8"))
            pid = int(body["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if not _alive(pid):
            with contextlib.suppress(OSError):
                note.unlink()
            continue
        found.append(_describe(body))
    return found
