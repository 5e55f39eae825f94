"""Explicit transactions on the store's autocommit connection (``isolation_level=None``).

With ``isolation_level=None`` Python's ``with conn:`` does not open a transaction, so every statement would
commit on its own; :func:`transaction` issues ``BEGIN IMMEDIATE`` (or a SAVEPOINT when already inside one).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """All statements inside commit together, or none do (rollback on any exception)."""
    if conn.in_transaction:
        name = "sp_" + uuid.uuid4().hex
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
