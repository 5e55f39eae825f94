"""Contract tests of the inspection repository, the SQL immutability of finalized records and attachments."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from inspector_app.core.checklist import Result
from inspector_app.core.errors import LifecycleError, NotFound
from inspector_app.core.lifecycle import TRANSITIONS, RecordStatus
from inspector_app.core.records import (
    Answer,
    FiveImplementations,
    InspectionType,
    Inspector,
    RectificationOrder,
    Signature,
    SignerRole,
    canonical_bytes,
    content_hash,
)
from inspector_app.core.summaries import FollowUp, FollowUpStatus, InspectionQuery
from inspector_app.storage.db import StorageError
from inspector_app.storage.schema_inspections import CHILD_TABLES, CONTENT_COLUMNS
from tests.builders import T0, USCC_B, make_draft, make_jpeg, make_party, make_signature_png


@pytest.fixture
def repo(store):
    return store.inspections


def photo(store, seed: str = "red"):
    return store.attachments.put(make_jpeg(color=seed), "photo", "image/jpeg", 64, 48)


def full_draft(store, **overrides):
    """A draft with answers, a photo, an order with 五落实, inspector and party signatures."""
    record = make_draft(**overrides)
    pic = photo(store)
    ink = store.attachments.put(make_signature_png(), "signature", "image/png", 300, 120)
    record.answers = {
        "K1": Answer("K1", "符合", Result.COMPLIANT, "", [], T0),
        "G1": Answer("G1", "不符合", Result.NONCOMPLIANT, "地面油污", [pic.sha256], T0),
    }
    hazard = FiveImplementations("王红山", "清理并加装挡鼠板", date(2026, 3, 9), "500元", "已制定")
    record.orders = [RectificationOrder(str(uuid.uuid4()), "G1", "清理地面油污", date(2026, 3, 10), hazard)]
    record.signatures = [
        Signature(SignerRole.INSPECTOR, "李明", ink.sha256, signed_at=T0),
        Signature(SignerRole.PARTY, "王红山", refused=True, refusal_reason="不愿签字", witness_name="赵六"),
    ]
    store.inspections.create(record)  # family from the form id prefix
    return record


def seal(repo, record_id: str, **fields) -> str:
    """Finalize through the repository the way the service does; returns the hash."""
    record = repo.load(record_id)
    record.verdict = fields.get("verdict", "基本符合")
    record.handling = "书面限期整改"
    record.finalized_at = fields.get("finalized_at", T0 + timedelta(hours=1))
    record.document_no = fields.get("document_no", repo.next_document_no("JM-TEST-2026"))
    digest = content_hash(record)
    repo.finalize(record, canonical_bytes(record).decode(), digest, fields.get("followups", ()))
    return digest


# -- round trips ---------------------------------------------------------------------------------------------


def test_a_draft_round_trips_with_all_its_parts(store, repo):
    record = full_draft(store)
    loaded = repo.load(record.id)
    assert loaded.business == record.business
    assert loaded.inspectors == record.inspectors
    assert loaded.answers["G1"].photos == record.answers["G1"].photos
    assert loaded.answers["G1"].result is Result.NONCOMPLIANT
    assert loaded.orders == record.orders
    assert [s.signer_name for s in loaded.signatures] == ["李明", "王红山"]
    assert loaded.signatures[1].refused and loaded.signatures[1].witness_name == "赵六"
    assert set(loaded.attachments) == {record.answers["G1"].photos[0], record.signatures[0].image_sha256}
    assert loaded.status is RecordStatus.DRAFT and loaded.attributes == record.attributes


def test_load_of_an_unknown_id_raises_not_found(repo):
    with pytest.raises(NotFound):
        repo.load(str(uuid.uuid4()))


def test_save_answer_overwrites_the_previous_answer_of_the_item(store, repo):
    record = make_draft()
    repo.create(record)
    repo.save_answer(record.id, Answer("K1", "符合", Result.COMPLIANT, "ok", [], T0))
    repo.save_answer(record.id, Answer("K1", "不符合", Result.NONCOMPLIANT, "", [], T0), keep_note=True)
    stored = repo.load(record.id).answers["K1"]
    assert (stored.value, stored.result, stored.note) == ("不符合", Result.NONCOMPLIANT, "ok")
    repo.save_answer(record.id, Answer("K1", "符合", Result.COMPLIANT, "", [], T0))
    assert repo.load(record.id).answers["K1"].note == ""


def test_photos_keep_their_order_and_adding_one_twice_is_a_no_op(store, repo):
    record = make_draft()
    repo.create(record)
    first, second = photo(store, "red"), photo(store, "blue")
    for sha in (first.sha256, second.sha256, first.sha256):
        repo.add_photo(record.id, "K2", sha)
    assert repo.load(record.id).answers["K2"].photos == [first.sha256, second.sha256]
    repo.remove_photo(record.id, "K2", first.sha256)
    assert repo.load(record.id).answers["K2"].photos == [second.sha256]


def test_set_photos_replaces_and_reorders_an_items_photos(store, repo):
    record = make_draft()
    repo.create(record)
    first, second = photo(store, "red"), photo(store, "blue")
    repo.set_photos(record.id, "K2", [second.sha256, first.sha256, second.sha256])
    assert repo.load(record.id).answers["K2"].photos == [second.sha256, first.sha256]
    repo.set_photos(record.id, "K2", [first.sha256])
    assert repo.load(record.id).answers["K2"].photos == [first.sha256]


def test_a_photo_must_be_a_stored_attachment(repo):
    record = make_draft()
    repo.create(record)
    with pytest.raises(StorageError):
        repo.add_photo(record.id, "K1", "0" * 64)


def test_the_party_signs_once_a_new_party_signature_replaces_the_refusal(store, repo):
    record = full_draft(store)
    ink = store.attachments.put(make_signature_png(7), "signature", "image/png", 300, 120)
    repo.save_signature(record.id, Signature(SignerRole.PARTY, "王小红", ink.sha256, signed_at=T0))
    party = [s for s in repo.load(record.id).signatures if s.role is SignerRole.PARTY]
    assert [(s.signer_name, s.refused) for s in party] == [("王小红", False)]


def test_update_details_changes_only_draft_header_fields(repo):
    record = make_draft()
    repo.create(record)
    crew = [Inspector("甲", "1"), Inspector("乙", "2"), Inspector("丙", "3")]
    repo.update_details(record.id, place="后厨", recusal_requested=True, inspectors=crew)
    loaded = repo.load(record.id)
    assert (loaded.place, loaded.recusal_requested, loaded.inspectors) == ("后厨", True, crew)
    with pytest.raises(ValueError):
        repo.update_details(record.id, verdict="符合")


def test_orders_can_be_removed_from_a_draft(store, repo):
    record = full_draft(store)
    repo.remove_order(record.id, record.orders[0].id)
    assert repo.load(record.id).orders == []


def test_a_draft_can_be_deleted_with_its_parts(store, repo):
    record = full_draft(store)
    repo.delete_draft(record.id)
    assert not repo.exists(record.id)
    assert store.db.execute("SELECT count(*) FROM answers").fetchone()[0] == 0


# -- finalization ----------------------------------------------------------------------------------------------


def test_finalize_stores_the_hash_of_exactly_what_load_returns(store, repo):
    record = full_draft(store)
    digest = seal(repo, record.id)
    loaded = repo.load(record.id)
    assert loaded.status is RecordStatus.FINALIZED
    assert loaded.content_hash == digest == content_hash(loaded)
    assert repo.canonical_json(record.id).encode() == canonical_bytes(loaded)


def test_finalize_with_a_hash_that_does_not_match_the_stored_content_keeps_the_draft(store, repo):
    record = full_draft(store)
    loaded = repo.load(record.id)
    loaded.finalized_at = T0
    with pytest.raises(StorageError):
        repo.finalize(loaded, "{}", "0" * 64)
    assert repo.summary(record.id).status is RecordStatus.DRAFT


def test_finalize_twice_is_refused(store, repo):
    record = full_draft(store)
    seal(repo, record.id)
    with pytest.raises(LifecycleError):
        seal(repo, record.id, document_no="JM-TEST-2026-999999")


def test_the_repository_refuses_every_change_to_a_finalized_record(store, repo):
    record = full_draft(store)
    seal(repo, record.id)
    attempts = [
        lambda: repo.save_answer(record.id, Answer("K1", "不符合", Result.NONCOMPLIANT)),
        lambda: repo.save_note(record.id, "K1", "x"),
        lambda: repo.add_photo(record.id, "K1", record.answers["G1"].photos[0]),
        lambda: repo.remove_order(record.id, record.orders[0].id),
        lambda: repo.save_signature(record.id, Signature(SignerRole.INSPECTOR, "张华")),
        lambda: repo.update_details(record.id, place="别处"),
        lambda: repo.delete_draft(record.id),
    ]
    for attempt in attempts:
        with pytest.raises(LifecycleError):
            attempt()
    assert content_hash(repo.load(record.id)) == repo.summary(record.id).content_hash


def test_document_numbers_count_up_within_a_series(store, repo):
    assert repo.next_document_no("JM-AB12-2026") == "JM-AB12-2026-000001"
    first = full_draft(store)
    seal(repo, first.id, document_no="JM-AB12-2026-000041")
    assert repo.next_document_no("JM-AB12-2026") == "JM-AB12-2026-000042"
    assert repo.next_document_no("JM-AB12-2027") == "JM-AB12-2027-000001"


# -- immutability through raw SQL -----------------------------------------------------------------------------


@pytest.fixture
def sealed(store, repo):
    record = full_draft(store)
    seal(repo, record.id)
    return record


def raw(store, sql: str, params=()) -> None:
    store.db.conn.execute(sql, params)


@pytest.mark.parametrize("column", [c for c in CONTENT_COLUMNS if c != "id"])
def test_raw_sql_cannot_update_any_content_column_of_a_finalized_record(store, sealed, column):
    value = 99 if column in ("version", "form_version", "score", "recusal_requested") else "篡改"
    with pytest.raises(sqlite3.IntegrityError, match="已定稿"):
        raw(store, f"UPDATE inspections SET {column} = ? WHERE id = ?", [value, sealed.id])


def test_raw_sql_cannot_change_the_id_or_delete_a_finalized_record(store, sealed):
    with pytest.raises(sqlite3.IntegrityError, match="已定稿"):
        raw(store, "UPDATE inspections SET id = ? WHERE id = ?", [str(uuid.uuid4()), sealed.id])
    with pytest.raises(sqlite3.IntegrityError, match="已定稿"):
        raw(store, "DELETE FROM inspections WHERE id = ?", [sealed.id])


CHILD_MUTATIONS = {
    "answers": [
        ("INSERT INTO answers (inspection_id, code, value) VALUES (?, 'NEW1', '符合')", 1),
        ("UPDATE answers SET value = '符合', result = '符合' WHERE inspection_id = ?", 1),
        ("UPDATE answers SET note = '' WHERE inspection_id = ?", 1),
        ("DELETE FROM answers WHERE inspection_id = ?", 1),
    ],
    "answer_photos": [
        (
            "INSERT INTO answer_photos SELECT inspection_id, 'K1', sha256, 5 FROM answer_photos WHERE inspection_id = ?",
            1,
        ),
        ("UPDATE answer_photos SET position = 9 WHERE inspection_id = ?", 1),
        ("DELETE FROM answer_photos WHERE inspection_id = ?", 1),
    ],
    "orders": [
        (
            "INSERT INTO orders (id, inspection_id, position, item_code, requirement, deadline) "
            "VALUES ('o-new', ?, 5, 'K1', '新增', '2026-04-01')",
            1,
        ),
        ("UPDATE orders SET deadline = '2030-01-01' WHERE inspection_id = ?", 1),
        ("DELETE FROM orders WHERE inspection_id = ?", 1),
    ],
    "signatures": [
        (
            "INSERT INTO signatures (inspection_id, position, role, signer_name) VALUES (?, 9, 'inspector', '假冒')",
            1,
        ),
        ("UPDATE signatures SET signer_name = '他人' WHERE inspection_id = ?", 1),
        ("DELETE FROM signatures WHERE inspection_id = ?", 1),
    ],
}


def test_every_child_table_is_covered_by_the_mutation_cases():
    assert set(CHILD_MUTATIONS) == set(CHILD_TABLES)


@pytest.mark.parametrize(
    "sql",
    [sql for cases in CHILD_MUTATIONS.values() for sql, _ in cases],
    ids=lambda s: s.split(" (")[0][:40],
)
def test_raw_sql_cannot_insert_update_or_delete_parts_of_a_finalized_record(store, sealed, sql):
    before = {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in CHILD_TABLES}
    with pytest.raises(sqlite3.IntegrityError, match="已定稿"):
        raw(store, sql, [sealed.id])
    after = {t: store.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in CHILD_TABLES}
    assert after == before


@pytest.mark.parametrize("sql", [sql for cases in CHILD_MUTATIONS.values() for sql, _ in cases])
def test_the_same_raw_sql_is_allowed_while_the_record_is_a_draft(store, sql):
    record = full_draft(store)
    raw(store, sql, [record.id])  # proves the refusals above come from the status, not from bad SQL


def test_raw_sql_cannot_repoint_a_part_of_a_draft_to_a_finalized_record(store, sealed):
    draft = full_draft(store)
    with pytest.raises(sqlite3.IntegrityError, match="已定稿"):
        raw(store, "UPDATE answers SET inspection_id = ? WHERE inspection_id = ?", [sealed.id, draft.id])


ALL_STATUSES = list(RecordStatus)


@pytest.mark.parametrize("old", [s for s in ALL_STATUSES if s is not RecordStatus.DRAFT])
@pytest.mark.parametrize("new", ALL_STATUSES)
def test_raw_status_updates_follow_the_core_lifecycle(store, repo, old, new):
    record = full_draft(store)
    seal(repo, record.id)
    path = {
        RecordStatus.FINALIZED: [],
        RecordStatus.SYNCED: [RecordStatus.SYNCED],
        RecordStatus.APPROVED: [RecordStatus.APPROVED],
        RecordStatus.RETURNED: [RecordStatus.SYNCED, RecordStatus.RETURNED],
    }[old]
    for step in path:
        repo.set_status(record.id, step)
    allowed = new is old or new in TRANSITIONS[old]
    if allowed:
        raw(store, "UPDATE inspections SET status = ? WHERE id = ?", [new.value, record.id])
        assert repo.summary(record.id).status is new
    else:
        with pytest.raises(sqlite3.IntegrityError):
            raw(store, "UPDATE inspections SET status = ? WHERE id = ?", [new.value, record.id])


def test_raw_sql_cannot_finalize_a_draft_without_hash_and_canonical_content(store):
    record = full_draft(store)
    with pytest.raises(sqlite3.IntegrityError):
        raw(store, "UPDATE inspections SET status = 'finalized' WHERE id = ?", [record.id])
    with pytest.raises(sqlite3.IntegrityError):
        raw(store, "UPDATE inspections SET status = 'approved' WHERE id = ?", [record.id])


def test_set_status_checks_the_lifecycle_before_writing(store, repo):
    record = full_draft(store)
    with pytest.raises(LifecycleError):
        repo.set_status(record.id, RecordStatus.APPROVED)
    seal(repo, record.id)
    repo.set_status(record.id, RecordStatus.RETURNED)
    with pytest.raises(LifecycleError):
        repo.set_status(record.id, RecordStatus.APPROVED)


def test_attachments_are_never_updated_and_referenced_ones_never_deleted(store, sealed):
    sha = sealed.answers["G1"].photos[0]
    with pytest.raises(sqlite3.IntegrityError):
        raw(store, "UPDATE attachments SET size = 1 WHERE sha256 = ?", [sha])
    with pytest.raises(sqlite3.IntegrityError):
        raw(store, "DELETE FROM attachments WHERE sha256 = ?", [sha])


# -- lists, versions, follow-ups -------------------------------------------------------------------------------


def test_list_filters_combine(store, repo):
    a = full_draft(store, started_at=T0, form_id="food.test_catering")
    b = full_draft(
        store,
        started_at=T0 + timedelta(days=3),
        form_id="equipment.test_elevator",
        business=make_party(uscc=USCC_B, area="掇刀区", name="掇刀电梯公司"),
    )
    seal(repo, a.id, verdict="基本符合")
    assert {s.id for s in repo.list()} == {a.id, b.id}
    assert [s.id for s in repo.list(InspectionQuery(status=RecordStatus.DRAFT))] == [b.id]
    assert [s.id for s in repo.list(InspectionQuery(area="掇刀区"))] == [b.id]
    assert [s.id for s in repo.list(InspectionQuery(uscc=USCC_B))] == [b.id]
    assert [s.id for s in repo.list(InspectionQuery(form_prefix="food."))] == [a.id]
    assert [s.id for s in repo.list(InspectionQuery(family="equipment"))] == [b.id]
    assert [s.id for s in repo.list(InspectionQuery(verdict="基本符合"))] == [a.id]
    window = InspectionQuery(date_from=T0 + timedelta(days=1), date_to=T0 + timedelta(days=5))
    assert [s.id for s in repo.list(window)] == [b.id]
    assert [s.id for s in repo.list(InspectionQuery(limit=1))] == [b.id]  # newest first
    assert repo.list(InspectionQuery(status=RecordStatus.APPROVED)) == []


def test_list_summaries_carry_status_verdict_and_hash(store, repo):
    record = full_draft(store)
    digest = seal(repo, record.id)
    (summary,) = repo.list()
    assert (summary.status, summary.verdict, summary.content_hash) == (
        RecordStatus.FINALIZED,
        "基本符合",
        digest,
    )
    assert summary.business_name == record.business.name and summary.family == "food"


def test_drafts_are_listed_per_creator(repo):
    mine, theirs = make_draft(created_by="u-li"), make_draft(created_by="u-zhang")
    repo.create(mine)
    repo.create(theirs)
    assert [s.id for s in repo.drafts("u-li")] == [mine.id]


def test_versions_returns_the_whole_chain_from_any_member(store, repo):
    v1 = full_draft(store)
    seal(repo, v1.id)
    v2 = make_draft(previous_id=v1.id, version=2)
    repo.create(v2)
    assert repo.successor(v1.id) == v2.id
    for member in (v1.id, v2.id):
        assert [s.id for s in repo.versions(member)] == [v1.id, v2.id]


def make_followup(record, due: date, uscc: str | None = None) -> FollowUp:
    return FollowUp(
        str(uuid.uuid4()), record.id, record.orders[0].id if record.orders else str(uuid.uuid4()),
        uscc or record.business.uscc, record.business.name, "G1", "清理", due,
    )  # fmt: skip


def test_followups_are_created_with_the_finalization_and_filtered_by_due_date(store, repo):
    record = full_draft(store)
    due = date(2026, 3, 10)
    seal(repo, record.id, followups=[make_followup(record, due)])
    assert [f.due_date for f in repo.followups(due_from=date(2026, 3, 10), due_to=date(2026, 3, 12))] == [due]
    assert repo.followups(due_to=date(2026, 3, 9)) == []
    (task,) = repo.followups()
    repo.complete_followup(task.id, "visit-2")
    assert repo.followups() == []
    assert repo.followups(status=None)[0].status is FollowUpStatus.DONE


def test_a_follow_up_visit_closes_the_open_tasks_of_the_business(store, repo):
    first = full_draft(store)
    seal(repo, first.id, followups=[make_followup(first, date(2026, 3, 10))])
    visit = full_draft(store, inspection_type=InspectionType.FOLLOW_UP)
    loaded = repo.load(visit.id)
    loaded.verdict, loaded.finalized_at, loaded.document_no = "符合", T0, "JM-T-2026-000009"
    repo.finalize(
        loaded,
        canonical_bytes(loaded).decode(),
        content_hash(loaded),
        (),
        close_followups_of=first.business.uscc,
    )
    (task,) = repo.followups(status="done")
    assert task.done_inspection_id == visit.id


def test_a_new_version_replaces_the_open_follow_ups_of_the_old_one(store, repo):
    v1 = full_draft(store)
    seal(repo, v1.id, followups=[make_followup(v1, date(2026, 3, 10))])
    v2 = full_draft(store, previous_id=v1.id, version=2)
    seal(repo, v2.id, followups=[make_followup(v2, date(2026, 3, 20))], document_no="JM-T-2026-000002")
    assert [(f.inspection_id, f.due_date) for f in repo.followups()] == [(v2.id, date(2026, 3, 20))]


# -- attachments ----------------------------------------------------------------------------------------------


def test_put_is_content_addressed_and_idempotent(store):
    data = make_jpeg()
    first = store.attachments.put(data, "photo", "image/jpeg", 64, 48)
    again = store.attachments.put(data, "photo", "image/jpeg", 64, 48)
    assert first == again and first.sha256 == hashlib.sha256(data).hexdigest()
    path = store.attachments.path_for(first.sha256)
    assert path.parent.name == first.sha256[:2] and store.attachments.get_bytes(first.sha256) == data


def test_the_file_is_complete_on_disk_before_its_row_exists(store):
    attachments = store.attachments

    def file_complete(sha: str) -> int:
        path = attachments.path_for(sha)
        return int(path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == sha)

    store.db.conn.create_function("file_complete", 1, file_complete)
    store.db.conn.execute(
        "CREATE TEMP TRIGGER check_file BEFORE INSERT ON attachments WHEN NOT file_complete(NEW.sha256) "
        "BEGIN SELECT RAISE(ABORT, 'row before file'); END"
    )
    attachments.put(make_jpeg(color="green"), "photo", "image/jpeg", 64, 48)  # would abort otherwise


def test_a_failed_rename_leaves_no_row_no_file_and_no_partial_file(store, monkeypatch):
    data = make_jpeg(color="yellow")
    sha = hashlib.sha256(data).hexdigest()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    from inspector_app.storage.db import DiskFull

    with pytest.raises(DiskFull, match="磁盘空间已满"):  # ENOSPC is said as a full disk
        store.attachments.put(data, "photo", "image/jpeg")
    assert store.attachments.get(sha) is None
    folder = store.attachments.path_for(sha).parent
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_file_is_fsynced_before_it_is_renamed_into_place(store, monkeypatch):
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    store.attachments.put(make_jpeg(color="purple"), "photo", "image/jpeg")
    assert calls.index("fsync") < calls.index("replace")


def test_a_corrupted_or_missing_file_is_detected(store):
    att = store.attachments.put(make_jpeg(color="black"), "photo", "image/jpeg")
    path = store.attachments.path_for(att.sha256)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(StorageError):
        store.attachments.get_bytes(att.sha256)
    assert store.attachments.verify_all() == [att.sha256]
    path.unlink()
    with pytest.raises(NotFound):
        store.attachments.get_bytes(att.sha256)
    store.attachments.put(make_jpeg(color="black"), "photo", "image/jpeg")  # heals by rewriting the file
    assert store.attachments.verify_all() == []


def test_finalized_at_round_trips_in_utc(store, repo):
    record = full_draft(store)
    seal(repo, record.id, finalized_at=datetime(2026, 3, 2, 16, 30, tzinfo=UTC))
    assert repo.load(record.id).finalized_at == datetime(2026, 3, 2, 16, 30, tzinfo=UTC)
