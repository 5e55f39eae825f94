"""USB bundles: laptop → HQ import (twice harmless), HQ → laptop export, and refusal of any damaged bundle."""

from __future__ import annotations

import json
import zipfile

import pytest

from inspector_app.core.reviews import Decision
from inspector_app.hq.transfer import export_bundle, import_bundle
from inspector_app.sync.bundle import (
    BundleContent,
    BundleError,
    Party,
    blob_loaders,
    open_bundle,
    write_bundle,
)
from tests.builders import T0
from tests.sync_support import FakeLaptop


def laptop_bundle(hq, laptop: FakeLaptop, path, records=2, decisions=()):
    payloads = [laptop.record(photos=2) for _ in range(records)]
    shas = sorted({s for p in payloads for s in p.blobs()})
    content = BundleContent(payloads, list(decisions), blob_loaders(shas, laptop.blobs.__getitem__))
    sender, recipient = Party("device", laptop.device_id), Party("hq", hq.identity.id)
    write_bundle(path, content, sender, recipient, laptop.key, T0)
    return payloads


def enrolled(hq, laptop: FakeLaptop, name: str, role: str = "inspector", area: str = ""):
    code = hq.devices.issue_code(name, role, area)
    return hq.devices.enroll(code.code, laptop.device_id, laptop.key.public)


def test_importing_a_bundle_twice_stores_each_record_once(hq, tmp_path):
    laptop = FakeLaptop()
    enrolled(hq, laptop, "离线笔记本")
    payloads = laptop_bundle(hq, laptop, tmp_path / "out.inspbundle", records=3)
    first = import_bundle(hq, tmp_path / "out.inspbundle")
    assert (first.records_stored, first.records_duplicate, first.refused) == (3, 0, [])
    assert first.blobs_stored == 9
    second = import_bundle(hq, tmp_path / "out.inspbundle")
    assert (second.records_stored, second.records_duplicate, second.blobs_stored) == (0, 3, 0)
    assert sorted(r["id"] for r in hq.records()) == sorted(p.id for p in payloads)
    assert all(hq.blobs.verified(s) for p in payloads for s in p.blobs())


def _rewrite(source, target, change):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info, data)


@pytest.mark.parametrize("damage", ["truncated", "flipped_blob", "flipped_record", "extra_member", "dropped_member",
                                    "manifest_edited", "wrong_key", "garbage"])  # fmt: skip
def test_a_damaged_bundle_is_refused_whole_and_nothing_is_stored(hq, tmp_path, damage):
    laptop = FakeLaptop()
    enrolled(hq, laptop, "离线笔记本")
    good = tmp_path / "good.inspbundle"
    laptop_bundle(hq, laptop, good)
    bad = tmp_path / "bad.inspbundle"
    raw = good.read_bytes()
    if damage == "truncated":
        bad.write_bytes(raw[: len(raw) * 2 // 3])
    elif damage == "garbage":
        bad.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    elif damage == "flipped_blob":
        _rewrite(good, bad, lambda n, d: (bytes([d[0] ^ 1]) + d[1:]) if n.startswith("blobs/") else d)
    elif damage == "flipped_record":
        _rewrite(
            good,
            bad,
            lambda n, d: d.replace(b"\xe7\xac\xa6", b"\xe4\xb8\x8d") if n.startswith("records/") else d,
        )
    elif damage == "extra_member":
        _rewrite(good, bad, lambda n, d: d)
        with zipfile.ZipFile(bad, "a") as archive:
            archive.writestr("blobs/" + "0" * 64, b"x")
    elif damage == "dropped_member":
        dropped = []
        _rewrite(
            good,
            bad,
            lambda n, d: None if n.startswith("blobs/") and not dropped and not dropped.append(n) else d,
        )
    elif damage == "manifest_edited":

        def edit(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["created_at"] = "2030-01-01T00:00:00Z"
            return json.dumps(manifest).encode()

        _rewrite(good, bad, edit)
    elif damage == "wrong_key":
        impostor = FakeLaptop(device_id=laptop.device_id)  # same id, another key
        laptop_bundle(hq, impostor, bad)
    with pytest.raises(BundleError) as err:
        import_bundle(hq, bad)
    assert "整个同步包未导入" in str(err.value) or "拒绝导入" in str(err.value)
    assert hq.records() == []
    with hq.engine.connect() as conn:
        from inspector_app.hq.store import present_blobs

        assert present_blobs(conn, [s for s in laptop.blobs]) == set()


def test_a_bundle_from_an_unknown_or_revoked_device_is_refused(hq, tmp_path):
    stranger = FakeLaptop()
    laptop_bundle(hq, stranger, tmp_path / "s.inspbundle")
    with pytest.raises(BundleError, match="未在总部登记"):
        import_bundle(hq, tmp_path / "s.inspbundle")
    enrolled(hq, stranger, "丢失的笔记本")
    hq.devices.revoke("丢失的笔记本")
    with pytest.raises(BundleError, match="吊销"):
        import_bundle(hq, tmp_path / "s.inspbundle")
    assert hq.records() == []


def test_export_brings_decisions_and_area_records_back_verified_by_hqs_key(hq, tmp_path):
    inspector, boss = FakeLaptop(), FakeLaptop()
    inspector_row = enrolled(hq, inspector, "检查员笔记本")
    enrolled(hq, boss, "审核人笔记本", "supervisor", "东宝区")
    payloads = laptop_bundle(hq, inspector, tmp_path / "in.inspbundle")
    import_bundle(hq, tmp_path / "in.inspbundle")
    boss_device = hq.devices.by_name("审核人笔记本")
    hq.accept_decision(boss_device, boss.decide(payloads[0], Decision.RETURNED, "照片不清晰"))
    # The supervisor's bundle carries the area's records with their blobs.
    export_bundle(hq, "审核人笔记本", tmp_path / "boss.inspbundle")
    with open_bundle(tmp_path / "boss.inspbundle", lambda sender: inspector_row.hq.public_key) as bundle:
        assert bundle.recipient == Party("device", boss.device_id)
        kinds = [i.type for i in bundle.page.items]
        assert kinds.count("record") == 2 and kinds.count("decision") == 1
        for sha in {s for p in payloads for s in p.blobs()}:
            assert bundle.blob(sha) == inspector.blobs[sha]
    # The inspector's bundle carries the decision with its comment.
    export_bundle(hq, "检查员笔记本", tmp_path / "insp.inspbundle")
    with open_bundle(tmp_path / "insp.inspbundle", lambda sender: inspector_row.hq.public_key) as bundle:
        decisions = [i.decision() for i in bundle.page.items if i.type == "decision"]
        assert [(d.record_id, d.comment) for d in decisions] == [(payloads[0].id, "照片不清晰")]
        assert bundle.blob_shas == []
    with pytest.raises(BundleError, match="签名"):
        open_bundle(tmp_path / "insp.inspbundle", lambda sender: inspector.key.public)
