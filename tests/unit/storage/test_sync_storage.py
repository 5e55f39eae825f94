"""The laptop's sync tables: the seal chain is append-only and gap-free, outbox states, records and decisions
received from other laptops, the pull cursor."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest

from inspector_app.core.clock import utc_iso
from inspector_app.core.errors import LifecycleError, NotFound
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.outbox import OutboxKind, OutboxState
from inspector_app.core.records import canonical_bytes
from inspector_app.core.reviews import Decision, ReviewEvent
from inspector_app.storage.db import StorageError
from inspector_app.sync.protocol import seal_record
from inspector_app.trust.keys import DeviceKey
from tests.builders import T0
from tests.sync_support import FakeLaptop

NOW = utc_iso(T0)


def store_received(store, laptop: FakeLaptop, **overrides):
    record = laptop.finalized(**overrides)
    for sha, meta in record.attachments.items():
        store.attachments.put(laptop.blobs[sha], meta.kind, meta.mime, meta.width, meta.height)
    store.inspections.insert_received(record, canonical_bytes(record).decode(), record.content_hash)
    return record


def test_a_record_from_another_laptop_is_stored_finalized_synced_and_frozen(store):
    record = store_received(store, FakeLaptop())
    loaded = store.inspections.load(record.id)
    assert loaded.status is RecordStatus.SYNCED
    assert loaded.content_hash == record.content_hash and loaded.document_no == record.document_no
    assert store.inspections.followups(status=None) == []
    with pytest.raises(LifecycleError):  # the same triggers as a record finalized here
        store.inspections.update_details(record.id, place="改过")


def test_a_received_record_whose_content_does_not_match_its_hash_is_not_stored(store):
    laptop = FakeLaptop()
    record = laptop.finalized()
    for sha, meta in record.attachments.items():
        store.attachments.put(laptop.blobs[sha], meta.kind, meta.mime, meta.width, meta.height)
    with pytest.raises(StorageError, match="哈希不符"):
        store.inspections.insert_received(replace(record, place="别处"), "{}", record.content_hash)
    assert not store.inspections.exists(record.id)


def test_a_forwarded_decision_moves_the_record_once_and_is_kept_when_it_cannot(store):
    record = store_received(store, FakeLaptop())
    event = ReviewEvent("e" * 8 + "-0000-4000-8000-" + "0" * 12, record.id, Decision.RETURNED, "u-boss", "王审核",
                        "请补拍", T0)  # fmt: skip
    assert store.reviews.add_received_event(event) == "applied"
    assert store.inspections.summary(record.id).status is RecordStatus.RETURNED
    assert store.reviews.add_received_event(event) == "duplicate"
    later = replace(event, id="f" * 8 + "-0000-4000-8000-" + "0" * 12, decision=Decision.APPROVED, comment="")
    assert store.reviews.add_received_event(later) == "kept"  # history keeps it; the status cannot move again
    assert store.inspections.summary(record.id).status is RecordStatus.RETURNED
    assert [e.id for e in store.reviews.events_for(record.id)] == [event.id, later.id]
    with pytest.raises(NotFound):
        store.reviews.add_received_event(replace(event, id="a" * 8 + "-0000-4000-8000-" + "0" * 12,
                                                 inspection_id="no-such-record"))  # fmt: skip


def _seals(n: int):
    key, previous, out = DeviceKey.generate(), None, []
    laptop = FakeLaptop(key=key)
    for _ in range(n):
        record = laptop.finalized()
        previous = seal_record(record, previous, key, T0)
        out.append((record.id, previous))
    return out


def test_seals_append_in_order_only_and_queue_their_act(store):
    repo = store.sync
    (first_id, first), (second_id, second), (third_id, third) = _seals(3)
    repo.add_seal(first, first_id, OutboxKind.RECORD, NOW)
    with pytest.raises(LifecycleError, match="紧接"):  # a gap
        repo.add_seal(third, third_id, OutboxKind.RECORD, NOW)
    repo.add_seal(second, second_id, OutboxKind.RECORD, NOW)
    assert repo.last_seal() == second and repo.seal_of(first_id) == first
    assert [i.item_id for i in repo.due()] == [first_id, second_id]
    with pytest.raises(LifecycleError):  # the same position twice: a fork
        repo.add_seal(second, third_id, OutboxKind.RECORD, NOW)
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        store.db.execute("DELETE FROM seals WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
        store.db.execute("UPDATE seals SET digest = ? WHERE seq = 1", ["0" * 64])


def test_outbox_states_and_retry_times(store):
    repo = store.sync
    (a_id, a), (b_id, b), (c_id, c) = _seals(3)
    for item_id, seal in ((a_id, a), (b_id, b), (c_id, c)):
        repo.add_seal(seal, item_id, OutboxKind.RECORD, NOW)
    repo.mark_synced(a_id, '{"id": "receipt"}', NOW)
    repo.mark_refused(b_id, OutboxState.FAILED, "总部拒收：签名无效", NOW)
    later = utc_iso(T0 + timedelta(minutes=5))
    repo.mark_retry(c_id, "无法连接", NOW, later)
    assert repo.counts() == {OutboxState.PENDING: 1, OutboxState.SYNCED: 1, OutboxState.FAILED: 1,
                             OutboxState.CONFLICT: 0}  # fmt: skip
    assert [i.item_id for i in repo.due(NOW)] == []  # not due yet automatically
    assert [i.item_id for i in repo.due(later)] == [c_id]
    assert [i.item_id for i in repo.due()] == [c_id]  # a manual run tries it now
    waiting = repo.items()
    assert [(i.item_id, i.state, i.attempts) for i in waiting] == [
        (b_id, OutboxState.FAILED, 1), (c_id, OutboxState.PENDING, 1)
    ]  # fmt: skip
    assert repo.requeue() == 2
    assert [i.item_id for i in repo.due(NOW)] == [b_id, c_id]
    with pytest.raises(sqlite3.IntegrityError):  # synced needs a receipt
        store.db.execute("UPDATE outbox SET state = 'synced', receipt_json = '' WHERE item_id = ?", [b_id])


def test_the_pull_cursor_only_moves_forward(store):
    repo = store.sync
    repo.advance_cursor("120", NOW)
    repo.advance_cursor("80", NOW)  # an older page applied by a second process
    assert repo.setting("pull_cursor") == "120"
    repo.advance_cursor("1200", NOW)
    assert repo.setting("pull_cursor") == "1200"
