"""The full laptop engine through a connection that is cut after a random number of bytes (both HQ engines).

Push: each round finalizes a record with a photo on the laptop and runs ``sync push`` until the outbox is
empty. Pull: a supervisor's laptop pulls its area's records (with attachments), decisions and registry
changes in small pages until done. Afterwards nothing is lost or duplicated on either side. ``FAST_ROUNDS``
by default, the full 200 under ``-m slow``. The proxy is HQ's own (``tests/hq/fault_proxy.py``).
"""

from __future__ import annotations

import contextlib
import random

import pytest

from inspector_app.core.identifiers import make_uscc
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.outbox import OutboxState
from inspector_app.core.reviews import Decision
from inspector_app.sync.client import RetryPolicy
from tests.builders import make_business
from tests.hq.fault_proxy import CuttingProxy, random_budget
from tests.laptop_support import enrol, finalize_record, make_laptop
from tests.live_server import free_port
from tests.sync_support import FakeLaptop

FAST_ROUNDS = 40
FULL_ROUNDS = 200
PROXY_RETRY = RetryPolicy(attempts=3, base=0.002, cap=0.02)


@contextlib.contextmanager
def laptop_behind_a_cutting_proxy(live, root, seed: int, name: str, role: str = "inspector", area: str = ""):
    """A laptop enrolled at ``live`` that then reaches it only through a proxy cutting after ≤ 30 kB."""
    laptop = make_laptop(root)
    budget = random_budget(random.Random(seed), 30000, clean_share=0)
    proxy = CuttingProxy(int(live.url.rsplit(":", 1)[1]), budget)
    try:
        enrol(laptop, live, name, role, area)
        laptop.sync.change_hq_url(proxy.url)
        laptop.sync.retry = PROXY_RETRY
        yield laptop, proxy
    finally:
        proxy.close()
        laptop.close()


def until_done(run, limit: int):
    for _ in range(limit):
        report = run()
        if report.ok:
            return report
    raise AssertionError(f"not done after {limit} runs: {report.summary()}")


def run_push_rounds(live, tmp_path, rounds: int, seed: int) -> None:
    with laptop_behind_a_cutting_proxy(live, tmp_path / "laptop", seed, "断线笔记本") as (laptop, proxy):
        ids = []
        for n in range(rounds):
            ids.append(finalize_record(laptop, photos=1, seed=n))
            until_done(lambda: laptop.sync.push(), 300)
        assert proxy.cuts >= rounds // 4  # the connection really was cut, many times
        held = {r["id"]: r["hash"] for r in live.hq.records()}
        assert held == {i: laptop.inspections.get(i).content_hash for i in ids}  # each exactly once
        for record_id in ids:
            record = laptop.inspections.get(record_id)
            assert record.status is RecordStatus.SYNCED
            for sha in record.attachments:
                assert live.hq.blobs.verified(sha)
                assert live.hq.blobs.path_for(sha).read_bytes() == laptop.inspections.attachment_bytes(sha)
        items = laptop.sync.items(include_synced=True)
        assert len(items) == rounds and {i.state for i in items} == {OutboxState.SYNCED}


def test_push_through_a_cutting_connection_every_record_once_and_synced(live, tmp_path):
    run_push_rounds(live, tmp_path, FAST_ROUNDS, seed=99)


@pytest.mark.slow
def test_push_through_a_cutting_connection_full_200_rounds(live, tmp_path):
    run_push_rounds(live, tmp_path, FULL_ROUNDS, seed=2099)


def run_pull_rounds(live, tmp_path, rounds: int, seed: int) -> None:
    inspector, other_boss = FakeLaptop(), FakeLaptop()
    inspector_client = live.enrol(inspector)
    boss_client = live.enrol(other_boss, role="supervisor", area="东宝区")
    payloads = [inspector.record(photos=2) for _ in range(rounds)]
    for payload in payloads:
        inspector_client.push_record(payload, inspector.blobs.__getitem__)
    decided = payloads[::5]
    for payload in decided:
        boss_client.push_decision(other_boss.decide(payload, Decision.RETURNED, f"请更正 {payload.id[:8]}"))
    businesses = [
        make_business(uscc=make_uscc(f"9242080{n:02d}MA4FAUL0"[:17]), name=f"断线测试店{n}") for n in range(5)
    ]
    live.hq.import_registry(businesses)

    root = tmp_path / "supervisor"
    with laptop_behind_a_cutting_proxy(live, root, seed, "断线审核机", "supervisor", "东宝区") as (
        laptop,
        proxy,
    ):
        laptop.sync.page_size = 3
        until_done(lambda: laptop.sync.pull(), rounds * 40)
        assert proxy.cuts >= rounds // 10
        for payload in payloads:
            record = laptop.inspections.get(payload.id)
            assert record.content_hash == payload.hash
            expected = RecordStatus.RETURNED if payload in decided else RecordStatus.SYNCED
            assert record.status is expected
            for sha in payload.blobs():
                assert laptop.inspections.attachment_bytes(sha) == inspector.blobs[sha]
        for payload in decided:
            [event] = laptop.review.events(payload.id)
            assert event.comment == f"请更正 {payload.id[:8]}"
        for business in businesses:
            assert laptop.registry.get(business.uscc).name == business.name
        received = laptop._store.sync.db.execute(
            "SELECT kind, count(*) FROM sync_received WHERE state = 'applied' GROUP BY kind"
        ).fetchall()
        assert dict(received) == {"record": rounds, "decision": len(decided)}
        assert laptop.sync.problems() == []
        assert laptop.sync.pull().applied == 0  # done: nothing is delivered twice


def test_pull_through_a_cutting_connection_every_item_once(live, tmp_path):
    run_pull_rounds(live, tmp_path, FAST_ROUNDS, seed=119)


@pytest.mark.slow
def test_pull_through_a_cutting_connection_full_200_rounds(live, tmp_path):
    run_pull_rounds(live, tmp_path, FULL_ROUNDS, seed=2119)


def test_hq_killed_mid_push_the_laptop_finishes_on_the_next_runs(db_url, tmp_path):
    import signal
    import threading
    import time

    from inspector_app.hq.cli import open_hq
    from tests.hq.test_faults import _serve

    blobs = tmp_path / "blobs"
    hq = open_hq(db_url, str(blobs))
    port = free_port(18800, 18899)
    process = _serve(db_url, blobs, port)
    laptop = make_laptop(tmp_path / "laptop")
    try:
        laptop.sync.enroll(f"http://127.0.0.1:{port}", hq.devices.issue_code("断电笔记本").code)
        ids = [finalize_record(laptop, photos=2, seed=n) for n in range(24)]
        first: list = []
        pusher = threading.Thread(target=lambda: first.append(laptop.sync.push()))
        pusher.start()
        while len(hq.records()) < 3 and pusher.is_alive():
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)  # pulled plug, mid-push
        process.wait(10)
        pusher.join(120)
        assert not first[0].ok  # the run noticed, and said so
        process = _serve(db_url, blobs, port)
        until_done(lambda: laptop.sync.push(), 20)
        held = {r["id"]: r["hash"] for r in hq.records()}
        assert held == {i: laptop.inspections.get(i).content_hash for i in ids}
        assert {i.state for i in laptop.sync.items(include_synced=True)} == {OutboxState.SYNCED}
    finally:
        process.terminate()
        process.wait(10)
        laptop.close()
        hq.engine.dispose()
