"""Demo data: filling an empty home once (used by ``inspector-app --demo``), with the demo crews."""

from __future__ import annotations

from inspector_app.demo.fill import CREWS, fill_demo_if_empty
from inspector_app.demo.scenarios import SCENARIOS
from inspector_app.paths import DataHome
from inspector_app.services.app import Services


def test_fill_demo_if_empty_fills_an_empty_home_once(tmp_path):
    services = Services(DataHome(tmp_path / "home"))
    try:
        summary = fill_demo_if_empty(services, businesses=60)
        assert summary is not None and summary.businesses == {"imported": 60}
        assert summary.inspections_created == len(SCENARIOS) + 1  # plus the corrected version
        assert fill_demo_if_empty(services, businesses=60) is None
        crews = {tuple(i.name for i in r.inspectors) for r in map(services.inspections.get, _ids(services))}
        assert crews == {tuple(i.name for i in crew) for crew in CREWS}
    finally:
        services.close()


def _ids(services):
    return [s.id for s in services.inspections.list()]
