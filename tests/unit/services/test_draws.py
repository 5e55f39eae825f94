"""DrawService: the snapshot and roster from the data home, preview/confirm, assignments, drawn visits,
verification after the registry changed, portable documents, conflicts of interest, roles."""

from __future__ import annotations

import json

import pytest

from inspector_app.core.draw_document import read_draw_file
from inspector_app.core.errors import PermissionDenied, ValidationError
from inspector_app.core.planning import VisitState
from inspector_app.core.records import content_hash
from inspector_app.services.draws import DrawRequest
from tests.builders import make_library
from tests.unit.services.planning_support import (
    DONGBAO,
    DUODAO,
    SUPERVISOR,
    catering_in,
    crew,
    fill,
    finish,
    make_home,
    visit,
)

LEAD = DONGBAO[0]


@pytest.fixture
def forms():
    return make_library()


@pytest.fixture
def services(services, store):
    """The conftest services over a home with a generated registry and the planning accounts."""
    fill(store)
    return services


def request(**overrides):
    fields = {"seed": "2026年3月第1批", "size": 6, "areas": ("东宝区",), "window_to": "2026-03-31"}
    fields.update(overrides)
    return DrawRequest(**fields)


def test_the_snapshot_carries_risk_grades_and_the_last_inspectors(services):
    uscc = catering_in(services, "东宝区")[0]
    visit(services, LEAD, uscc, {"K1": "不符合"})
    row = next(r for r in services.draws.snapshot().rows if r[0] == uscc)
    assert row[4] == "2026-03-02" and row[5] == "u-db-1,u-db-2"
    assert row[3] == services.risk.assess(uscc).grade
    assert len(services.draws.snapshot()) == services.registry.count()


def test_the_roster_is_the_active_inspectors_with_an_area(services):
    assert {(r.id, r.area) for r in services.draws.roster()} == {(u.id, u.area) for u in DONGBAO + DUODAO}


def test_preview_draws_area_bound_pairs_and_confirm_saves_assignments(services):
    preview = services.draws.preview(SUPERVISOR, request())
    assert len(preview.targets) == 6 and preview.warnings == ()
    dongbao = {u.id for u in DONGBAO}
    for target in preview.result.targets:
        assert len(target.inspectors) == 2 and set(target.inspectors) <= dongbao
    assert all(t.area == "东宝区" and t.business_name for t in preview.targets)
    saved = services.draws.confirm(SUPERVISOR, preview)
    assert (saved.targets, saved.title, str(saved.window_to)) == (6, "", "2026-03-31")
    assert services.draws.confirm(SUPERVISOR, preview).id == saved.id  # confirming twice is one draw
    assert [d.id for d in services.draws.list()] == [saved.id]
    mine = services.draws.assignments(LEAD)
    expected = [t.uscc for t in preview.result.targets if LEAD.id in t.inspectors]
    assert sorted(a.target.uscc for a in mine) == sorted(expected)
    assert all(a.state is VisitState.PENDING and str(a.due_date) == "2026-03-31" for a in mine)


def test_the_same_request_on_the_same_data_gives_the_same_bytes(services):
    first = services.draws.preview(SUPERVISOR, request()).result.canonical_bytes()
    assert services.draws.preview(SUPERVISOR, request()).result.canonical_bytes() == first


def test_only_supervisors_and_administrators_draw(services):
    with pytest.raises(PermissionDenied):
        services.draws.preview(LEAD, request())


def test_a_drawn_visit_carries_the_draw_id_and_moves_the_assignment_along(services):
    saved = services.draws.confirm(SUPERVISOR, services.draws.preview(SUPERVISOR, request(kinds=("小餐饮",))))
    target, team = next(iter(services.draws.teams(saved.id).items()))
    lead = next(u for u in DONGBAO if u.id == team[0])
    outsider = next(u for u in DONGBAO if u.id not in team)
    with pytest.raises(PermissionDenied, match="未分配给你"):
        services.draws.start_visit(outsider, saved.id, target, "food.test_catering")
    record = services.draws.start_visit(lead, saved.id, target, "food.test_catering")
    assert record.attributes["draw_id"] == saved.id and record.inspection_type.value == "双随机抽查"
    assert [i.user_id for i in record.inspectors] == list(team)
    assert services.draws.progress(saved.id).in_progress == 1
    with pytest.raises(ValidationError, match="已有检查记录"):
        services.draws.start_visit(lead, saved.id, target, "food.test_catering")
    finish(services, lead, record.id)
    sealed = services.inspections.get(record.id)
    assert sealed.content_hash == content_hash(sealed)  # the draw id is part of the hashed record
    progress = services.draws.progress(saved.id)
    assert (progress.done, progress.in_progress, progress.total) == (1, 0, 6)
    assert progress.by_area["东宝区"] == (1, 6)
    done = next(a for a in services.draws.assignments(lead) if a.target.uscc == target)
    assert done.state is VisitState.DONE and done.visit.document_no == sealed.document_no


