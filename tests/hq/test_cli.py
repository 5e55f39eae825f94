"""``inspector-hq`` commands (both engines): enrol, devices, revoke, records, import, export, registry."""

from __future__ import annotations

import json

from click.testing import CliRunner

from inspector_app.hq.cli import main, open_hq
from inspector_app.sync.bundle import BundleContent, Party, blob_loaders, write_bundle
from inspector_app.sync.protocol import business_to_dict
from tests.builders import T0, make_business
from tests.sync_support import FakeLaptop


def run(db_url, tmp_path, *args):
    result = CliRunner().invoke(
        main, [args[0], "--db", db_url, "--blobs", str(tmp_path / "blobs"), *args[1:]]
    )
    return result


def test_enrol_devices_revoke_records_import_export(db_url, tmp_path):
    result = run(db_url, tmp_path, "enroll", "--device", "东宝区-03", "--json")
    assert result.exit_code == 0, result.output
    code = json.loads(result.output)
    assert set(code) == {"device", "code", "expires_at"} and code["device"] == "东宝区-03"
    hq = open_hq(db_url, str(tmp_path / "blobs"))
    laptop = FakeLaptop()
    hq.devices.enroll(code["code"], laptop.device_id, laptop.key.public)
    devices = json.loads(run(db_url, tmp_path, "devices", "--json").output)
    assert devices[0]["device"] == "东宝区-03" and devices[0]["fingerprint"] == laptop.key.fingerprint

    payloads = [laptop.record(area="东宝区"), laptop.record(area="沙洋县")]
    shas = sorted({s for p in payloads for s in p.blobs()})
    bundle = tmp_path / "usb.inspbundle"
    write_bundle(
        bundle, BundleContent(payloads, [], blob_loaders(shas, laptop.blobs.__getitem__)),
        Party("device", laptop.device_id), Party("hq", hq.identity.id), laptop.key, T0,
    )  # fmt: skip
    result = run(db_url, tmp_path, "import", str(bundle))
    assert result.exit_code == 0 and "新记录 2 条" in result.output
    result = run(db_url, tmp_path, "import", str(bundle))
    assert result.exit_code == 0 and "新记录 0 条（已有 2 条）" in result.output

    rows = json.loads(run(db_url, tmp_path, "records", "--json").output)
    assert {r["id"] for r in rows} == {p.id for p in payloads}
    assert set(rows[0]) == {"id", "hash", "device", "document_no", "status", "received_at"}
    assert {r["device"] for r in rows} == {"东宝区-03"}
    only = json.loads(run(db_url, tmp_path, "records", "--json", "--area", "沙洋县").output)
    assert [r["id"] for r in only] == [payloads[1].id]
    assert json.loads(run(db_url, tmp_path, "records", "--json", "--since", "2999-01-01").output) == []

    result = run(
        db_url, tmp_path, "export", "--device", "东宝区-03", "--bundle", str(tmp_path / "back.inspbundle")
    )
    assert result.exit_code == 0 and (tmp_path / "back.inspbundle").exists()

    assert run(db_url, tmp_path, "revoke", "东宝区-03").exit_code == 0
    result = run(db_url, tmp_path, "import", str(bundle))
    assert result.exit_code == 1 and "吊销" in result.output
    result = run(db_url, tmp_path, "enroll", "--device", "东宝区-03", "--role", "supervisor")
    assert result.exit_code == 1 and "辖区" in result.output
    hq.engine.dispose()


def test_registry_changes_reach_every_device_on_pull(db_url, tmp_path):
    hq = open_hq(db_url, str(tmp_path / "blobs"))
    laptop = FakeLaptop()
    code = hq.devices.issue_code("任意设备")
    hq.devices.enroll(code.code, laptop.device_id, laptop.key.public)
    source = tmp_path / "registry.json"
    business = make_business()
    source.write_text(json.dumps([business_to_dict(business)], ensure_ascii=False), encoding="utf-8")
    assert "变更 1 户" in run(db_url, tmp_path, "registry", str(source)).output
    assert "变更 0 户，未变 1 户" in run(db_url, tmp_path, "registry", str(source)).output
    page = hq.pull(hq.devices.by_name("任意设备"), "0")
    assert [i.business() for i in page.items] == [business]
    source.write_text('[{"uscc": 1}]', encoding="utf-8")
    result = run(db_url, tmp_path, "registry", str(source))
    assert result.exit_code == 1 and "business" in result.output
    hq.engine.dispose()


def test_a_missing_blob_folder_for_postgresql_is_explained(tmp_path):
    result = CliRunner().invoke(main, ["records", "--db", "postgresql://nobody@127.0.0.1:1/x"])
    assert result.exit_code == 1 and "--blobs" in result.output
