"""Cut connections, concurrent pushes and an HQ restart: nothing lost, nothing duplicated (both engines).

The proxy rounds run ``FAST_ROUNDS`` per engine by default; ``-m slow`` runs the full 200 rounds.
"""

from __future__ import annotations

import hashlib
import random
import signal
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from inspector_app.sync.client import HQUnreachable, RetryPolicy
from inspector_app.sync.protocol import RecordPayload
from tests.hq.fault_proxy import CuttingProxy, random_budget
from tests.live_server import free_port
from tests.sync_support import FakeLaptop

FAST_ROUNDS = 60
FULL_ROUNDS = 200
PROXY_RETRY = RetryPolicy(attempts=4, base=0.005, cap=0.05)


def push_until_done(client, laptop: FakeLaptop, payload: RecordPayload, tries: int = 200):
    for _ in range(tries):
        try:
            return client.push_record(payload, laptop.blobs.__getitem__)
        except HQUnreachable:
            continue
    raise AssertionError(f"record {payload.id} not pushed after {tries} tries")


def assert_held_exactly_once(hq, payloads: list[RecordPayload], laptop: FakeLaptop) -> None:
    rows = hq.records()
    assert sorted(r["id"] for r in rows) == sorted(p.id for p in payloads)
    assert {r["id"]: r["hash"] for r in rows} == {p.id: p.hash for p in payloads}
    for payload in payloads:
        for sha in payload.blobs():
            assert hq.blobs.verified(sha), sha
            assert hq.blobs.path_for(sha).read_bytes() == laptop.blobs[sha]


def run_push_rounds(live, rounds: int, seed: int) -> None:
    laptop = FakeLaptop()
    token = live.enrol(laptop)._http.headers["Authorization"].split()[1]
    proxy = CuttingProxy(
        int(live.url.rsplit(":", 1)[1]), random_budget(random.Random(seed), 8000, clean_share=0)
    )
    client = live.client(token, retry=PROXY_RETRY, hq_public_key=live.hq.identity.public_key)
    client.base_url = proxy.url
    client._http.base_url = proxy.url + "/v1"
    try:
        payloads = []
        for _ in range(rounds):
            payload = laptop.record(photos=1)
            receipt = push_until_done(client, laptop, payload)
            assert (receipt.id, receipt.hash) == (payload.id, payload.hash)
            payloads.append(payload)
        assert proxy.cuts >= rounds // 4  # the connection really was cut, many times
        assert_held_exactly_once(live.hq, payloads, laptop)
    finally:
        client.close()
        proxy.close()


def test_push_through_a_cutting_connection_stores_each_record_once(live):
    run_push_rounds(live, FAST_ROUNDS, seed=9)


@pytest.mark.slow
def test_push_through_a_cutting_connection_full_200_rounds(live):
    run_push_rounds(live, FULL_ROUNDS, seed=2009)


def run_pull_rounds(live, rounds: int, seed: int) -> None:
    inspector, boss = FakeLaptop(), FakeLaptop()
    inspector_client = live.enrol(inspector)
    token = live.enrol(boss, role="supervisor", area="东宝区")._http.headers["Authorization"].split()[1]
    payloads = [inspector.record(photos=1) for _ in range(rounds)]
    for payload in payloads:
        inspector_client.push_record(payload, inspector.blobs.__getitem__)
    proxy = CuttingProxy(
        int(live.url.rsplit(":", 1)[1]), random_budget(random.Random(seed), 30000, clean_share=0)
    )
    client = live.client(token, retry=PROXY_RETRY)
    client._http.base_url = proxy.url + "/v1"
    applied: dict[str, bytes] = {}
    blobs: dict[str, bytes] = {}
    cursor, more, tries = "0", True, 0
    try:
        while more:
            tries += 1
            assert tries < rounds * 50, "pull did not finish"
            try:
                page = client.pull(cursor, limit=3)
                for item in page.items:
                    for sha in item.record().blobs():
                        if sha not in blobs:  # verified by hash, so kept even if the page fails later
                            blobs[sha] = client.download_blob(sha)
            except HQUnreachable:
                continue  # nothing applied: the same cursor is asked again
            for item in page.items:  # apply the page, then advance the cursor (as the laptop will)
                assert item.data["id"] not in applied, "an item was delivered twice"
                applied[item.data["id"]] = item.data["hash"]
            cursor, more = page.cursor, page.more
        assert applied == {p.id: p.hash for p in payloads}
        for payload in payloads:
            for sha in payload.blobs():
                assert hashlib.sha256(blobs[sha]).hexdigest() == sha
        assert proxy.cuts >= rounds // 10
    finally:
        client.close()
        proxy.close()


