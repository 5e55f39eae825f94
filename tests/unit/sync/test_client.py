"""The sync client against scripted answers: what it retries, what it does not, and what the user reads."""

from __future__ import annotations

import httpx
import pytest

from inspector_app.sync.client import HQRefused, HQUnreachable, RetryPolicy, SyncClient, SyncError
from inspector_app.sync.protocol import Receipt
from tests.builders import T0
from tests.sync_support import FakeLaptop


def scripted(*answers):
    """A transport answering from ``answers`` in turn (an exception instance is raised instead)."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handler), calls


def client_with(transport, sleeps: list[float], attempts: int = 4) -> SyncClient:
    policy = RetryPolicy(attempts=attempts, base=1.0, cap=8.0, sleep=sleeps.append, random=lambda: 0.5)
    return SyncClient("http://hq.test", "token", retry=policy, transport=transport)


def receipt_for(payload) -> httpx.Response:
    return httpx.Response(201, json=Receipt("record", payload.id, payload.hash, T0).to_dict())


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    policy = RetryPolicy(base=0.5, cap=30.0, random=lambda: 1.0)
    assert [policy.delay(n) for n in range(8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert RetryPolicy(random=lambda: 0.0).delay(3) == 0.0  # full jitter reaches zero
    assert RetryPolicy(random=lambda: 0.0).delay(0, retry_after=5) == 5  # Retry-After is honoured


def test_cut_connections_and_5xx_are_retried_until_a_receipt():
    laptop = FakeLaptop()
    payload = laptop.record(photos=0)
    transport, calls = scripted(
        httpx.ReadError("connection reset"),
        httpx.Response(503, headers={"Retry-After": "3"}, json={"error": {"code": "busy", "message": "忙"}}),
        httpx.Response(200, json={"missing": []}),
        receipt_for(payload),
    )
    sleeps: list[float] = []
    receipt = client_with(transport, sleeps).push_record(payload, laptop.blobs.__getitem__)
    assert receipt.id == payload.id and len(calls) == 4
    assert sleeps == [0.5, 3.0]  # jittered backoff, then the server's Retry-After
    assert calls[0].headers["Authorization"] == "Bearer token"


def test_a_4xx_is_not_retried_and_carries_hqs_reason():
    laptop = FakeLaptop()
    payload = laptop.record(photos=0)
    body = {"error": {"code": "hash_conflict", "message": "总部已有该记录但内容不同", "details": {}}}
    transport, calls = scripted(httpx.Response(200, json={"missing": []}), httpx.Response(409, json=body))
    with pytest.raises(HQRefused) as err:
        client_with(transport, []).push_record(payload, laptop.blobs.__getitem__)
    assert (err.value.code, err.value.status, err.value.retryable) == ("hash_conflict", 409, False)
    assert "总部已有该记录" in str(err.value) and len(calls) == 2


def test_giving_up_says_so_in_chinese_and_that_nothing_was_lost():
    transport, calls = scripted(httpx.ConnectError("refused"))
    sleeps: list[float] = []
    with pytest.raises(HQUnreachable) as err:
        client_with(transport, sleeps, attempts=3).hello()
    assert len(calls) == 3 and len(sleeps) == 2 and err.value.retryable
    assert "已尝试 3 次" in str(err.value) and "本机数据完好" in str(err.value)


def test_a_receipt_for_something_else_is_not_accepted():
    laptop = FakeLaptop()
    payload, other = laptop.record(photos=0), laptop.record(photos=0)
    transport, _ = scripted(httpx.Response(200, json={"missing": []}), receipt_for(other))
    with pytest.raises(SyncError, match="回执与所推送的内容不符"):
        client_with(transport, []).push_record(payload, laptop.blobs.__getitem__)


def test_a_receipt_not_signed_by_hq_is_refused():
    laptop = FakeLaptop()
    payload = laptop.record(photos=0)
    transport, _ = scripted(httpx.Response(200, json={"missing": []}), receipt_for(payload))
    client = client_with(transport, [])
    client.hq_public_key = FakeLaptop().key.public
    with pytest.raises(SyncError, match="签名无效"):
        client.push_record(payload, laptop.blobs.__getitem__)


def test_a_downloaded_blob_that_does_not_match_is_fetched_again():
    laptop = FakeLaptop()
    payload = laptop.record(photos=1)
    sha = payload.blobs()[0]
    transport, calls = scripted(
        httpx.Response(200, content=b"cut sho"), httpx.Response(200, content=laptop.blobs[sha])
    )
    assert client_with(transport, []).download_blob(sha) == laptop.blobs[sha]
    assert len(calls) == 2
