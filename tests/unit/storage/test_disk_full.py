"""A full disk (issue 12, defect 5): writes fail cleanly and say so, and the data home stays usable.

SQLite's ``max_page_count`` makes it fail exactly as on a full disk (SQLITE_FULL); attachment files get
the ``ENOSPC`` a full file system gives. The slow harness (``tests/harness``) repeats this on a real, small
file system.
"""

from __future__ import annotations

import errno

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.core.registry import Business, BusinessKind
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.errors import DiskFull
from inspector_app.storage import attachments as attachments_module
from inspector_app.storage.store import Store
from tests.builders import make_jpeg


def _business(n: int) -> Business:
    from inspector_app.core.identifiers import make_uscc

    return Business(make_uscc(f"91420802MA4{n:06d}"), f"测试小吃店{n}", BusinessKind.SMALL_CATERING)


def test_a_full_disk_during_a_registry_write_says_so_and_the_home_opens_and_writes_afterwards(tmp_path):
    home = DataHome(tmp_path / "home")
    store = Store(home)
    services = Services(home, store=store)
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count = {pages + 5}")
    with pytest.raises(DiskFull, match="磁盘空间已满"):
        services.registry.upsert_many([_business(n) for n in range(2000)])
    assert services.registry.count() == 0
    services.close()
    store.close()
    runner = CliRunner()
    listed = runner.invoke(cli, ["--home", str(home.root), "registry", "list", "--json"])
    assert listed.exit_code == 0 and "损坏" not in listed.output
    checked = runner.invoke(cli, ["--home", str(home.root), "init"])
    assert checked.exit_code == 0, checked.output


def test_a_photo_on_a_full_disk_says_disk_full_and_leaves_no_partial_file(services, store, monkeypatch):
    def no_space(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(attachments_module.os, "fsync", no_space)
    with pytest.raises(DiskFull, match="磁盘空间已满"):
        store.attachments.put(make_jpeg(), "photo", "image/jpeg")
    leftovers = [p for p in store.home.attachments_dir.rglob("*") if p.is_file()]
    assert leftovers == []
    assert store.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0


def test_the_cli_says_the_disk_is_full_for_a_file_it_cannot_write(tmp_path, capsys):
    from inspector_app.cli import common

    @common.friendly
    def write_something() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out.pdf"))

    with pytest.raises(SystemExit) as exited:
        write_something()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "磁盘空间已满" in err and str(tmp_path) in err
