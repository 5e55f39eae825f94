"""Review storage: decisions are append-only events stored with the status change, queue and returned lists."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from inspector_app.core.checklist import Result
from inspector_app.core.errors import LifecycleError, NotFound
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import (
    Answer,
    Inspection,
    InspectionType,
    Inspector,
    PartySnapshot,
    canonical_bytes,
    content_hash,
)
from inspector_app.core.reviews import Decision, ReviewEvent
from inspector_app.storage.store import Store

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
ZHANG = Inspector("张三", "42080220230012", "u-zhang")
LI = Inspector("李四", "42080220230013", "u-li")


def make_finalized(
    store: Store,
    *,
    name: str = "老王面馆",
    started: datetime = T0,
    previous_id: str = "",
    version: int = 1,
    inspectors: tuple[Inspector, ...] = (ZHANG, LI),
    created_by: str = "u-zhang",
) -> str:
    """Insert a draft through the inspections repository and seal it (as the inspection service would)."""
    record = Inspection(
        id=str(uuid.uuid4()),
        business=PartySnapshot("91420802MA4XXXXX1X", name, "小餐饮", phone="13800000000", area="东宝区"),
        form_id="food.small_catering",
        form_version=1,
        inspection_type=InspectionType.ROUTINE,
        inspectors=list(inspectors),
        started_at=started,
        place="现场",
        version=version,
        previous_id=previous_id,
        answers={"CY01": Answer("CY01", "符合", Result.COMPLIANT, answered_at=started)},
        created_by=created_by,
    )
    store.inspections.create(record, family="food")
    sealed = replace(
        store.inspections.load(record.id),
        verdict="符合",
        handling="通过",
        document_no=f"DEV-{uuid.uuid4().hex[:8]}",
        finalized_at=started + timedelta(hours=1),
        status=RecordStatus.FINALIZED,
    )
    store.inspections.finalize(sealed, canonical_bytes(sealed).decode(), content_hash(sealed))
    return record.id


def event(record_id: str, decision: Decision, comment: str = "", at: datetime = T0, actor: str = "u-sup"):
    return ReviewEvent(str(uuid.uuid4()), record_id, decision, actor, "王审核", comment, at)


def test_approve_event_moves_status_in_the_same_transaction(store):
    rid = make_finalized(store)
    store.reviews.add_event(event(rid, Decision.APPROVED, "好"))
    assert store.inspections.summary(rid).status is RecordStatus.APPROVED
    [stored] = store.reviews.events_for(rid)
    assert (stored.decision, stored.actor_name, stored.comment, stored.decided_at) == (
        Decision.APPROVED,
        "王审核",
        "好",
        T0,
    )


def test_second_decision_on_a_decided_record_is_refused_and_writes_nothing(store):
    rid = make_finalized(store)
    store.reviews.add_event(event(rid, Decision.RETURNED, "照片不清"))
    with pytest.raises(LifecycleError, match="已退回"):
        store.reviews.add_event(event(rid, Decision.APPROVED))
    assert store.inspections.summary(rid).status is RecordStatus.RETURNED
    assert [e.decision for e in store.reviews.events_for(rid)] == [Decision.RETURNED]


def test_draft_cannot_be_decided_and_unknown_record_is_not_found(store):
    rid = make_finalized(store)
    draft_id = str(uuid.uuid4())
    record = replace(store.inspections.load(rid), id=draft_id, status=RecordStatus.DRAFT, document_no="")
    store.inspections.create(record)
    with pytest.raises(LifecycleError, match="草稿"):
        store.reviews.add_event(event(draft_id, Decision.APPROVED))
    with pytest.raises(NotFound):
        store.reviews.add_event(event(str(uuid.uuid4()), Decision.APPROVED))
    assert store.reviews.events_for(draft_id) == []


def test_event_insert_failure_rolls_back_the_status_change(store):
    rid = make_finalized(store)
    # A return without a comment breaks the table's CHECK after the status UPDATE already ran.
    with pytest.raises(Exception, match="审核记录"):
        store.reviews.add_event(event(rid, Decision.RETURNED, "   "))
    assert store.inspections.summary(rid).status is RecordStatus.FINALIZED


def test_events_cannot_be_updated_or_deleted_through_raw_sql(store):
    rid = make_finalized(store)
    store.reviews.add_event(event(rid, Decision.RETURNED, "缺少照片"))
    conn = store.db.conn
    with pytest.raises(sqlite3.IntegrityError, match="不可修改或删除"):
        conn.execute("UPDATE review_events SET comment = '改过了' WHERE inspection_id = ?", [rid])
    with pytest.raises(sqlite3.IntegrityError, match="不可修改或删除"):
        conn.execute("DELETE FROM review_events WHERE inspection_id = ?", [rid])
    assert [e.comment for e in store.reviews.events_for(rid)] == ["缺少照片"]


def test_event_must_reference_an_existing_record(store):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.db.conn.execute(
            "INSERT INTO review_events (id, inspection_id, decision, actor_id, decided_at)"
            " VALUES (?, 'nope', 'approved', 'x', '2026-01-01T00:00:00Z')",
            [str(uuid.uuid4())],
        )


def test_queue_lists_finalized_and_synced_oldest_first_with_inspectors(store):
    newer = make_finalized(store, name="新店", started=T0 + timedelta(days=1))
    older = make_finalized(store, name="老店", started=T0)
    synced = make_finalized(store, name="已同步店", started=T0 + timedelta(days=2))
    store.inspections.set_status(synced, RecordStatus.SYNCED)
    decided = make_finalized(store, name="已审店", started=T0 - timedelta(days=1))
    store.reviews.add_event(event(decided, Decision.APPROVED))
    queue = store.reviews.queue()
    assert [q.id for q in queue] == [older, newer, synced]
    assert queue[0].summary.business_name == "老店"
    assert queue[0].summary.area == "东宝区"
    assert queue[0].inspector_names == ("张三", "李四")
    assert queue[0].inspector_ids == ("u-zhang", "u-li")
    assert queue[0].previous_comment == ""


def test_corrected_version_carries_the_return_comment_into_the_queue(store):
    first = make_finalized(store)
    store.reviews.add_event(event(first, Decision.RETURNED, "地址写错"))
    second = make_finalized(store, previous_id=first, version=2, started=T0 + timedelta(hours=3))
    [item] = store.reviews.queue()
    assert (item.id, item.summary.version, item.previous_comment) == (second, 2, "地址写错")


def test_returned_for_shows_latest_comment_until_the_correction_is_finalized(store):
    rid = make_finalized(store)
    store.reviews.add_event(event(rid, Decision.RETURNED, "请补充照片", at=T0 + timedelta(hours=2)))
    [returned] = store.reviews.returned_for("u-li")
    assert (returned.inspection_id, returned.comment, returned.returned_by) == (rid, "请补充照片", "王审核")
    assert returned.returned_at == T0 + timedelta(hours=2)
    assert returned.successor_id == ""
    assert store.reviews.returned_for("u-other") == []
    assert store.reviews.returned_for("") == []
    # A draft correction keeps it listed (with the draft's id); a finalized one removes it.
    draft = replace(store.inspections.load(rid), id=str(uuid.uuid4()), previous_id=rid, version=2,
                    status=RecordStatus.DRAFT, document_no="", finalized_at=None)  # fmt: skip
    store.inspections.create(draft)
    assert store.reviews.returned_for("u-zhang")[0].successor_id == draft.id
    store.inspections.delete_draft(draft.id)
    make_finalized(store, previous_id=rid, version=2)
    assert store.reviews.returned_for("u-zhang") == []


def test_returned_for_matches_inspectors_without_user_id_by_name(store):
    legacy = Inspector("赵五", "42080220230099")
    rid = make_finalized(store, inspectors=(legacy, LI), created_by="")
    store.reviews.add_event(event(rid, Decision.RETURNED, "签名不清"))
    assert [r.inspection_id for r in store.reviews.returned_for("u-zhao", "赵五")] == [rid]
    # A listed user id is never matched by name (two inspectors may share a name).
    assert store.reviews.returned_for("u-x", "李四") == []


def test_document_sequences_count_up_per_prefix_and_never_repeat(store):
    assert [store.reviews.next_in_sequence("A-2026") for _ in range(3)] == [1, 2, 3]
    assert store.reviews.next_in_sequence("B-2026") == 1
    assert store.reviews.next_in_sequence("A-2026") == 4
