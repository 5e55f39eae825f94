"""HQ fixtures: every test that takes ``hq`` runs against SQLite and against a real PostgreSQL cluster.

The cluster is started once per session (``tests/pg_cluster.py``) and each test gets a fresh database in it.
Without the PostgreSQL server binaries the PostgreSQL half is skipped on a developer machine and fails on CI
(``CI`` set), so CI can never pass without having run it.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import uvicorn

from inspector_app.hq.app import create_app
from inspector_app.hq.db import open_engine
from inspector_app.hq.service import HQ
from inspector_app.sync.client import RetryPolicy, SyncClient
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


class ServerThread:
    """uvicorn serving an app on a loopback socket in a thread (stopped cleanly at teardown)."""

    def __init__(self, app, port: int = 0) -> None:
        # proto IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets (else every response waits 40 ms
        # for a delayed ACK).
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(app, log_level="error", lifespan="off", timeout_graceful_shutdown=1)
        )
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("HQ test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()


@pytest.fixture
def live(hq) -> Iterator[LiveHQ]:
    server = ServerThread(create_app(hq))
    yield LiveHQ(hq, f"http://127.0.0.1:{server.port}")
    server.stop()
