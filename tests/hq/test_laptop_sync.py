"""The laptop's sync engine (``services.sync``) against a live HQ on both engines: enrol, seal, push, pull.

These tests live beside HQ's own so they share its fixtures (``live`` runs on SQLite and on the PostgreSQL
cluster the session starts); the laptop is a real data home driven through its services.
"""

from __future__ import annotations

import json

import pytest

from inspector_app.core.errors import InspectorError
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.outbox import OutboxState
from inspector_app.core.registry import BusinessKind
from inspector_app.core.reviews import Decision
from inspector_app.services.inspections import InspectionService
from inspector_app.sync.protocol import RecordPayload
from inspector_app.trust.seals import GENESIS, verify_chain
from tests.builders import make_business
from tests.laptop_support import enrol, finalize_record, make_laptop
from tests.review_support import ZHANG
from tests.sync_support import FakeLaptop


@pytest.fixture
def laptop(tmp_path):
    services = make_laptop(tmp_path / "laptop")
    yield services
    services.close()


def chain(services):
    return services._store.sync.seals()


def test_every_finalized_record_is_sealed_at_once_in_one_chain(laptop):
    ids = [finalize_record(laptop, seed=n) for n in range(3)]
    seals = chain(laptop)
    assert [s.seal.subject for s in seals] == ids
    assert [s.seal.seq for s in seals] == [1, 2, 3] and seals[0].seal.prev == GENESIS
    public = laptop._sealer.public_key()
    verify_chain(seals, public)  # signatures and links
    for record_id, seal in zip(ids, seals, strict=True):
        assert seal.seal.digest == laptop.inspections.get(record_id).content_hash
    assert laptop.home.device_key_file.stat().st_mode & 0o777 == 0o600
    assert [i.state for i in laptop.sync.items()] == [OutboxState.PENDING] * 3


def test_enrolment_registers_the_key_and_keeps_the_token_out_of_the_status(laptop, live):
    enrolment = enrol(laptop, live, "东宝区-笔记本-01")
    device = live.hq.devices.by_name("东宝区-笔记本-01")
    assert device.device_id == laptop._sealer.device.id
    assert device.public_key == laptop._sealer.public_key()
    assert enrolment.hq == live.hq.identity
    status = laptop.sync.status()
    assert (status.enrolled, status.device_name, status.hq_name) == (
        True,
        "东宝区-笔记本-01",
        live.hq.identity.name,
    )
    assert enrolment.token not in json.dumps(status.__dict__, default=str)


def test_a_used_code_is_refused_with_the_reason_and_nothing_stored(laptop, live):
    code = live.hq.devices.issue_code("一次性")
    laptop.sync.enroll(live.url, code.code)
    other = make_laptop(laptop.home.root.parent / "other")
    try:
        with pytest.raises(InspectorError, match="登记码无效或已使用"):
            other.sync.enroll(live.url, code.code)
        assert other.sync.enrolment() is None
    finally:
        other.close()


def test_push_sends_records_in_seal_order_and_marks_them_synced_on_the_receipt(laptop, live):
    ids = [finalize_record(laptop, photos=2, seed=n) for n in range(3)]
    enrol(laptop, live, "笔记本-推送")
    report = laptop.sync.push()
    assert report.ok and (report.total, report.synced) == (3, 3), report.summary()
    held = {r["id"]: r["hash"] for r in live.hq.records()}
    assert held == {i: laptop.inspections.get(i).content_hash for i in ids}
    for record_id in ids:
        assert laptop.inspections.get(record_id).status is RecordStatus.SYNCED
        record = laptop.inspections.get(record_id)
        for sha in record.attachments:
            assert live.hq.blobs.path_for(sha).read_bytes() == laptop.inspections.attachment_bytes(sha)
    items = laptop.sync.items(include_synced=True)
    assert [i.state for i in items] == [OutboxState.SYNCED] * 3
    receipt = json.loads(
        laptop._store.sync.db.execute("SELECT receipt_json FROM outbox LIMIT 1").fetchone()[0]
    )
    assert receipt["signature"] and receipt["kind"] == "record"
    again = laptop.sync.push()
    assert (again.total, again.synced) == (0, 0) and again.ok
    assert laptop.sync.status().last_success_at is not None


