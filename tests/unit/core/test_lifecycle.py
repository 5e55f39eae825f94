"""The record lifecycle: allowed transitions, editability, Chinese messages."""

from __future__ import annotations

import itertools

import pytest

from inspector_app.core.errors import LifecycleError
from inspector_app.core.lifecycle import (
    REVIEWABLE,
    STATUS_LABELS,
    TRANSITIONS,
    RecordStatus,
    can_transition,
    check_correctable,
    check_editable,
    check_transition,
)

D, F, S, A, R = (
    RecordStatus.DRAFT,
    RecordStatus.FINALIZED,
    RecordStatus.SYNCED,
    RecordStatus.APPROVED,
    RecordStatus.RETURNED,
)
ALLOWED = {(D, F), (F, S), (F, A), (F, R), (S, A), (S, R)}


@pytest.mark.parametrize(("old", "new"), list(itertools.product(RecordStatus, repeat=2)))
def test_exactly_the_documented_transitions_are_allowed(old, new):
    assert can_transition(old, new) is ((old, new) in ALLOWED)


@pytest.mark.parametrize(("old", "new"), sorted(set(itertools.product(RecordStatus, repeat=2)) - ALLOWED))
def test_a_forbidden_transition_raises_with_both_labels_in_chinese(old, new):
    with pytest.raises(LifecycleError) as caught:
        check_transition(old, new)
    assert old.label in str(caught.value) and new.label in str(caught.value)


def test_only_drafts_are_editable():
    assert [s for s in RecordStatus if s.editable] == [D]
    check_editable(D)
    for status in (F, S, A, R):
        with pytest.raises(LifecycleError, match="新版本"):
            check_editable(status)


def test_only_finalized_or_returned_records_are_corrected_by_a_new_version():
    assert {s for s in RecordStatus if s.correctable} == {F, R}
    check_correctable(R)
    for status in (D, S, A):
        with pytest.raises(LifecycleError, match="只有已定稿或已退回的记录可以创建新版本"):
            check_correctable(status)


def test_a_supervisor_reviews_finalized_or_synced_records():
    assert {F, S} == REVIEWABLE
    assert all({A, R} <= TRANSITIONS[s] for s in REVIEWABLE)


def test_every_status_has_a_chinese_label():
    assert set(STATUS_LABELS) == set(RecordStatus)
    assert all(label and label.isascii() is False for label in STATUS_LABELS.values())
