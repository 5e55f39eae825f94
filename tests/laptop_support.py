"""Test support for the laptop side of sync: a real data home (the laptop's own services) with a business and
records finalized through the real use cases, enrolled at a live HQ from ``tests/hq/conftest.py``.

Qt-free; used by ``tests/hq/test_laptop_*.py``, the GUI sync tests and ``benches/sync.py``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from inspector_app.core.clock import FixedClock
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.sync.client import RetryPolicy
from tests.builders import CHEAP_HASHER, T0, make_jpeg
from tests.review_support import FORM, LI, ZHANG, add_business, answer_all, crew, sign_all

#: Quick retries so a test against a dead port or a cutting proxy does not wait for the real backoff.
FAST_RETRY = RetryPolicy(attempts=4, base=0.005, cap=0.05)


def make_laptop(root: Path, clock: FixedClock | None = None) -> Services:
    """A laptop data home with one business (老王面馆, 东宝区) and fast sync retries."""
    services = Services(
        DataHome(root).ensure(), clock or FixedClock(T0 + timedelta(hours=2)), hasher=CHEAP_HASHER
    )
    services.sync.retry = FAST_RETRY
    add_business(services)
    return services


def laptop_uscc(services: Services) -> str:
    return services.registry.list(limit=1)[0].uscc


def finalize_record(services: Services, photos: int = 1, seed: int = 0) -> str:
    """Start, answer, photograph (``photos`` distinct JPEGs on the first item), sign and finalize a record."""
    inspections = services.inspections
    record = inspections.start(ZHANG, laptop_uscc(services), FORM, crew(ZHANG, LI), "日常检查", "店内")
    answer_all(services, ZHANG, record.id)
    first = sorted(inspections.get(record.id).answers)[0]
    for n in range(photos):
        jpeg = make_jpeg(
            40 + (seed * 7 + n) % 200, 30 + (seed + n) % 50, color=("red", "green", "blue")[n % 3]
        )
        inspections.attach_photo(ZHANG, record.id, first, jpeg)
    sign_all(services, ZHANG, record.id)
    return inspections.finalize(ZHANG, record.id).id


def enrol(services: Services, live, name: str, role: str = "inspector", area: str = ""):
    """Enrol the laptop at the live HQ with a fresh one-time code; returns the enrolment."""
    code = live.hq.devices.issue_code(name, role, area)
    return services.sync.enroll(live.url, code.code)