def test_records_finalized_before_sealing_existed_are_sealed_in_order_when_the_key_is_made(laptop, live):
    class NoSeal:  # the finalize of an earlier version: no seal, no outbox item
        def seal_record(self, record):
            return None

    old = InspectionService(laptop._store, laptop.forms, laptop.clock, sealer=NoSeal())
    laptop.__dict__["inspections"] = old
    ids = []
    for n in range(3):
        ids.append(finalize_record(laptop, seed=n))
        laptop.clock.advance(minutes=30)
    assert chain(laptop) == [] and not laptop.home.device_key_file.exists()
    enrol(laptop, live, "老版本笔记本")  # the key is made now, and the three records sealed first
    assert [s.seal.subject for s in chain(laptop)] == ids
    verify_chain(chain(laptop), laptop._sealer.public_key())
    assert laptop.sync.push().synced == 3
    assert sorted(r["id"] for r in live.hq.records()) == sorted(ids)


def test_a_lost_key_file_is_reported_not_replaced(laptop):
    finalize_record(laptop)
    laptop.home.device_key_file.unlink()
    fresh = make_laptop(laptop.home.root)  # a new process: nothing cached
    try:
        with pytest.raises(InspectorError, match="设备私钥文件 .* 缺失"):
            finalize_record(fresh, seed=5)
        assert not fresh.home.device_key_file.exists()
        assert len(chain(fresh)) == 1
    finally:
        fresh.close()


def test_one_refused_record_does_not_block_the_others(laptop, live):
    ids = [finalize_record(laptop, seed=n) for n in range(3)]
    enrol(laptop, live, "笔记本-冲突")
    # Another laptop already gave HQ a different record under the second id: HQ answers 409 hash_conflict.
    intruder = FakeLaptop()
    live.enrol(intruder).push_record(intruder.record(id=ids[1]), intruder.blobs.__getitem__)
    report = laptop.sync.push()
    assert (report.synced, report.conflict) == (2, 1) and not report.ok
    states = {i.record_id: i for i in laptop.sync.items(include_synced=True)}
    assert states[ids[1]].state is OutboxState.CONFLICT
    assert "新版本" in states[ids[1]].last_error
    assert {states[ids[0]].state, states[ids[2]].state} == {OutboxState.SYNCED}
    assert laptop.inspections.get(ids[1]).status is RecordStatus.FINALIZED
    assert laptop.sync.push().total == 0  # a conflict is never retried automatically
    assert laptop.sync.retry_failed() == 0  # nor by 立即重试


def test_unreachable_hq_leaves_everything_pending_with_the_error(laptop, live):
    finalize_record(laptop)
    enrol(laptop, live, "笔记本-断网")
    laptop.sync.change_hq_url("http://127.0.0.1:9")  # nothing listens there
    report = laptop.sync.push()
    assert report.stopped and "无法完成与总部" in report.stopped and not report.ok
    status = laptop.sync.status()
    assert (status.pending, status.synced) == (1, 0)
    assert "无法完成与总部" in status.last_error and status.last_success_at is None
    assert live.hq.records() == []


