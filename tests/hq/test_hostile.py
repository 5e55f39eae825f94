"""Hostile and malformed requests (both engines): a 4xx with a machine code and a Chinese reason, nothing
stored, and the service keeps serving."""

from __future__ import annotations

import copy
import hashlib

import httpx
import pytest

from inspector_app.sync.protocol import MAX_BLOB_BYTES, MAX_JSON_BYTES, RecordPayload
from inspector_app.trust.keys import DeviceKey
from inspector_app.trust.seals import sign_seal
from tests.sync_support import FakeLaptop


@pytest.fixture
def raw(live):
    """A plain httpx client with a valid device token, plus the laptop it belongs to."""
    laptop = FakeLaptop()
    token = live.enrol(laptop)._http.headers["Authorization"]
    with httpx.Client(base_url=live.url, headers={"Authorization": token}, timeout=60) as client:
        yield client, laptop


def upload_blobs(client: httpx.Client, laptop: FakeLaptop, payload: RecordPayload) -> None:
    for sha in payload.blobs():
        assert client.put(f"/v1/blobs/{sha}", content=laptop.blobs[sha]).status_code in (200, 201)


def refused(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error["message"]  # a Chinese reason
    return error


def still_serving_and_empty(live, client: httpx.Client) -> None:
    assert client.get("/v1/hello").status_code == 200
    assert live.hq.records() == []


def test_bad_json_and_wrong_shapes(live, raw):
    client, _ = raw
    refused(client.post("/v1/records", content=b"{not json"), 400, "bad_json")
    refused(client.post("/v1/records", content=b"\xff\xfe"), 400, "bad_json")
    refused(client.post("/v1/records", json=[1, 2]), 400, "invalid_payload")
    refused(client.post("/v1/records", json={"protocol": 99}), 400, "unsupported_protocol")
    refused(client.post("/v1/blobs/missing", json={"sha256": "x"}), 400, "invalid_payload")
    refused(client.post("/v1/blobs/missing", json={"sha256": ["../etc"]}), 400, "bad_sha256")
    refused(client.get("/v1/pull", params={"cursor": "-1"}), 400, "bad_cursor")
    refused(client.delete("/v1/records"), 405, "method_not_allowed")
    still_serving_and_empty(live, client)


def test_altered_content_with_the_old_hash_is_refused(live, raw):
    client, laptop = raw
    payload = laptop.record()
    upload_blobs(client, laptop, payload)
    body = payload.to_dict()
    body["content"]["verdict"] = "不符合"
    refused(client.post("/v1/records", json=body), 422, "hash_mismatch")
    still_serving_and_empty(live, client)


def test_a_consistent_hash_over_malformed_content_is_refused(live, raw):
    client, laptop = raw
    payload = laptop.record()
    content = copy.deepcopy(payload.content)
    content["surprise"] = "extra field"
    from inspector_app.sync.protocol import canonical_json

    digest = hashlib.sha256(canonical_json(content)).hexdigest()
    body = {**payload.to_dict(), "content": content, "hash": digest}
    refused(client.post("/v1/records", json=body), 422, "invalid_record")
    still_serving_and_empty(live, client)


def test_a_forged_signature_is_refused(live, raw):
    client, laptop = raw
    payload = laptop.record()
    upload_blobs(client, laptop, payload)
    forged = sign_seal(payload.seal.seal, DeviceKey.generate())  # right seal, someone else's key
    body = {**payload.to_dict(), "seal": forged.to_dict()}
    refused(client.post("/v1/records", json=body), 422, "bad_signature")
    body = {**payload.to_dict(), "seal": {**payload.seal.to_dict(), "signature": "AAAA"}}
    refused(client.post("/v1/records", json=body), 422, "bad_signature")
    still_serving_and_empty(live, client)


def test_another_devices_token_cannot_push_its_records(live, raw):
    client, _ = raw
    other = FakeLaptop()
    live.enrol(other)
    payload = other.record()
    upload_blobs(client, other, payload)
    refused(client.post("/v1/records", json=payload.to_dict()), 403, "device_mismatch")
    still_serving_and_empty(live, client)


def test_unknown_missing_and_revoked_tokens(live):
    laptop = FakeLaptop()
    client = live.enrol(laptop, name="将被吊销")
    with httpx.Client(base_url=live.url) as anonymous:
        refused(anonymous.get("/v1/hello"), 401, "no_token")
        refused(anonymous.get("/v1/hello", headers={"Authorization": "Bearer nope"}), 401, "unknown_token")
    assert client.hello()["device"]["name"] == "将被吊销"
    live.hq.devices.revoke("将被吊销")
    with httpx.Client(base_url=live.url, headers=dict(client._http.headers)) as revoked:
        error = refused(revoked.get("/v1/hello"), 403, "device_revoked")
    assert "吊销" in error["message"]


def test_huge_bodies_are_refused_before_they_are_stored(live, raw):
    client, _ = raw
    big = b"{" + b" " * (MAX_JSON_BYTES + 10) + b"}"
    refused(client.post("/v1/records", content=big), 413, "too_large")

    def stream():  # no Content-Length: the limit is enforced while reading
        for _ in range(MAX_BLOB_BYTES // (1 << 20) + 2):
            yield b"\0" * (1 << 20)

    sha = "0" * 64
    refused(client.put(f"/v1/blobs/{sha}", content=stream()), 413, "too_large")
    assert live.hq.missing_blobs([sha]) == [sha]
    assert not any(p.is_file() for p in live.hq.blobs.root.rglob("*"))
    still_serving_and_empty(live, client)


@pytest.mark.parametrize(
    "path",
    ["/v1/blobs/..%2F..%2Fetc%2Fpasswd", "/v1/blobs/%2e%2e", "/v1/blobs/" + "A" * 64, "/v1/blobs/abc",
     "/v1/blobs/" + "0" * 63 + "/"],
)  # fmt: skip
def test_path_tricks_in_blob_names_never_touch_the_file_system(live, raw, path, tmp_path):
    client, _ = raw
    response = client.put(path, content=b"owned")
    assert 400 <= response.status_code < 500 and response.json()["error"]["message"]
    assert 400 <= client.get(path).status_code < 500
    assert (
        not any(p.is_file() for p in live.hq.blobs.root.rglob("*")) if live.hq.blobs.root.exists() else True
    )
    still_serving_and_empty(live, client)


def test_a_blob_whose_bytes_do_not_match_its_name_is_not_kept(live, raw):
    client, laptop = raw
    sha = hashlib.sha256(b"the real photo").hexdigest()
    error = refused(client.put(f"/v1/blobs/{sha}", content=b"something else"), 422, "blob_mismatch")
    assert error["details"]["sha256"] == sha
    assert live.hq.missing_blobs([sha]) == [sha]
    assert not live.hq.blobs.path_for(sha).exists()
    assert not any(p.is_file() for p in live.hq.blobs.root.rglob("*"))


def test_a_blob_of_another_devices_record_cannot_be_downloaded(live, raw):
    client, _ = raw
    other = FakeLaptop()
    other_client = live.enrol(other)
    payload = other.record()
    other_client.push_record(payload, other.blobs.__getitem__)
    assert other_client.download_blob(payload.blobs()[0]) == other.blobs[payload.blobs()[0]]
    refused(client.get(f"/v1/blobs/{payload.blobs()[0]}"), 404, "not_found")


def test_refusals_are_listed_for_the_status_page(live, raw):
    client, _ = raw
    client.post("/v1/records", content=b"{oops")
    with live.hq.engine.connect() as conn:
        from inspector_app.hq.store import recent_refusals

        rows = recent_refusals(conn)
    assert rows[0]["code"] == "bad_json" and rows[0]["endpoint"] == "/v1/records"
