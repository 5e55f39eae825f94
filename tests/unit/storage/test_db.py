"""Opening the database: pragmas, migrations, and refusing files we must not touch."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.storage.db import StorageError, open_database
from inspector_app.storage.migrations import MIGRATIONS


def test_a_new_database_gets_wal_foreign_keys_full_sync_and_every_migration(tmp_path):
    db = open_database(tmp_path / "a.sqlite3")
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    applied = [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert applied == [name for name, _ in MIGRATIONS]


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "a.sqlite3"
    open_database(path).conn.close()
    db = open_database(path)
    assert db.conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "a.sqlite3"
    db = open_database(path)
    db.conn.execute("INSERT INTO _migrations VALUES ('9999_future', '2030-01-01T00:00:00Z')")
    db.conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError) as caught:
        open_database(path)
    assert "更新版本" in str(caught.value) and "9999_future" in str(caught.value)
    assert path.read_bytes() == before


def test_a_corrupt_file_is_refused_with_a_clear_message_and_not_overwritten(tmp_path):
    path = tmp_path / "a.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StorageError) as caught:
        open_database(path)
    assert "损坏" in str(caught.value) or "不是数据库" in str(caught.value)
    assert path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 12345")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="不是本程序的数据库"):
        open_database(path)


def test_a_failing_migration_leaves_nothing_half_applied(tmp_path, monkeypatch):
    from inspector_app.storage import db as db_module

    def broken(database):
        database.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(db_module, "MIGRATIONS", [*MIGRATIONS, ("0999_broken", broken)])
    with pytest.raises(RuntimeError):
        open_database(tmp_path / "a.sqlite3")
    conn = sqlite3.connect(tmp_path / "a.sqlite3")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    assert "businesses" in tables  # earlier migrations did commit


def test_the_cli_reports_a_corrupt_database_in_chinese_without_traceback(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "inspector.sqlite3").write_bytes(b"garbage" * 500)
    result = CliRunner().invoke(cli, ["--home", str(home), "inspections", "list"])
    assert result.exit_code == 1
    assert "错误：" in result.output and "Traceback" not in result.output


def test_a_damaged_page_is_found_by_the_full_integrity_check(tmp_path):
    from inspector_app.storage.db import check_integrity

    path = tmp_path / "a.sqlite3"
    db = open_database(path)
    db.conn.execute("CREATE TABLE filler (x TEXT)")
    db.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 2000)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 20, page * 22):
        data[offset] = 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="损坏"):
        check_integrity(open_database(path, migrate=False))
