"""Review across laptops, both HQ engines: an inspector's laptop pushes, a supervisor's laptop pulls the record
with its photos, reviews it, and the decision travels back to the inspector's home page with its comment.
Also over USB bundles, for laptops without a network."""

from __future__ import annotations

import base64
import zipfile

import pytest

from inspector_app.core.errors import InspectorError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.outbox import OutboxKind, OutboxState
from inspector_app.hq.transfer import export_bundle, import_bundle
from inspector_app.sync.bundle import BundleError
from tests.laptop_support import enrol, finalize_record, make_laptop
from tests.review_support import BOSS, ZHANG


@pytest.fixture
def laptops(tmp_path):
    inspector = make_laptop(tmp_path / "inspector")
    supervisor = make_laptop(tmp_path / "supervisor")
    yield inspector, supervisor
    inspector.close()
    supervisor.close()


def test_a_record_reviewed_on_another_laptop_comes_back_with_the_comment(laptops, live):
    inspector, supervisor = laptops
    enrol(inspector, live, "东宝区-检查-01")
    enrol(supervisor, live, "东宝区-审核-01", role="supervisor", area="东宝区")
    record_id = finalize_record(inspector, photos=2)
    assert inspector.sync.push().ok

    pulled = supervisor.sync.pull()
    assert pulled.ok and pulled.records == 1, pulled.summary()
    mine, theirs = inspector.inspections.get(record_id), supervisor.inspections.get(record_id)
    assert theirs.content_hash == mine.content_hash and theirs.status is RecordStatus.SYNCED
    for sha in mine.attachments:  # the photos and signatures came along, verified
        assert supervisor.inspections.attachment_bytes(sha) == inspector.inspections.attachment_bytes(sha)
    assert [q.id for q in supervisor.review.queue(BOSS)] == [record_id]
    assert supervisor.reports.render(record_id) == inspector.reports.render(record_id)  # the same PDF

    supervisor.review.return_(BOSS, record_id, "请补拍后厨照片")
    [decision] = supervisor.sync.items()
    assert decision.kind is OutboxKind.DECISION
    assert supervisor.sync.push().ok
    assert live.hq.records()[0]["status"] == "returned"

    back = inspector.sync.pull()
    assert back.ok and back.decisions == 1, back.summary()
    assert inspector.inspections.get(record_id).status is RecordStatus.RETURNED
    [returned] = inspector.review.returned_to_me(ZHANG)
    assert (returned.inspection_id, returned.comment, returned.returned_by) == (
        record_id,
        "请补拍后厨照片",
        "王审核",
    )
    # the supervisor laptop hears its own decision back from HQ and recognises it
    assert supervisor.sync.pull().decisions == 0


def test_a_correction_is_pushed_as_a_new_version_and_reviewed_again(laptops, live):
    inspector, supervisor = laptops
    enrol(inspector, live, "检查-更正")
    enrol(supervisor, live, "审核-更正", role="supervisor", area="东宝区")
    first = finalize_record(inspector)
    inspector.sync.push()
    supervisor.sync.pull()
    supervisor.review.return_(BOSS, first, "照片不清楚")
    supervisor.sync.push()
    inspector.sync.pull()
    from tests.review_support import corrected_version

    second = corrected_version(inspector, first)
    assert inspector.sync.push().synced == 1
    assert supervisor.sync.pull().records == 1
    [queued] = supervisor.review.queue(BOSS)
    assert (queued.id, queued.previous_comment) == (second, "照片不清楚")
    supervisor.review.approve(BOSS, second)
    assert supervisor.sync.push().ok and inspector.sync.pull().decisions == 1
    assert inspector.inspections.get(second).status is RecordStatus.APPROVED
    assert {r["id"]: r["status"] for r in live.hq.records()} == {first: "returned", second: "approved"}


def test_two_supervisors_deciding_the_same_record_the_second_is_a_conflict(tmp_path, laptops, live):
    inspector, supervisor = laptops
    other = make_laptop(tmp_path / "other-supervisor")
    try:
        enrol(inspector, live, "检查-双审")
        enrol(supervisor, live, "审核-甲", role="supervisor", area="东宝区")
        enrol(other, live, "审核-乙", role="supervisor", area="东宝区")
        record_id = finalize_record(inspector)
        inspector.sync.push()
        supervisor.sync.pull()
        other.sync.pull()
        supervisor.review.approve(BOSS, record_id)
        other.review.return_(BOSS, record_id, "退回")
        assert supervisor.sync.push().ok
        report = other.sync.push()
        assert report.conflict == 1 and "已有审核决定" in report.errors[0]
        [item] = other.sync.items()
        assert item.state is OutboxState.CONFLICT
        # the winning decision reaches the other supervisor too and is kept in the record's history
        assert other.sync.pull().ok
        assert [e.decision.value for e in other.review.events(record_id)] == ["returned", "approved"]
    finally:
        other.close()