def test_pull_through_a_cutting_connection_delivers_each_record_once(live):
    run_pull_rounds(live, FAST_ROUNDS, seed=19)


@pytest.mark.slow
def test_pull_through_a_cutting_connection_full_200_rounds(live):
    run_pull_rounds(live, FULL_ROUNDS, seed=2019)


def test_the_same_record_pushed_from_8_threads_is_one_row(live):
    laptop = FakeLaptop()
    token = live.enrol(laptop)._http.headers["Authorization"].split()[1]
    payload = laptop.record(photos=3)
    barrier = threading.Barrier(8)
    receipts, errors = [], []

    def push() -> None:
        with live.client(token) as client:
            barrier.wait()
            try:
                receipts.append(client.push_record(payload, laptop.blobs.__getitem__))
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(receipts) == 8 and {(r.id, r.hash, r.time) for r in receipts} == {
        (payload.id, payload.hash, receipts[0].time)
    }
    assert sum(not r.duplicate for r in receipts) == 1
    assert_held_exactly_once(live.hq, [payload], laptop)


def _serve(db: str, blobs: Path, port: int) -> subprocess.Popen:
    script = Path(sys.executable).with_name("inspector-hq")
    process = subprocess.Popen(
        [str(script), "serve", "--db", db, "--blobs", str(blobs), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/hello", timeout=1)
            return process
        except httpx.TransportError:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            time.sleep(0.1)
    raise AssertionError("inspector-hq serve did not start")


def _port_in_range() -> int:
    return free_port(18300, 18399)


def test_hq_killed_and_restarted_mid_push_the_push_completes(db_url, tmp_path):
    from inspector_app.hq.cli import open_hq

    blobs = tmp_path / "blobs"
    hq = open_hq(db_url, str(blobs))
    port = _port_in_range()
    process = _serve(db_url, blobs, port)
    laptop = FakeLaptop()
    code = hq.devices.issue_code("断电测试机")
    from inspector_app.sync.client import SyncClient

    client = SyncClient(f"http://127.0.0.1:{port}", retry=RetryPolicy(attempts=60, base=0.05, cap=0.5))
    client.enroll(code.code, laptop.device_id, laptop.key.public)
    payloads = [laptop.record(photos=2) for _ in range(30)]
    done: list[str] = []

    def push_all() -> None:
        for payload in payloads:
            client.push_record(payload, laptop.blobs.__getitem__)
            done.append(payload.id)

    pusher = threading.Thread(target=push_all)
    pusher.start()
    while len(done) < 5 and pusher.is_alive():
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)  # no clean shutdown: like pulling the plug
    process.wait(10)
    time.sleep(0.3)
    process = _serve(db_url, blobs, port)
    try:
        pusher.join(120)
        assert not pusher.is_alive() and done == [p.id for p in payloads]
        assert_held_exactly_once(hq, payloads, laptop)
    finally:
        process.terminate()
        process.wait(10)
        client.close()
        hq.engine.dispose()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = folder / "hq.crt", folder / "hq.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_serve_over_tls_and_enrol_with_a_verified_certificate(tmp_path):
    from inspector_app.hq.cli import open_hq
    from inspector_app.sync.client import SyncClient

    db = str(tmp_path / "hq.sqlite3")
    hq = open_hq(db, None)
    cert, key = _self_signed(tmp_path)
    port = _port_in_range()
    script = Path(sys.executable).with_name("inspector-hq")
    process = subprocess.Popen(
        [str(script), "serve", "--db", db, "--port", str(port), "--tls-cert", str(cert), "--tls-key", str(key)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        laptop = FakeLaptop()
        client = SyncClient(
            f"https://127.0.0.1:{port}",
            verify=ssl.create_default_context(cafile=str(cert)),
            retry=RetryPolicy(attempts=40, base=0.1, cap=0.3),
        )
        enrolment = client.enroll(
            hq.devices.issue_code("TLS 笔记本").code, laptop.device_id, laptop.key.public
        )
        assert enrolment.hq == hq.identity
        payload = laptop.record()
        assert client.push_record(payload, laptop.blobs.__getitem__).id == payload.id
        with pytest.raises(httpx.TransportError):  # plain HTTP to a TLS port is no way in
            httpx.get(f"http://127.0.0.1:{port}/v1/hello", timeout=5).raise_for_status()
    finally:
        process.terminate()
        process.wait(10)
        hq.engine.dispose()
