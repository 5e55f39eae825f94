"""The 双随机 draw: reproducibility, the registry hash, pairing constraints, weighting, published results."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_app.core.draw_params import (
    Conflict,
    DrawParams,
    RosterEntry,
    canonical_json,
    make_params,
    ratio_count,
)
from inspector_app.core.draws import (
    RegistrySnapshot,
    Uint64Stream,
    differences,
    key_ahead,
    result_from_canonical,
    run_draw,
)
from inspector_app.core.errors import ValidationError
from tests.unit.core import draw_reference

AREAS = ("东宝区", "掇刀区", "钟祥市")
KINDS = ("小餐饮", "食品销售", "特种设备使用单位")


def make_rows(n: int, *, grades: str = "ABCD") -> list[tuple]:
    return [
        (f"9142080{i:011d}", KINDS[i % 3], AREAS[i % 3], grades[i % len(grades)], "", "") for i in range(n)
    ]


def roster(per_area: int = 3) -> list[RosterEntry]:
    return [RosterEntry(f"u-{a}-{k}", area) for a, area in enumerate(AREAS) for k in range(per_area)]


def test_same_inputs_give_identical_bytes():
    snapshot = RegistrySnapshot(make_rows(500))
    params = make_params(size=40, roster=roster())
    first = run_draw("2026年3月第1批", snapshot, params).canonical_bytes()
    again = run_draw(
        "2026年3月第1批", RegistrySnapshot(list(reversed(make_rows(500)))), params
    ).canonical_bytes()
    assert first == again
    assert json.loads(first)["targets"][0].keys() == {"uscc", "inspectors"}


def test_another_seed_gives_another_draw():
    snapshot = RegistrySnapshot(make_rows(500))
    params = make_params(size=40, roster=roster())
    assert run_draw("seed-1", snapshot, params).targets != run_draw("seed-2", snapshot, params).targets


def test_one_changed_registry_row_changes_the_registry_hash():
    rows = make_rows(300)
    before = RegistrySnapshot(rows)
    changed = list(rows)
    assert changed[123][3] != "A"
    changed[123] = changed[123][:3] + ("A",) + changed[123][4:]
    after = RegistrySnapshot(changed)
    assert before.sha256 != after.sha256
    params = make_params(size=10, roster=roster())
    assert run_draw("s", before, params).registry_hash != run_draw("s", after, params).registry_hash


def test_the_snapshot_reads_back_from_its_published_bytes_and_refuses_other_spellings():
    snapshot = RegistrySnapshot(
        [*make_rows(5), ("91420800000000000X", "小餐饮", "东宝区", "B", "2026-01-05", "a,b")]
    )
    data = snapshot.canonical_bytes
    assert data.startswith(
        b"inspector-registry-snapshot/1\nuscc\tkind\tarea\tgrade\tlast_inspected\tlast_inspectors\n"
    )
    assert data.endswith(
        b"\t\xe4\xb8\x9c\xe5\xae\x9d\xe5\x8c\xba\tB\t2026-01-05\ta,b\n"
    )  # 东宝区, the last row
    again = RegistrySnapshot.from_bytes(data)
    assert again.rows == snapshot.rows and again.sha256 == snapshot.sha256
    lines = data.split(b"\n")
    unsorted = b"\n".join([*lines[:2], lines[3], lines[2], *lines[4:]])
    for other, message in (
        (unsorted, "规范形式"),
        (data.replace(b"\n", b"\r\n"), "前两行"),
        (data[:-1], "换行结束"),
        (data.replace(b"a,b", b"b,a"), "排序"),
        (b"\xff" + data, "UTF-8"),
    ):
        with pytest.raises(ValidationError, match=message):
            RegistrySnapshot.from_bytes(other)


@pytest.mark.parametrize(
    "row, message",
    [
        (("X1", "小餐饮", "东宝区", "E", "", ""), "风险等级"),
        (("X1", "小餐饮", "东宝\n区", "A", "", ""), "控制字符"),
        (("X1", "小餐饮", "东宝区", "A", "", "b,a"), "排序"),
        (("X1", "小餐饮", "东宝区", "A", "", "a,,b"), "排序"),
        (("X1", "小餐饮", "东宝区", "A", "", ()), "应为文字"),
    ],
)
def test_a_bad_snapshot_row_is_refused(row, message):
    with pytest.raises(ValidationError, match=message):
        RegistrySnapshot([row])


def test_duplicate_usccs_are_refused():
    with pytest.raises(ValidationError, match="重复"):
        RegistrySnapshot([("X1", "小餐饮", "东宝区", "A", "", ""), ("X1", "小餐饮", "掇刀区", "B", "", "")])


# -- parameters ---------------------------------------------------------------------------------------------


def test_ratio_count_is_exact_ceiling():
    assert ratio_count(1000, "0.05") == 50
    assert ratio_count(1001, "0.05") == 51
    assert ratio_count(3, "0.333333") == 1
    assert ratio_count(7, "1") == 7


def test_size_and_ratio_together_take_the_smaller():
    params = make_params(size=30, ratio="0.1")
    assert params.sample_size(1000) == 30
    assert params.sample_size(200) == 20
    assert params.sample_size(10) == 1
    assert make_params(size=30).sample_size(12) == 12


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "抽查数量"),
        ({"size": 0}, "抽查数量"),
        ({"ratio": "0"}, "抽查比例"),
        ({"ratio": "1.5"}, "抽查比例"),
        ({"ratio": "5%"}, "抽查比例"),
        ({"size": 5, "grades": ["E"]}, "未知等级"),
        ({"size": 5, "weights": {"A": 1, "B": 2, "C": 4}}, "四个等级"),
        ({"size": 5, "weights": {"A": 0, "B": 2, "C": 4, "D": 8}}, "权重"),
        ({"size": 5, "team_size": 1}, "每户检查人员数"),
        ({"size": 5, "window_from": "2026-04-01", "window_to": "2026-03-01"}, "晚于"),
        ({"size": 5, "window_to": "2026-3-1"}, "YYYY-MM-DD"),
        ({"size": 5, "roster": [RosterEntry("u1", "东宝区"), RosterEntry("u1", "掇刀区")]}, "多个辖区"),
    ],
)
def test_bad_parameters_are_refused_in_chinese(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        make_params(**kwargs)


def test_parameters_are_normalised_and_round_trip_through_their_canonical_form():
    params = make_params(
        size=5,
        ratio="0.50",
        areas=["掇刀区", "东宝区", "东宝区"],
        roster=[RosterEntry("u2", "东宝区"), RosterEntry("u1", "东宝区")],
        conflicts=[Conflict("u2", "X"), Conflict("u1", "Y"), Conflict("u2", "X")],
    )
    assert params.ratio == "0.5" and params.areas == ("东宝区", "掇刀区")
    assert [r.id for r in params.roster] == ["u1", "u2"] and len(params.conflicts) == 2
    data = json.loads(params.canonical_bytes())
    assert DrawParams.from_canonical(data) == params
    data["filters"]["areas"] = ["掇刀区", "东宝区"]
    with pytest.raises(ValidationError, match="规范形式"):
        DrawParams.from_canonical(data)


@pytest.mark.parametrize("seed", ["", "a\nb", "x" * 201])
def test_bad_seeds_are_refused(seed):
    with pytest.raises(ValidationError, match="随机种子"):
        run_draw(seed, RegistrySnapshot(make_rows(3)), make_params(size=1, roster=roster()))


# -- the random numbers ---------------------------------------------------------------------------------------


def test_uniform_integers_reject_the_biased_tail():
    stream = Uint64Stream(b"\x00" * 32, b"pair")
    draws = [stream.below(3) for _ in range(3000)]
    assert set(draws) == {0, 1, 2}
    assert all(abs(c - 1000) < 150 for c in Counter(draws).values())


def test_exact_key_comparison_matches_the_real_numbers_where_floats_can_tell():
    # u = (x + 1) / 2^64; key = u^(1/w)
    cases = [(2**63, 1, 2**62, 1), (2**63, 1, 2**63, 2), (2**60, 8, 2**63, 1), (5, 3, 7, 3)]
    for xa, wa, xb, wb in cases:
        ka = ((xa + 1) / 2**64) ** (1 / wa)
        kb = ((xb + 1) / 2**64) ** (1 / wb)
        assert key_ahead(xa, wa, xb, wb) == (ka > kb) - (ka < kb)
    assert key_ahead(2**64 - 1, 1, 2**64 - 1, 8) == 0  # u = 1 for both: equal keys (tie → USCC order)


# -- pairing and the reference implementation ----------------------------------------------------------------

ids = st.sampled_from([f"u{i}" for i in range(8)])
rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(AREAS[:2]),
        st.sampled_from(KINDS),
        st.sampled_from("ABCD"),
        st.sampled_from(["", "2025-06-01", "2026-02-01"]),
        st.sets(ids, max_size=3),
    ),
    max_size=25,
)


@st.composite
def draw_inputs(draw):
    raw = draw(rows_strategy)
    rows = [
        (f"U{i:03d}", kind, area, grade, day, ",".join(sorted(team)))
        for i, (area, kind, grade, day, team) in enumerate(raw)
    ]
    people = draw(st.dictionaries(ids, st.sampled_from(AREAS[:2]), max_size=8))
    conflicts = draw(st.lists(st.tuples(ids, st.sampled_from([r[0] for r in rows] or ["U000"])), max_size=6))
    params = make_params(
        size=draw(st.integers(1, 12)),
        ratio=draw(st.sampled_from([None, "0.3", "1"])),
        areas=draw(st.sampled_from([(), (AREAS[0],)])),
        grades=draw(st.sampled_from([(), ("C", "D")])),
        not_inspected_since=draw(st.sampled_from([None, "2026-01-01"])),
        weights={
            "A": 1,
            "B": draw(st.integers(1, 5)),
            "C": draw(st.integers(1, 9)),
            "D": draw(st.integers(1, 20)),
        },
        team_size=draw(st.integers(2, 3)),
        exclude_last_inspectors=draw(st.booleans()),
        max_per_inspector=draw(st.integers(0, 3)),
        roster=[RosterEntry(i, a) for i, a in people.items()],
        conflicts=[Conflict(i, u) for i, u in conflicts],
    )
    return draw(st.text(min_size=1, max_size=8).filter(lambda s: s.isprintable())), rows, params


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draw_inputs())
def test_pairing_constraints_are_never_violated(inputs):
    seed, rows, params = inputs
    snapshot = RegistrySnapshot(rows)
    result = run_draw(seed, snapshot, params)
    by_uscc = {r[0]: r for r in rows}
    area_of = {r.id: r.area for r in params.roster}
    conflicts = {(c.inspector, c.uscc) for c in params.conflicts}
    load: Counter[str] = Counter()
    assert len({t.uscc for t in result.targets}) == len(result.targets) <= result.size
    for target in result.targets:
        row = by_uscc[target.uscc]
        assert len(target.inspectors) == len(set(target.inspectors)) == params.team_size >= 2
        for person in target.inspectors:
            assert area_of[person] == row[2], "an inspector from another area"
            assert (person, target.uscc) not in conflicts, "a declared conflict of interest"
            if params.exclude_last_inspectors:
                assert person not in row[5].split(","), "the inspector of the last visit"
            load[person] += 1
    if params.max_per_inspector:
        assert max(load.values(), default=0) <= params.max_per_inspector
    population = {
        r[0]
        for r in rows
        if (not params.areas or r[2] in params.areas)
        and (not params.grades or r[3] in params.grades)
        and (not params.not_inspected_since or r[4] < params.not_inspected_since)
    }
    assert {t.uscc for t in result.targets} | {s.uscc for s in result.skipped} <= population
    if len(result.targets) < result.size:  # fewer than asked only when every candidate was tried
        assert len(result.targets) + len(result.skipped) == len(population)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draw_inputs())
def test_the_documented_reference_algorithm_gives_the_same_bytes(inputs):
    seed, rows, params = inputs
    rows_as_lists = [[*r[:5], r[5].split(",") if r[5] else []] for r in rows]
    expected = draw_reference.draw(seed, rows_as_lists, params.to_canonical())
    assert run_draw(seed, RegistrySnapshot(rows), params).canonical_bytes() == canonical_json(expected)


# -- weighting -----------------------------------------------------------------------------------------------


def test_d_is_drawn_more_often_than_a_in_the_configured_ratio():
    """With one target per draw, P(grade g) = n_g·w_g / Σ n·w exactly (Efraimidis–Spirakis). Over 4,000 seeds
    every grade's count must lie within 5 binomial standard deviations of its expectation (a false alarm has
    probability < 10⁻⁵ per grade; the seeds are fixed, so the outcome is the same on every run)."""
    rows = make_rows(200)  # 50 of each grade
    weights = {"A": 1, "B": 2, "C": 4, "D": 8}
    params = make_params(size=1, weights=weights, roster=roster(2))
    snapshot = RegistrySnapshot(rows)
    grade_of = {r[0]: r[3] for r in rows}
    runs = 4000
    counts = Counter(grade_of[run_draw(f"seed-{k}", snapshot, params).targets[0].uscc] for k in range(runs))
    total = sum(50 * w for w in weights.values())
    for grade, weight in weights.items():
        p = 50 * weight / total
        sigma = math.sqrt(runs * p * (1 - p))
        assert abs(counts[grade] - runs * p) < 5 * sigma, (grade, counts)
    assert counts["D"] > 4 * counts["A"]


def test_with_larger_samples_lower_grades_are_still_drawn_more_often():
    rows = make_rows(400)
    params = make_params(size=20, roster=roster(2))
    snapshot = RegistrySnapshot(rows)
    grade_of = {r[0]: r[3] for r in rows}
    counts: Counter[str] = Counter()
    for k in range(300):
        counts.update(grade_of[t.uscc] for t in run_draw(f"s{k}", snapshot, params).targets)
    assert counts["A"] < counts["B"] < counts["C"] < counts["D"]


# -- published results and verification ------------------------------------------------------------------------


def test_a_published_result_reads_back_and_compares_equal():
    snapshot = RegistrySnapshot(make_rows(100))
    result = run_draw("s", snapshot, make_params(size=8, roster=roster()))
    again = result_from_canonical(json.loads(result.canonical_bytes()))
    assert again == result and differences(result, again) == []


def test_differences_name_the_changed_target():
    snapshot = RegistrySnapshot(make_rows(100))
    result = run_draw("s", snapshot, make_params(size=8, roster=roster()))
    data = json.loads(result.canonical_bytes())
    data["targets"][2]["uscc"] = "91420800000000000X"
    data["targets"][4]["inspectors"].reverse()
    found = differences(result, result_from_canonical(data))
    assert found[0].startswith("第 3 个抽中对象应为") and "第 5 个抽中对象" in found[1]


def test_unpairable_targets_are_skipped_with_a_reason_and_the_next_is_taken():
    rows = [("A1", "小餐饮", "东宝区", "A", "", "u1"), ("A2", "小餐饮", "掇刀区", "A", "", ""),
            ("A3", "小餐饮", "东宝区", "A", "", "")]  # fmt: skip
    people = [RosterEntry("u1", "东宝区"), RosterEntry("u2", "东宝区")]
    params = make_params(size=3, roster=people, conflicts=[Conflict("u2", "A3")])
    result = run_draw("s", RegistrySnapshot(rows), params)
    reasons = {s.uscc: s.reason for s in result.skipped}
    assert reasons == {
        "A2": "area_roster_too_small",
        "A1": "excluded_inspectors",
        "A3": "excluded_inspectors",
    }
    assert result.targets == ()
    relaxed = make_params(size=3, roster=people, exclude_last_inspectors=False)
    assert {t.uscc for t in run_draw("s", RegistrySnapshot(rows), relaxed).targets} == {"A1", "A3"}