def test_usb_bundles_both_ways(laptops, live, tmp_path):
    inspector, supervisor = laptops
    enrol(inspector, live, "离线-检查")
    enrol(supervisor, live, "离线-审核", role="supervisor", area="东宝区")
    ids = [finalize_record(inspector, seed=n) for n in range(2)]
    out = inspector.sync.export_bundle(tmp_path / "to-hq.inspbundle")
    assert (out.records, out.decisions) == (2, 0) and out.blobs >= 2
    assert {i.exported_to for i in inspector.sync.items()} == {"to-hq.inspbundle"}
    report = import_bundle(live.hq, out.path)
    assert (report.records_stored, report.refused) == (2, [])
    assert import_bundle(live.hq, out.path).records_duplicate == 2  # twice is harmless

    export_bundle(live.hq, "离线-审核", tmp_path / "to-supervisor.inspbundle")
    got = supervisor.sync.import_bundle(tmp_path / "to-supervisor.inspbundle")
    assert got.ok and got.records == 2
    supervisor.review.return_(BOSS, ids[0], "缺少签名页")
    supervisor.review.approve(BOSS, ids[1])
    import_bundle(live.hq, supervisor.sync.export_bundle(tmp_path / "decisions.inspbundle").path)

    export_bundle(live.hq, "离线-检查", tmp_path / "to-inspector.inspbundle")
    back = inspector.sync.import_bundle(tmp_path / "to-inspector.inspbundle")
    assert back.ok and (back.decisions, back.receipts) == (2, 2)
    assert [r.comment for r in inspector.review.returned_to_me(ZHANG)] == ["缺少签名页"]
    assert inspector.sync.items() == [] and inspector.sync.status().synced == 2  # HQ's receipts came back too
    again = inspector.sync.import_bundle(tmp_path / "to-inspector.inspbundle")
    assert (again.decisions, again.duplicates, again.receipts) == (0, 2, 0)
    export_bundle(live.hq, "离线-审核", tmp_path / "receipts.inspbundle")
    assert supervisor.sync.import_bundle(tmp_path / "receipts.inspbundle").receipts == 2
    assert supervisor.sync.items() == []


def test_a_receipt_not_signed_by_hq_or_not_for_what_was_sealed_marks_nothing(laptops, live, tmp_path):
    from inspector_app.sync.bundle import BundleContent, Party, write_bundle
    from inspector_app.sync.protocol import PullPage, Receipt
    from inspector_app.trust.keys import DeviceKey
    from tests.builders import T0

    inspector, _ = laptops
    enrol(inspector, live, "回执-检查")
    first, second = finalize_record(inspector, seed=1), finalize_record(inspector, seed=2)
    digest = {i.record_id: inspector.sync.payload_of(i).hash for i in inspector.sync.items()}

    def signed(key, record_id, digest_):
        unsigned = Receipt("record", record_id, digest_, T0)
        return Receipt(
            "record",
            record_id,
            digest_,
            T0,
            True,
            base64.b64encode(key.sign(unsigned.signed_bytes())).decode(),
        )

    receipts = [signed(DeviceKey.generate(), first, digest[first]), signed(live.hq.key, second, "0" * 64)]
    content = BundleContent(page=PullPage([], "0", False), receipts=receipts)
    me = Party("device", inspector.sync.status().device_id)
    path = write_bundle(
        tmp_path / "forged.inspbundle", content, Party("hq", live.hq.identity.id), me, live.hq.key, T0
    )
    report = inspector.sync.import_bundle(path)
    assert (report.receipts, report.refused) == (0, 2) and not report.ok
    assert all("回执" in e for e in report.errors)
    assert {i.record_id for i in inspector.sync.items()} == {first, second}  # still waiting


def test_a_damaged_or_misaddressed_bundle_is_refused_whole(laptops, live, tmp_path):
    inspector, supervisor = laptops
    enrol(inspector, live, "U盘-检查")
    enrol(supervisor, live, "U盘-审核", role="supervisor", area="东宝区")
    finalize_record(inspector)
    import_bundle(live.hq, inspector.sync.export_bundle(tmp_path / "a.inspbundle").path)
    path = export_bundle(live.hq, "U盘-审核", tmp_path / "b.inspbundle")
    data = path.read_bytes()
    truncated = tmp_path / "truncated.inspbundle"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(BundleError, match="整个同步包未导入"):
        supervisor.sync.import_bundle(truncated)
    altered = tmp_path / "altered.inspbundle"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(altered, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("blobs/"):
                body = body[:-1] + bytes([body[-1] ^ 1])
            dst.writestr(info, body)
    with pytest.raises(BundleError):
        supervisor.sync.import_bundle(altered)
    with pytest.raises(BundleError, match="另一台设备"):
        inspector.sync.import_bundle(path)  # addressed to the supervisor's laptop
    assert supervisor.inspections.list() == [] and supervisor.sync.status().cursor == "0"
    assert supervisor.sync.import_bundle(path).records == 1  # the intact bundle still works


def test_export_with_nothing_waiting_says_so(laptops, live, tmp_path):
    inspector, _ = laptops
    enrol(inspector, live, "空包")
    with pytest.raises(InspectorError, match="没有待上传"):
        inspector.sync.export_bundle(tmp_path / "empty.inspbundle")
    assert not (tmp_path / "empty.inspbundle").exists()
