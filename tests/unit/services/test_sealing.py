"""Seals at finalize and at review: each act is the next seal in the device chain, stored in the same
transaction as the act, and queued for HQ."""

from __future__ import annotations

import pytest

from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.outbox import OutboxKind
from inspector_app.services.support.device_key import DeviceKeyError
from inspector_app.trust.events import decision_digest
from inspector_app.trust.seals import SealKind, verify_chain
from tests.review_support import BOSS, add_business, finalized_record


def test_finalizing_seals_the_record_with_its_hash_and_queues_it(services):
    record_id = finalized_record(services, add_business(services))
    record = services.inspections.get(record_id)
    [item] = services._store.sync.items()
    assert (item.item_id, item.kind, item.document_no) == (record_id, OutboxKind.RECORD, record.document_no)
    seal = services._store.sync.seal_of(record_id)
    assert (seal.seal.kind, seal.seal.subject, seal.seal.digest) == (
        SealKind.RECORD,
        record_id,
        record.content_hash,
    )
    assert seal.seal.device == services.inspections.device.id == record.device_id


def test_a_decision_is_sealed_after_the_record_it_judges(services):
    record_id = finalized_record(services, add_business(services))
    event = services.review.return_(BOSS, record_id, "请补充照片")
    seals = services._store.sync.seals()
    assert [(s.seal.kind, s.seal.subject) for s in seals] == [
        (SealKind.RECORD, record_id),
        (SealKind.REVIEW, record_id),
    ]
    verify_chain(seals, services._sealer.public_key())
    record_hash = services.inspections.get(record_id).content_hash
    fields = {"id": event.id, "record_id": record_id, "record_hash": record_hash, "decision": "returned",
              "actor_id": BOSS.id, "actor_name": BOSS.display_name, "comment": "请补充照片",
              "decided_at": seals[1].to_dict()["at"]}  # fmt: skip
    assert seals[1].seal.digest == decision_digest(fields)


def test_a_finalize_whose_seal_cannot_be_made_stays_a_draft(services):
    uscc = add_business(services)
    services.home.device_key_file.write_bytes(b"not a key")  # damaged key file
    with pytest.raises(DeviceKeyError, match="已损坏"):
        finalized_record(services, uscc)
    [draft] = services.inspections.list()
    assert draft.status is RecordStatus.DRAFT and not draft.document_no
    assert services._store.sync.seals() == [] and services._store.sync.items() == []


def test_a_review_whose_seal_cannot_be_made_changes_nothing(services):
    record_id = finalized_record(services, add_business(services))
    services.home.device_key_file.write_bytes(b"replaced")
    fresh_sealer_services = services.with_clock(services.clock)  # a new process: the key is read again
    with pytest.raises(DeviceKeyError):
        fresh_sealer_services.review.approve(BOSS, record_id)
    assert services.inspections.get(record_id).status is RecordStatus.FINALIZED
    assert services.review.events(record_id) == []


def test_a_restored_backup_brings_the_device_key_and_the_chain_continues(tmp_path, clock):
    from inspector_app.paths import DataHome
    from inspector_app.services.app import Services
    from tests.builders import CHEAP_HASHER

    original = Services(DataHome(tmp_path / "a").ensure(), clock, hasher=CHEAP_HASHER)
    finalized_record(original, add_business(original))
    public = original._sealer.public_key()
    original.backup.backup(tmp_path / "laptop.bak")
    original.close()
    fresh = Services(DataHome(tmp_path / "b").ensure(), clock, hasher=CHEAP_HASHER)
    fresh.backup.restore(tmp_path / "laptop.bak")
    restored = Services(DataHome(tmp_path / "b"), clock, hasher=CHEAP_HASHER)
    try:
        assert restored._sealer.public_key() == public
        assert (tmp_path / "b" / "device-key.pem").stat().st_mode & 0o777 == 0o600
        finalized_record(restored, add_business(restored))
        verify_chain(restored._store.sync.seals(), public)
        assert [s.seal.seq for s in restored._store.sync.seals()] == [1, 2]
    finally:
        restored.close()
