"""Demo data: an empty home gets the demo accounts and data once (``inspector-app --demo``); a real one never."""

from __future__ import annotations

from inspector_app.core.accounts import SYSTEM_USER
from inspector_app.demo.accounts import DEMO_ACCOUNTS, is_demo_home
from inspector_app.demo.fake_registry import generate_businesses
from inspector_app.demo.fill import CREWS, prepare_demo_home
from inspector_app.demo.scenarios import SCENARIOS
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.support.passwords import PasswordHasher

CHEAP = PasswordHasher(n=2**4, r=1, p=1)


def test_an_empty_home_gets_the_demo_accounts_and_data_once(tmp_path):
    services = Services(DataHome(tmp_path / "home"), hasher=CHEAP)
    try:
        summary = prepare_demo_home(services, businesses=60)
        assert summary is not None and summary.businesses == {"imported": 60}
        assert summary.inspections_created == len(SCENARIOS) + 1  # plus the corrected version
        assert is_demo_home(services)
        assert prepare_demo_home(services, businesses=60) is None
        crews = {tuple(i.name for i in r.inspectors) for r in map(services.inspections.get, _ids(services))}
        assert crews == {tuple(i.name for i in crew) for crew in CREWS}
    finally:
        services.close()


def test_a_home_with_an_account_gets_no_demo_accounts_and_no_data(tmp_path):
    services = Services(DataHome(tmp_path / "home"), hasher=CHEAP)
    try:
        admin = services.accounts.create_first_admin("chief", "局管理员", "real-password-1")
        assert prepare_demo_home(services, businesses=60) is None
        assert [u.username for u in services.accounts.list_users(admin)] == ["chief"]
        assert services.registry.count() == 0 and not services.inspections.list()
        assert not any(services.accounts.exists(username) for username, *_ in DEMO_ACCOUNTS)
    finally:
        services.close()


def test_a_home_with_businesses_only_is_not_a_demo_home_either(tmp_path):
    services = Services(DataHome(tmp_path / "home"), hasher=CHEAP)
    try:
        services.registry.upsert_many(list(generate_businesses(3)))
        assert prepare_demo_home(services, businesses=60) is None
        assert not services.accounts.list_users(SYSTEM_USER)
        assert services.registry.count() == 3
    finally:
        services.close()


def _ids(services):
    return [s.id for s in services.inspections.list()]


def test_demo_data_on_a_full_disk_is_all_or_nothing_and_the_home_stays_usable(services, store):
    import pytest

    from inspector_app.demo.fill import fill_demo
    from inspector_app.services.errors import DiskFull

    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    # The file may grow by 60 pages only: SQLite then fails with SQLITE_FULL, as on a full disk.
    store.db.conn.execute(f"PRAGMA max_page_count = {pages + 60}")
    with pytest.raises(DiskFull, match="磁盘空间已满"):
        fill_demo(services, businesses=300)
    assert services.registry.count() == 0 and services.inspections.list() == []
    assert services.is_empty()
    store.db.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    summary = fill_demo(services, businesses=60)
    assert summary.businesses == {"imported": 60} and summary.inspections_created > 0


def test_a_demo_home_whose_fill_failed_is_filled_on_the_next_start(tmp_path, monkeypatch):
    import pytest

    from inspector_app.demo import fill
    from inspector_app.services.errors import DiskFull

    services = Services(DataHome(tmp_path / "home"), hasher=CHEAP)
    try:

        def full_disk(*_args, **_kwargs):
            raise DiskFull("磁盘空间已满")

        with monkeypatch.context() as patch:
            patch.setattr(fill, "_write_registry", full_disk)
            with pytest.raises(DiskFull):
                prepare_demo_home(services, businesses=60)
        assert is_demo_home(services) and services.registry.count() == 0
        summary = prepare_demo_home(services, businesses=60)
        assert summary is not None and summary.businesses == {"imported": 60}
    finally:
        services.close()
