"""Transactions on the shared autocommit connection: atomic, nestable, and safe across threads."""

from __future__ import annotations

import threading

import pytest

from inspector_app.storage.db import open_database
from inspector_app.storage.transactions import transaction


@pytest.fixture
def conn(tmp_path):
    db = open_database(tmp_path / "t.sqlite3", migrate=False)
    db.conn.execute("CREATE TABLE t (x INTEGER)")
    yield db.conn
    db.conn.close()


def _count(conn):
    return conn.execute("SELECT count(*) FROM t").fetchone()[0]


def test_a_failure_rolls_back_everything_inside(conn):
    with pytest.raises(RuntimeError), transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        conn.execute("INSERT INTO t VALUES (2)")
        raise RuntimeError
    assert _count(conn) == 0


def test_a_nested_failure_rolls_back_only_the_inner_part(conn):
    with transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), transaction(conn):
            conn.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError
    assert _count(conn) == 1


def test_transactions_from_many_threads_on_one_connection_all_commit(conn):
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(50):
                with transaction(conn):
                    conn.execute("INSERT INTO t VALUES (?)", [n * 100 + i])
                    conn.execute("INSERT INTO t VALUES (?)", [-(n * 100 + i)])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _count(conn) == 6 * 50 * 2
    assert not conn.in_transaction


def _fill_the_disk(conn):
    """The database may grow by a few pages only: SQLite then fails writes with SQLITE_FULL, as on a full disk."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")


def test_a_full_disk_inside_a_transaction_raises_disk_full_and_leaves_the_connection_usable(conn):
    from inspector_app.storage.db import DiskFull

    conn.execute("INSERT INTO t VALUES (0)")
    _fill_the_disk(conn)
    with pytest.raises(DiskFull, match="磁盘空间已满"), transaction(conn):
        for i in range(2000):
            conn.execute("INSERT INTO t VALUES (?)", [i * 10**12])
            conn.execute("INSERT INTO t SELECT x FROM t")
    assert not conn.in_transaction
    assert _count(conn) == 1  # all or nothing
    with transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
    assert _count(conn) == 2


def test_a_full_disk_in_a_nested_transaction_reports_the_full_disk(conn):
    from inspector_app.storage.db import DiskFull

    _fill_the_disk(conn)
    with pytest.raises(DiskFull), transaction(conn):
        conn.execute("INSERT INTO t VALUES (1)")
        with transaction(conn):
            for _ in range(30):
                conn.execute("INSERT INTO t SELECT x FROM t UNION ALL SELECT 1")
    assert not conn.in_transaction
    assert _count(conn) == 0