def test_a_saved_draw_verifies_after_the_registry_changed(services, tmp_path):
    saved = services.draws.confirm(SUPERVISOR, services.draws.preview(SUPERVISOR, request()))
    document = services.draws.document(saved.id).canonical_bytes()
    assert services.draws.verify(document).matches
    # the registry moves on: a new inspection changes a risk grade and a last-inspection day
    visit(services, LEAD, catering_in(services, "东宝区")[1], {"K1": "不符合"})
    check = services.draws.verify(document)
    assert (check.matches, check.snapshot_source) == (True, "saved")
    # elsewhere, without the saved snapshot: refused with the reason, then verified from the exported file
    other = make_home(tmp_path / "other")
    try:
        visit(other, LEAD, catering_in(other, "东宝区")[1], {"K1": "不符合"})
        refused = other.draws.verify(document)
        assert not refused.matches and "名录已变化" in refused.problems[0]
        assert other.draws.verify(document, services.draws.snapshot_bytes(saved.id)).matches
    finally:
        other.close()


def test_a_tampered_result_fails_verification_and_says_what_differs(services):
    result = services.draws.preview(SUPERVISOR, request()).result
    data = json.loads(result.canonical_bytes())
    data["targets"][0]["inspectors"].reverse()
    check = services.draws.verify(json.dumps(data, ensure_ascii=False).encode())
    assert not check.matches and check.problems[0].startswith("第 1 个抽中对象")
    data = json.loads(result.canonical_bytes())
    data["seed"] = "另一个种子"
    assert not services.draws.verify(json.dumps(data, ensure_ascii=False).encode()).matches


def test_a_draw_document_moves_to_another_data_home(services, tmp_path):
    saved = services.draws.confirm(SUPERVISOR, services.draws.preview(SUPERVISOR, request(title="三月抽查")))
    document = services.draws.document(saved.id).canonical_bytes()
    result, parsed = read_draw_file(document)
    assert parsed is not None and parsed.id == saved.id and result.params.title == "三月抽查"
    laptop = make_home(tmp_path / "laptop")
    try:
        imported = laptop.draws.import_document(SUPERVISOR, document, services.draws.snapshot_bytes(saved.id))
        assert (imported.id, imported.origin, imported.targets) == (saved.id, "imported", 6)
        assert laptop.draws.targets(saved.id) == services.draws.targets(saved.id)
        assert laptop.draws.assignments(LEAD) == services.draws.assignments(LEAD)
        assert laptop.draws.verify(document).snapshot_source == "saved"
    finally:
        laptop.close()
    tampered = json.loads(document)
    tampered["result"]["seed"] = "x"
    with pytest.raises(ValidationError, match="可能被改动"):
        services.draws.import_document(SUPERVISOR, json.dumps(tampered, ensure_ascii=False).encode())


def test_declared_conflicts_keep_an_inspector_away_from_a_business(services):
    targets = catering_in(services, "东宝区")[:3]
    for uscc in targets:
        services.draws.declare_conflict(SUPERVISOR, "u-db-1", uscc, "近亲属经营")
    with pytest.raises(ValidationError, match="已有有效的回避声明"):
        services.draws.declare_conflict(SUPERVISOR, "u-db-1", targets[0], "重复")
    with pytest.raises(PermissionDenied, match="只能为自己"):
        services.draws.declare_conflict(DONGBAO[1], "u-db-1", targets[0], "代报")
    own = services.draws.declare_conflict(DONGBAO[1], "u-db-2", targets[0], "曾在该店任职")
    assert [c.uscc for c in services.draws.conflicts(DONGBAO[1])] == [targets[0]]
    preview = services.draws.preview(SUPERVISOR, request(size=40, kinds=("小餐饮",)))
    params = preview.result.params
    assert len(params.conflicts) == 4
    for target in preview.result.targets:
        if target.uscc in targets:
            assert "u-db-1" not in target.inspectors
    services.draws.withdraw_conflict(SUPERVISOR, own.id)
    assert len(services.draws.params(request()).conflicts) == 3


def test_warnings_name_areas_without_enough_inspectors(services, store):
    for user in DUODAO[1:]:
        store.accounts.set_active(user.id, False)
    preview = services.draws.preview(SUPERVISOR, request(areas=("掇刀区",)))
    assert preview.result.targets == ()
    assert any("掇刀区" in w for w in preview.warnings)
    assert any("只抽到 0 户" in w for w in preview.warnings)


def test_low_risk_grades_can_be_left_out_and_weights_come_from_the_rules(services):
    preview = services.draws.preview(SUPERVISOR, request(grades=("c", "d"), size=100))
    grades = {t.risk_grade for t in preview.targets}
    assert grades <= {"C", "D"} and preview.result.params.weights == {"A": 1, "B": 2, "C": 4, "D": 8}


def test_a_crew_without_user_ids_is_matched_by_badge_number_for_the_last_visit(services):
    uscc = catering_in(services, "东宝区")[0]
    anonymous = [type(p)(p.name, p.badge_no) for p in crew(*DONGBAO[1:])]
    visit(services, LEAD, uscc, crew_of=anonymous)
    row = next(r for r in services.draws.snapshot().rows if r[0] == uscc)
    assert row[5] == "u-db-2,u-db-3"
