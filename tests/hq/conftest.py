"""HQ fixtures: every test that takes ``hq`` runs against SQLite and against a real PostgreSQL cluster.

The cluster is started once per session (``tests/pg_cluster.py``) and each test gets a fresh database in it.
Without the PostgreSQL server binaries the PostgreSQL half is skipped on a developer machine and fails on CI
(``CI`` set), so CI can never pass without having run it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from inspector_app.hq.app import create_app
from inspector_app.hq.db import open_engine
from inspector_app.hq.service import HQ
from inspector_app.sync.client import RetryPolicy, SyncClient
from tests.live_server import ServerThread
from tests.pg_cluster import Cluster, ClusterUnavailable
from tests.sync_support import FakeLaptop

FAST_RETRY = RetryPolicy(attempts=8, base=0.02, cap=0.2)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    try:
        cluster = Cluster()
    except ClusterUnavailable as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "hq.sqlite3")
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database()
    yield cluster.url(name)
    cluster.drop_database(name)


@pytest.fixture
def hq(db_url, tmp_path) -> Iterator[HQ]:
    engine = open_engine(db_url)
    yield HQ(engine, tmp_path / "blobs")
    engine.dispose()


@dataclass
class LiveHQ:
    hq: HQ
    url: str

    def client(self, token: str = "", **kwargs) -> SyncClient:
        kwargs.setdefault("retry", FAST_RETRY)
        return SyncClient(self.url, token, **kwargs)

    def enrol(
        self, laptop: FakeLaptop, name: str = "", role: str = "inspector", area: str = ""
    ) -> SyncClient:
        code = self.hq.devices.issue_code(name or f"笔记本-{laptop.device_id[:8]}", role, area)
        client = self.client()
        client.enroll(code.code, laptop.device_id, laptop.key.public)
        return client


@pytest.fixture
def live(hq) -> Iterator[LiveHQ]:
    server = ServerThread(create_app(hq))
    yield LiveHQ(hq, f"http://127.0.0.1:{server.port}")
    server.stop()
