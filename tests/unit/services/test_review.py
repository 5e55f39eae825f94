"""ReviewService: approve, return with a required comment, roles, no self-review, and the correction loop."""

from __future__ import annotations

import pytest

from inspector_app.core.errors import LifecycleError, NotFound, PermissionDenied, ValidationError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import content_hash
from inspector_app.core.reviews import Decision
from tests.review_support import (
    ADMIN,
    BOSS,
    FIELD_BOSS,
    LI,
    ZHANG,
    add_business,
    corrected_version,
    finalized_record,
)


@pytest.fixture
def uscc(services) -> str:
    return add_business(services)


@pytest.fixture
def record_id(services, uscc) -> str:
    return finalized_record(services, uscc)


def test_finalized_record_is_in_the_queue_with_its_checklist_title(services, record_id):
    [item] = services.review.queue(BOSS)
    assert item.id == record_id
    assert item.summary.business_name == "老王面馆"
    assert item.summary.status is RecordStatus.FINALIZED
    assert item.form_title == "小餐饮监督检查要点表"
    assert item.inspector_names == ("张三", "李四")


def test_approve_records_who_when_and_comment_and_leaves_the_queue(services, clock, record_id):
    clock.advance(hours=5)
    event = services.review.approve(BOSS, record_id, "  记录完整  ")
    assert (event.decision, event.actor_id, event.actor_name, event.comment) == (
        Decision.APPROVED,
        "u-boss",
        "王审核",
        "记录完整",
    )
    assert event.decided_at == clock.now()
    assert services.inspections.get(record_id).status is RecordStatus.APPROVED
    assert services.review.queue(BOSS) == []
    assert services.review.events(record_id) == [event]


def test_decision_never_changes_the_record_content(services, record_id):
    before = services.inspections.get(record_id)
    services.review.approve(BOSS, record_id)
    after = services.inspections.get(record_id)
    assert after.content_hash == before.content_hash == content_hash(after)
    assert (after.answers, after.verdict, after.document_no) == (
        before.answers,
        before.verdict,
        before.document_no,
    )


@pytest.mark.parametrize("comment", ["", "   ", "\n"])
def test_return_requires_a_comment(services, record_id, comment):
    with pytest.raises(ValidationError, match="退回意见"):
        services.review.return_(BOSS, record_id, comment)
    assert services.inspections.get(record_id).status is RecordStatus.FINALIZED
    assert services.review.events(record_id) == []


def test_overlong_comment_is_refused(services, record_id):
    with pytest.raises(ValidationError, match="过长"):
        services.review.return_(BOSS, record_id, "改" * 1001)


@pytest.mark.parametrize("actor", [ZHANG, ADMIN, None])
def test_only_supervisors_review(services, record_id, actor):
    with pytest.raises(PermissionDenied):
        services.review.approve(actor, record_id)
    with pytest.raises(PermissionDenied):
        services.review.return_(actor, record_id, "改")
    with pytest.raises(PermissionDenied):
        services.review.queue(actor)
    assert services.inspections.get(record_id).status is RecordStatus.FINALIZED


def test_supervisor_cannot_review_a_record_he_inspected(services, uscc):
    own = finalized_record(services, uscc, actor=ZHANG, partner=FIELD_BOSS)
    with pytest.raises(PermissionDenied, match="本人参与检查"):
        services.review.approve(FIELD_BOSS, own)
    with pytest.raises(PermissionDenied, match="本人参与检查"):
        services.review.return_(FIELD_BOSS, own, "自己退回")
    services.review.approve(BOSS, own)  # another supervisor may


def test_decided_record_cannot_be_decided_again(services, record_id):
    services.review.approve(BOSS, record_id)
    with pytest.raises(LifecycleError, match="不在待审核状态"):
        services.review.return_(BOSS, record_id, "晚了")


def test_unknown_record_is_not_found(services):
    with pytest.raises(NotFound):
        services.review.approve(BOSS, "00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFound):
        services.review.events("00000000-0000-4000-8000-000000000000")


def test_synced_record_is_reviewable(services, record_id):
    services.inspections.mark_synced(record_id)
    assert [q.id for q in services.review.queue(BOSS)] == [record_id]
    services.review.return_(BOSS, record_id, "补充整改期限")
    assert services.inspections.get(record_id).status is RecordStatus.RETURNED


def test_return_new_version_finalize_back_in_queue_then_approve(services, clock, record_id):
    clock.advance(hours=1)
    returned = services.review.return_(BOSS, record_id, "请补拍后厨照片")
    assert services.review.queue(BOSS) == []
    # Both inspectors see it on their home page, with the comment and who returned it.
    for inspector in (ZHANG, LI):
        [mine] = services.review.returned_to_me(inspector)
        assert (mine.inspection_id, mine.comment, mine.returned_by) == (record_id, "请补拍后厨照片", "王审核")
        assert mine.returned_at == returned.decided_at
    assert services.review.returned_to_me(BOSS) == []

    clock.advance(hours=1)
    second = corrected_version(services, record_id)
    assert services.review.returned_to_me(ZHANG) == []
    [item] = services.review.queue(BOSS)
    assert (item.id, item.summary.version, item.summary.previous_id) == (second, 2, record_id)
    assert item.previous_comment == "请补拍后厨照片"

    clock.advance(hours=1)
    services.review.approve(BOSS, second, "已更正")
    assert services.inspections.get(second).status is RecordStatus.APPROVED
    assert services.inspections.get(record_id).status is RecordStatus.RETURNED
    history = services.review.history(second)
    assert [(e.inspection_id, e.decision, e.comment) for e in history] == [
        (record_id, Decision.RETURNED, "请补拍后厨照片"),
        (second, Decision.APPROVED, "已更正"),
    ]
    assert [e.decision for e in services.review.events(second)] == [Decision.APPROVED]


def test_returned_record_with_a_correction_in_progress_points_to_the_draft(services, record_id):
    services.review.return_(BOSS, record_id, "改地址")
    draft = services.inspections.new_version(ZHANG, record_id)
    [mine] = services.review.returned_to_me(ZHANG)
    assert mine.successor_id == draft.id


def test_returned_to_me_requires_login(services):
    with pytest.raises(PermissionDenied, match="登录"):
        services.review.returned_to_me(None)
