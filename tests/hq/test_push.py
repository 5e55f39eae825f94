"""Pushing records and decisions to HQ over HTTP (both engines): verify, store once, receipts, conflicts."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from inspector_app.core.records import content_hash
from inspector_app.core.reviews import Decision
from inspector_app.sync.client import HQRefused
from inspector_app.sync.protocol import RecordPayload
from tests.sync_support import FakeLaptop


def test_a_record_is_stored_once_with_every_blob_and_a_signed_receipt(live):
    laptop = FakeLaptop()
    client = live.enrol(laptop)
    payload = laptop.record(photos=3)
    receipt = client.push_record(payload, laptop.blobs.__getitem__)
    assert (receipt.id, receipt.hash, receipt.duplicate) == (payload.id, payload.hash, False)
    client.verify_receipt(receipt)
    again = client.push_record(payload, laptop.blobs.__getitem__)
    assert again.duplicate and again.time == receipt.time
    rows = live.hq.records()
    assert [(r["id"], r["hash"], r["status"]) for r in rows] == [(payload.id, payload.hash, "synced")]
    assert client.missing_blobs(payload.blobs()) == []
    for sha in payload.blobs():
        assert hashlib.sha256(live.hq.blobs.path_for(sha).read_bytes()).hexdigest() == sha


def test_only_missing_blobs_are_uploaded(live, monkeypatch):
    laptop = FakeLaptop()
    client = live.enrol(laptop)
    first = laptop.record(photos=2)
    shared = first.blobs()[0]
    client.upload_blob(shared, laptop.blobs[shared])
    uploaded: list[str] = []
    real = client.upload_blob
    monkeypatch.setattr(client, "upload_blob", lambda sha, data: (uploaded.append(sha), real(sha, data)))
    client.push_record(first, laptop.blobs.__getitem__)
    assert shared not in uploaded and sorted(uploaded) == sorted(set(first.blobs()) - {shared})


def test_same_id_with_different_content_is_a_409_with_the_reason(live):
    laptop = FakeLaptop()
    client = live.enrol(laptop)
    record = laptop.finalized()
    client.push_record(laptop.seal(record), laptop.blobs.__getitem__)
    record.place = "后厨"  # an edit after finalizing: a different hash under the same id
    record.content_hash = content_hash(record)
    with pytest.raises(HQRefused) as err:
        client.push_record(laptop.seal(record), laptop.blobs.__getitem__)
    assert err.value.status == 409 and err.value.code == "hash_conflict"
    assert "新版本" in str(err.value)
    assert len(live.hq.records()) == 1


def test_a_record_whose_blob_is_missing_is_refused_and_not_stored(live):
    laptop = FakeLaptop()
    client = live.enrol(laptop)
    payload = laptop.record()
    with httpx.Client(base_url=live.url, headers=dict(client._http.headers)) as raw:
        response = raw.post("/v1/records", json=payload.to_dict())
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "missing_blobs" and sorted(error["details"]["missing"]) == payload.blobs()
    assert live.hq.records() == []


def test_a_decision_travels_to_the_inspectors_laptop_with_its_comment(live):
    inspector, boss = FakeLaptop(), FakeLaptop()
    inspector_client = live.enrol(inspector)
    boss_client = live.enrol(boss, role="supervisor", area="东宝区")
    payload = inspector.record()
    inspector_client.push_record(payload, inspector.blobs.__getitem__)
    # The supervisor's laptop pulls the area's record with its attachments...
    page = boss_client.pull("0")
    records = [i.record() for i in page.items if i.type == "record"]
    assert [r.id for r in records] == [payload.id]
    assert page.items[0].data["device_key"] == inspector.key.public
    records[0].verify(page.items[0].data["device_key"])  # the supervisor's laptop can check the seal itself
    for sha in records[0].blobs():
        assert boss_client.download_blob(sha) == inspector.blobs[sha]
    # ...returns it with a comment; HQ forwards the decision to the inspector's laptop.
    decision = boss.decide(records[0], Decision.RETURNED, "请补拍后厨照片")
    receipt = boss_client.push_decision(decision)
    assert receipt.id == decision.id and not receipt.duplicate
    assert boss_client.push_decision(decision).duplicate
    forwarded = [i.decision() for i in inspector_client.pull("0").items if i.type == "decision"]
    assert [(d.record_id, d.decision, d.comment) for d in forwarded] == [
        (payload.id, Decision.RETURNED, "请补拍后厨照片")
    ]
    assert live.hq.records()[0]["status"] == "returned"
    # A second, different decision on the same record is refused.
    with pytest.raises(HQRefused) as err:
        boss_client.push_decision(boss.decide(records[0], Decision.APPROVED, ""))
    assert err.value.code == "already_decided"


def test_pull_pages_resume_from_the_cursor(live):
    inspector, boss = FakeLaptop(), FakeLaptop()
    inspector_client = live.enrol(inspector)
    boss_client = live.enrol(boss, role="supervisor", area="东宝区")
    pushed = [inspector.record(photos=0) for _ in range(5)]
    for p in pushed:
        inspector_client.push_record(p, inspector.blobs.__getitem__)
    inspector_client.push_record(inspector.record(area="沙洋县"), inspector.blobs.__getitem__)
    seen, cursor = [], "0"
    while True:
        page = boss_client.pull(cursor, limit=2)
        seen += [RecordPayload.from_dict(i.data).id for i in page.items]
        cursor = page.cursor
        if not page.more:
            break
    assert seen == [p.id for p in pushed]  # the 沙洋县 record is not in this supervisor's area
    assert boss_client.pull(cursor).items == []


def test_decisions_that_break_the_review_rules_are_refused(live):
    inspector, boss = FakeLaptop(), FakeLaptop()
    inspector_client = live.enrol(inspector)
    boss_client = live.enrol(boss, role="supervisor", area="东宝区")
    payload = inspector.record()
    with pytest.raises(HQRefused) as err:  # the record is not at HQ yet
        boss_client.push_decision(boss.decide(payload))
    assert err.value.code == "record_unknown"
    inspector_client.push_record(payload, inspector.blobs.__getitem__)
    with pytest.raises(HQRefused) as err:  # 李明 (u-li) inspected this record himself
        boss_client.push_decision(boss.decide(payload, actor_id="u-li"))
    assert err.value.code == "self_review" and err.value.status == 403
    other = FakeLaptop()
    other_client = live.enrol(other)  # an inspector's laptop may not decide on someone else's record
    with pytest.raises(HQRefused) as err:
        other_client.push_decision(other.decide(payload))
    assert err.value.code == "forbidden"
    assert live.hq.records()[0]["status"] == "synced"
