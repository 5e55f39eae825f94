"""Explicit transactions on the store's autocommit connection (``isolation_level=None``).

With ``isolation_level=None`` Python's ``with conn:`` does not open a transaction, so every statement would
commit on its own; :func:`transaction` issues ``BEGIN IMMEDIATE`` (or a SAVEPOINT when nested).

The connection is shared by the UI thread and background workers, so transactions on one connection are
serialised by a per-connection lock: otherwise a worker's ``BEGIN`` could see another thread's open transaction,
nest a SAVEPOINT inside it, and lose it when that thread commits.

SQLite may roll a whole transaction back by itself when a statement fails with a full disk or an I/O error;
the rollback here then finds nothing to undo and must not replace the real error ("disk full") with
"no transaction is active". A failed ``COMMIT`` is rolled back too, so the connection is never left inside
a transaction nobody will finish.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

# Keyed by id(): sqlite3.Connection takes no weak references. A few stale entries for closed connections
# (tests open many) cost a lock object each; an id reused by a new connection just reuses a free lock.
_LOCKS: dict[int, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()
_DEPTH = threading.local()


def _lock_for(conn: sqlite3.Connection) -> threading.RLock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(id(conn), threading.RLock())


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    name = "sp_" + uuid.uuid4().hex
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # else SQLite already rolled everything back (full disk, I/O error)
            with suppress(Exception):  # the savepoint went with it: keep the original error
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


@contextmanager
def _begin(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        _rollback(conn)
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open (SQLite may have done it already); never mask the cause."""
    if conn.in_transaction:
        with suppress(Exception):
            conn.execute("ROLLBACK")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """All statements inside commit together, or none do (rollback on any exception)."""
    depths: dict[int, int] = _DEPTH.__dict__.setdefault("depths", {})
    with _lock_for(conn):
        depth = depths.get(id(conn), 0)
        depths[id(conn)] = depth + 1
        try:
            with _savepoint(conn) if depth or conn.in_transaction else _begin(conn):
                yield
        finally:
            depths[id(conn)] = depth
