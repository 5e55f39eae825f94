"""Storage of draws: written once and frozen by triggers, snapshots kept once per hash, conflicts withdrawn
not deleted, follow-up outcomes never deleted."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from inspector_app.core.draw_document import DrawDocument
from inspector_app.core.draw_params import RosterEntry, make_params
from inspector_app.core.draws import RegistrySnapshot, run_draw
from inspector_app.core.planning import ConflictDeclaration, DrawTargetInfo
from inspector_app.paths import DataHome
from inspector_app.storage.draws import DrawRepository
from inspector_app.storage.store import Store

WHEN = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    store = Store(DataHome(tmp_path / "home"))
    yield store
    store.close()


def saved_draw(store):
    rows = [(f"X{i:02d}", "小餐饮", "东宝区", "ABCD"[i % 4], "", "") for i in range(10)]
    snapshot = RegistrySnapshot(rows)
    params = make_params(size=3, roster=[RosterEntry("a", "东宝区"), RosterEntry("b", "东宝区")])
    document = DrawDocument.confirm(run_draw("s", snapshot, params), WHEN, "u-sup")
    targets = [
        DrawTargetInfo(document.id, n, t.uscc, f"店{n}", "东宝区", "小餐饮", "A")
        for n, t in enumerate(document.result.targets, 1)
    ]
    repo = DrawRepository(store.db)
    repo.save(document, targets, snapshot.canonical_bytes, snapshot_rows=len(snapshot))
    return repo, document, snapshot


def test_a_saved_draw_reads_back(store):
    repo, document, snapshot = saved_draw(store)
    stored = repo.get(document.id)
    assert (stored.registry_hash, stored.result_sha256, stored.targets) == (
        snapshot.sha256,
        document.result.sha256,
        3,
    )
    assert repo.result_json(document.id).encode() == document.result.canonical_bytes()
    assert repo.snapshot(snapshot.sha256) == snapshot.canonical_bytes
    assert {u: t for u, t in repo.teams(document.id).items()} == {
        t.uscc: t.inspectors for t in document.result.targets
    }


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE draws SET seed = 'other'",
        "DELETE FROM draws",
        "UPDATE draw_targets SET uscc = 'Y'",
        "DELETE FROM assignments",
        "UPDATE assignments SET inspector_id = 'c'",
        "DELETE FROM draw_snapshots",
    ],
)
def test_a_confirmed_draw_cannot_be_changed_even_by_raw_sql(store, sql):
    saved_draw(store)
    with pytest.raises(sqlite3.IntegrityError, match="已确认的抽查结果不可修改"):
        store.db.execute(sql)


def test_the_same_snapshot_is_kept_once(store):
    repo, document, snapshot = saved_draw(store)
    repo.save_snapshot(snapshot.sha256, snapshot.canonical_bytes, len(snapshot), WHEN)
    assert store.db.execute("SELECT count(*) FROM draw_snapshots").fetchone()[0] == 1


def test_conflicts_are_withdrawn_not_deleted(store):
    repo = DrawRepository(store.db)
    declaration = ConflictDeclaration("c" * 36, "a", "X01", "近亲属", "u-sup", WHEN)
    repo.declare_conflict(declaration)
    repo.withdraw_conflict(declaration.id, "u-sup", WHEN)
    assert repo.conflicts() == []
    (kept,) = repo.conflicts(active_only=False)
    assert kept.withdrawn_at == WHEN and not kept.active
    repo.declare_conflict(
        ConflictDeclaration("d" * 36, "a", "X01", "再次申报", "u-sup", WHEN)
    )  # allowed again
    assert len(repo.conflicts()) == 1
