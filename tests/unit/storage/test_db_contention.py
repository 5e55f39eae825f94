"""Opening and writing while another process writes: readers open, a busy database says busy (and by what).

Issue 12, defects 2 and 8: opening the database used to write (``PRAGMA application_id``) and so waited for
a long import's write lock and then called the file "possibly corrupt"; and it read the file header with a
second file handle, whose ``close()`` dropped this process's POSIX locks on the database.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.paths import DataHome
from inspector_app.storage import db as db_module
from inspector_app.storage.db import DatabaseBusy, open_database
from inspector_app.storage.store import Store
from tests.lockholder import hold_write_lock


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Writers give up after 0.2 s instead of 5 s, so a refused write does not slow the suite."""
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)


@pytest.fixture
def db_path(tmp_path):
    home = DataHome(tmp_path / "home")
    Store(home).close()
    return home.db_path


def test_the_database_opens_and_reads_while_another_process_holds_the_write_lock(db_path, short_busy_timeout):
    with hold_write_lock(db_path):
        db = open_database(db_path)
        try:
            assert db.conn.execute("SELECT count(*) FROM businesses").fetchone()[0] == 0
        finally:
            db.conn.close()


def test_a_write_refused_by_a_busy_database_says_busy_and_by_what_never_corrupt(db_path, short_busy_timeout):
    db = open_database(db_path)
    try:
        with hold_write_lock(db_path, what="名录导入 big.csv"), pytest.raises(DatabaseBusy) as caught:
            db.conn.execute("INSERT INTO _migrations VALUES ('x', 'y')")
    finally:
        db.conn.close()
    message = str(caught.value)
    assert "正忙" in message and "名录导入 big.csv" in message
    assert "损坏" not in message


def test_read_only_commands_work_during_a_long_write_and_writes_say_busy(tmp_path, short_busy_timeout):
    home = tmp_path / "home"
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", str(home), "init"]).exit_code == 0
    csv = tmp_path / "r.csv"
    csv.write_text("统一社会信用代码,主体名称,主体类型\n", encoding="utf-8")
    with hold_write_lock(home / "inspector.sqlite3", what="名录导入 other.xlsx"):
        listed = runner.invoke(cli, ["--home", str(home), "inspections", "list", "--json"])
        imported = runner.invoke(cli, ["--home", str(home), "registry", "import", str(csv)])
    assert listed.exit_code == 0, listed.output
    assert imported.exit_code == 1
    assert "正忙" in imported.output and "名录导入 other.xlsx" in imported.output
    assert "Traceback" not in imported.output and "损坏" not in imported.output


_TRY_LOCK = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    # SQLite's SHARED byte range: a WAL-mode connection keeps a read lock in it while open.
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002)
except OSError:
    print("HELD")
else:
    print("FREE")
"""


@pytest.mark.skipif(not hasattr(fcntl, "lockf"), reason="POSIX locks only")
def test_opening_again_keeps_the_locks_of_connections_already_open(db_path):
    first = open_database(db_path)
    try:
        first.conn.execute("SELECT count(*) FROM businesses").fetchone()

        def other_process_sees() -> str:
            out = subprocess.run(
                [sys.executable, "-c", _TRY_LOCK, str(db_path)], capture_output=True, text=True
            )
            return out.stdout.strip()

        assert other_process_sees() == "HELD"
        second = open_database(db_path)  # a second open in the same process (the autosave writer does this)
        try:
            assert other_process_sees() == "HELD", "opening dropped the first connection's locks"
        finally:
            second.conn.close()
    finally:
        first.conn.close()
    assert os.path.exists(db_path)
