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
