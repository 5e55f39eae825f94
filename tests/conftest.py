"""Test-wide setup and the shared fixtures: a fixed ``clock``, a data ``home`` in ``tmp_path``, its ``store``
and the ``services`` over that same store (cheap password hashing, the shipped checklists unless a module
overrides ``forms``).

Qt runs offscreen (without it pytest aborts on a machine with no display).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.core.clock import FixedClock
from inspector_app.forms.library import FormLibrary
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.storage.store import Store
from tests.builders import CHEAP_HASHER, T0

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch a real user's data home from a test.
os.environ.pop("INSPECTOR_HOME", None)


@pytest.fixture
def clock() -> FixedClock:
    """09:00 on 2 March 2026 in Jingmen; tests move it with ``clock.advance``."""
    return FixedClock(T0)


@pytest.fixture
def home(tmp_path: Path) -> DataHome:
    return DataHome(tmp_path / "home")


@pytest.fixture
def store(home: DataHome) -> Iterator[Store]:
    store = Store(home)
    yield store
    store.close()


@pytest.fixture
def forms() -> FormLibrary | None:
    """The checklists the services use: None means the shipped ones; a module may return a test library."""
    return None


@pytest.fixture
def services(
    home: DataHome, clock: FixedClock, store: Store, forms: FormLibrary | None
) -> Iterator[Services]:
    services = Services(home, clock, forms, hasher=CHEAP_HASHER, store=store)
    yield services
    services.close()