def test_pull_applies_registry_changes_and_decisions_and_saves_the_cursor(laptop, live):
    record_id = finalize_record(laptop)
    enrol(laptop, live, "笔记本-拉取")
    assert laptop.sync.push().ok
    new = make_business(
        uscc=make_uscc("92420802MA4PULL01"), name="荆门市新开小吃店", kind=BusinessKind.SMALL_CATERING
    )
    live.hq.import_registry([new])
    boss = FakeLaptop()
    boss_client = live.enrol(boss, role="supervisor", area="东宝区")
    forwarded = next(i.record() for i in boss_client.pull("0").items if i.type == "record")
    boss_client.push_decision(boss.decide(forwarded, Decision.RETURNED, "请补拍后厨照片"))
    report = laptop.sync.pull()
    assert report.ok and (report.registry, report.decisions) == (1, 1), report.summary()
    assert laptop.registry.get(new.uscc).name == "荆门市新开小吃店"
    assert laptop.inspections.get(record_id).status is RecordStatus.RETURNED
    returned = laptop.review.returned_to_me(ZHANG)
    assert [(r.inspection_id, r.comment, r.returned_by) for r in returned] == [
        (record_id, "请补拍后厨照片", "王审核")
    ]
    cursor = laptop.sync.status().cursor
    assert int(cursor) > 0
    again = laptop.sync.pull()  # nothing new; the same page is never applied twice
    assert (again.decisions, again.registry, again.cursor) == (0, 0, cursor)


def test_a_forwarded_item_with_a_bad_seal_is_refused_and_kept_visible(laptop, live):
    enrol(laptop, live, "审核人笔记本", role="supervisor", area="东宝区")
    inspector = FakeLaptop()
    client = live.enrol(inspector)
    good, bad = inspector.record(), inspector.record()
    for payload in (good, bad):
        client.push_record(payload, inspector.blobs.__getitem__)
    # HQ forwards the wrong key for the second record's device (a compromised or confused HQ).
    real_pull = live.hq.pull

    def pull(device, cursor, limit=200):
        page = real_pull(device, cursor, limit)
        for item in page.items:
            if item.data.get("id") == bad.id:
                item.data["device_key"] = FakeLaptop().key.public
        return page

    live.hq.pull = pull
    report = laptop.sync.pull()
    assert (report.records, report.refused) == (1, 1)
    assert laptop.inspections.get(good.id).status is RecordStatus.SYNCED
    problems = laptop.sync.problems()
    assert [p.item_id for p in problems] == [bad.id] and "签名验证失败" in problems[0].error


def test_pushed_payload_is_exactly_what_was_finalized(laptop):
    record_id = finalize_record(laptop)
    item = laptop.sync.items()[0]
    payload = laptop.sync.payload_of(item)
    assert isinstance(payload, RecordPayload)
    assert payload.verify(laptop._sealer.public_key()).id == record_id


def test_a_record_approved_here_before_the_push_keeps_its_status_and_hq_gets_both(laptop, live):
    from tests.review_support import BOSS

    record_id = finalize_record(laptop)
    laptop.review.approve(BOSS, record_id, "")  # a supervisor reviewing on this laptop, still offline
    enrol(laptop, live, "笔记本-本机审核")
    report = laptop.sync.push()
    assert report.ok and report.synced == 2, report.summary()
    assert laptop.inspections.get(record_id).status is RecordStatus.APPROVED  # not "synced": the lifecycle
    assert {i.kind.value: i.state for i in laptop.sync.items(include_synced=True)} == {
        "record": OutboxState.SYNCED,
        "decision": OutboxState.SYNCED,
    }
    assert live.hq.records()[0]["status"] == "approved"


def test_enrolling_at_another_hq_sends_everything_there_again(laptop, live, tmp_path):
    from inspector_app.hq.app import create_app
    from inspector_app.hq.db import open_engine
    from inspector_app.hq.service import HQ
    from tests.live_server import ServerThread

    ids = [finalize_record(laptop, seed=n) for n in range(2)]
    enrol(laptop, live, "试点总部用")
    assert laptop.sync.push().synced == 2
    engine = open_engine(str(tmp_path / "production.sqlite3"))
    production = HQ(engine, tmp_path / "production-blobs")
    server = ServerThread(create_app(production))
    try:
        code = production.devices.issue_code("正式总部用").code
        laptop.sync.enroll(f"http://127.0.0.1:{server.port}", code)
        assert laptop.sync.status().pending == 2  # the receipts of the pilot HQ do not count here
        assert laptop.sync.push().synced == 2
        assert sorted(r["id"] for r in production.records()) == sorted(ids)
    finally:
        server.stop()
        engine.dispose()
