"""Another process holding the database's write lock, as a long registry import does.

``with hold_write_lock(db_path, what="名录导入 big.csv"):`` starts a child Python process that opens the
database, announces itself as a writer (when ``what`` is given, as the app's long writers do), runs
``BEGIN IMMEDIATE`` plus one insert, and keeps the transaction open until the block ends; then it rolls back
and exits. The block starts only once the child holds the lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_CHILD = r"""
import sqlite3, sys
from contextlib import nullcontext
from pathlib import Path
path, what = sys.argv[1], sys.argv[2]
if what:
    from inspector_app.storage.activity import announce
    note = announce(Path(path), what)
else:
    note = nullcontext()
with note:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE IF NOT EXISTS _lock_holder (x)")
    conn.execute("INSERT INTO _lock_holder VALUES (1)")
    print("LOCKED", flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    conn.execute("ROLLBACK")
    conn.close()
"""


@contextmanager
def hold_write_lock(db_path: Path, what: str = "") -> Iterator[subprocess.Popen[str]]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db_path), what],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line.strip() != "LOCKED":
            proc.kill()
            raise RuntimeError(f"lock holder failed: {line} {proc.stderr.read() if proc.stderr else ''}")
        yield proc
    finally:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=30)
