"""Contract tests for the registry repository (storage/businesses.py) on a real SQLite data home."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date

import pytest

from inspector_app.core.identifiers import make_uscc
from inspector_app.core.registry import Business, BusinessKind, Equipment, EquipmentType
from inspector_app.storage.businesses import BusinessRepository, UpsertOutcome
from inspector_app.storage.store import Store

T1 = "2025-01-01T00:00:00Z"
T2 = "2025-02-01T00:00:00Z"


def uscc(n: int) -> str:
    return make_uscc(f"91420802MA4{n:06d}")


def make_business(n: int = 1, **overrides: object) -> Business:
    values: dict[str, object] = {
        "uscc": uscc(n),
        "name": f"东宝区第{n}号小吃店",
        "kind": BusinessKind.SMALL_CATERING,
        "address": "荆门市东宝区象山大道1号",
        "area": "东宝区",
        "responsible": "张三",
        "phone": "13800000000",
        "licence_no": "JY14208020000001",
        "risk_grade": "B",
        "credit_score": 88.5,
    }
    values.update(overrides)
    return Business(**values)  # type: ignore[arg-type]


@pytest.fixture
def repo(store: Store) -> BusinessRepository:
    return store.businesses


def test_new_business_is_imported_with_a_uuid_and_reads_back_equal(repo: BusinessRepository) -> None:
    business = make_business(attributes={"online_sales": "是"}, licensed_on=date(2023, 5, 1))
    assert repo.upsert(business, "dbqd1hxcd", T1) is UpsertOutcome.IMPORTED
    stored = repo.get(business.uscc)
    assert stored is not None
    uuid.UUID(stored.id)
    assert stored == Business(**{**business.__dict__, "id": stored.id})


def test_unknown_uscc_reads_as_none(repo: BusinessRepository) -> None:
    assert repo.get(uscc(99)) is None


def test_same_values_again_are_unchanged_and_a_new_value_is_an_update_keeping_the_id(
    repo: BusinessRepository,
) -> None:
    repo.upsert(make_business(), "x", T1)
    first_id = repo.get(uscc(1)).id  # type: ignore[union-attr]
    assert repo.upsert(make_business(), "x", T2) is UpsertOutcome.UNCHANGED
    assert repo.upsert(make_business(phone="13911112222"), "x", T2) is UpsertOutcome.UPDATED
    stored = repo.get(uscc(1))
    assert stored is not None and stored.phone == "13911112222" and stored.id == first_id
    assert repo.count() == 1


def test_update_limited_to_fields_keeps_the_other_columns(repo: BusinessRepository) -> None:
    repo.upsert(make_business(phone="13800000000", address="老地址"), "x", T1)
    outcomes = repo.upsert_many(
        [(make_business(phone="", address="新地址"), "x")], T2, fields={"name", "address"}
    )
    assert outcomes == [UpsertOutcome.UPDATED]
    stored = repo.get(uscc(1))
    assert stored is not None and stored.address == "新地址" and stored.phone == "13800000000"


def test_a_uscc_repeated_in_one_batch_is_imported_then_updated(repo: BusinessRepository) -> None:
    rows = [(make_business(1), "a"), (make_business(2), "b"), (make_business(1, name="改名后的店"), "c")]
    assert repo.upsert_many(rows, T1) == [
        UpsertOutcome.IMPORTED,
        UpsertOutcome.IMPORTED,
        UpsertOutcome.UPDATED,
    ]
    assert repo.count() == 2
    assert repo.get(uscc(1)).name == "改名后的店"  # type: ignore[union-attr]


def test_upsert_many_is_all_or_nothing(repo: BusinessRepository) -> None:
    def rows() -> Iterator[tuple[Business, str]]:
        for n in range(1, 2500):
            yield make_business(n), "x"
        raise RuntimeError("file broke mid-way")

    with pytest.raises(RuntimeError):
        repo.upsert_many(rows(), T1)
    assert repo.count() == 0
    assert repo.search("小吃店") == []


def test_get_many_keeps_the_requested_order_and_skips_unknown_codes(repo: BusinessRepository) -> None:
    repo.upsert_many([(make_business(n), "x") for n in (1, 2, 3)], T1)
    found = repo.get_many([uscc(3), uscc(99), uscc(1)])
    assert [b.uscc for b in found] == [uscc(3), uscc(1)]


def test_list_is_ordered_by_name_with_limit_and_offset(repo: BusinessRepository) -> None:
    names = ["丙店", "甲店", "乙店"]
    repo.upsert_many([(make_business(n, name=name), "x") for n, name in enumerate(names, 1)], T1)
    assert [b.name for b in repo.list(limit=10)] == sorted(names)
    assert [b.name for b in repo.list(limit=1, offset=1)] == [sorted(names)[1]]
    assert repo.count() == 3


def test_renaming_moves_the_business_in_every_search_index(repo: BusinessRepository) -> None:
    repo.upsert(make_business(name="红山大酒店"), "hsdjd", T1)
    repo.upsert(make_business(name="象山小吃店"), "xsxcd", T2)
    for old in ("红", "红山", "红山大酒店", "hsdj"):
        assert repo.search(old) == [], old
    for new in ("象", "象山", "象山小吃", "xsxc"):
        assert [b.name for b in repo.search(new)] == ["象山小吃店"], new


def test_every_search_statement_uses_an_index(repo: BusinessRepository) -> None:
    repo.upsert(make_business(name="红山大酒店"), "hsdjd", T1)
    for query in ("红", "红山", "红山大酒", "hsdj", "hs", "914208", uscc(1), "荆门 红山"):
        for step, plan in repo.query_plans(query):
            assert plan, (query, step)
            for detail in plan:
                scans_table = detail.startswith("SCAN") and "VIRTUAL TABLE" not in detail
                assert not scans_table, (query, step.source, detail)
                assert "TEMP B-TREE" not in detail, (query, step.source, detail)


def test_stale_grams_never_match_after_a_raw_delete(store: Store, repo: BusinessRepository) -> None:
    repo.upsert(make_business(1, name="红山大酒店"), "hsdjd", T1)
    store.db.execute("DELETE FROM businesses WHERE uscc = ?", [uscc(1)])
    repo.upsert(make_business(2, name="象山小吃店"), "xsxcd", T1)
    assert repo.search("红山") == []


def test_equipment_is_upserted_by_code_and_listed_for_its_owner(repo: BusinessRepository) -> None:
    repo.upsert(make_business(kind=BusinessKind.EQUIPMENT_UNIT), "x", T1)
    lift = Equipment("311042082202300001", uscc(1), EquipmentType.ELEVATOR, "梯11鄂H00001", date(2026, 3, 1))
    assert repo.upsert_equipment([lift]) == 1
    repo.upsert_equipment([Equipment(lift.code, uscc(1), EquipmentType.ELEVATOR, location="1号楼")])
    (stored,) = repo.equipment_of(uscc(1))
    assert stored.location == "1号楼" and stored.type is EquipmentType.ELEVATOR
    assert repo.equipment_of(uscc(2)) == []


def test_equipment_of_an_unregistered_owner_is_refused(repo: BusinessRepository) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        repo.upsert_equipment([Equipment("311042082202300002", uscc(5), EquipmentType.BOILER)])


def test_raw_sql_edits_never_give_wrong_hits_and_a_rebuild_repairs_the_index(
    store: Store, repo: BusinessRepository
) -> None:
    repo.upsert(make_business(1, name="红山大酒店"), "hsdjd", T1)
    repo.upsert(make_business(2, name="象山小吃店"), "xsxcd", T1)
    store.db.execute("DELETE FROM businesses WHERE uscc = ?", [uscc(1)])
    store.db.execute("UPDATE businesses SET name = '龙泉面馆', initials = 'lqmg' WHERE uscc = ?", [uscc(2)])
    for query in ("红山", "红山大酒", "hsdj", "象山小吃", "xsxc"):
        assert repo.search(query) == [], query
    repo.rebuild_search_index()
    for query in ("龙泉", "龙泉面馆", "泉面", "lqm"):
        assert [b.uscc for b in repo.search(query)] == [uscc(2)], query
