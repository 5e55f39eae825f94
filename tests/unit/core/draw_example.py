"""The worked example of docs/DRAWS.md: its inputs and every intermediate value, computed step by step.

``python -m tests.unit.core.draw_example`` prints the blocks that the document shows; the tests check that the
document still shows exactly these values and that they agree with :func:`inspector_app.core.draws.run_draw`.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction

from inspector_app.core.draw_params import Conflict, RosterEntry, make_params
from inspector_app.core.draws import (
    KEYS_LABEL,
    PAIR_LABEL,
    RegistrySnapshot,
    Uint64Stream,
    draw_base,
    population_of,
    run_draw,
    stream_uint64s,
    weighted_order,
)

SEED = "示例种子-4"
ROWS = [
    ("92420802MA4A00010G", "小餐饮", "东宝区", "D", "2025-11-20", "u-li,u-zhang"),
    ("92420802MA4A00020H", "食品销售", "东宝区", "A", "", ""),
    ("92420802MA4A00030J", "小餐饮", "东宝区", "C", "2025-06-03", "u-li"),
    ("92420804MA4B000403", "小餐饮", "掇刀区", "B", "2025-09-12", "u-wang"),
    ("91420804MA4B000507", "特种设备使用单位", "掇刀区", "D", "", ""),
    ("92420804MA4B000605", "食品销售", "掇刀区", "A", "", ""),
]
ROSTER = [
    RosterEntry("u-chen", "东宝区"),
    RosterEntry("u-li", "东宝区"),
    RosterEntry("u-zhang", "东宝区"),
    RosterEntry("u-wang", "掇刀区"),
    RosterEntry("u-zhao", "掇刀区"),
]
PARAMS = make_params(
    size=3,
    roster=ROSTER,
    conflicts=[Conflict("u-chen", "92420802MA4A00010G")],
    title="2026年3月东宝区、掇刀区抽查（示例）",
    window_from="2026-03-01",
    window_to="2026-03-31",
)


class LoggingStream(Uint64Stream):
    """A pair stream that remembers every 64-bit value it hands out."""

    def __init__(self, base: bytes, label: bytes) -> None:
        super().__init__(base, label)
        self.taken: list[int] = []

    def next(self) -> int:
        value = super().next()
        self.taken.append(value)
        return value


def example_blocks() -> dict[str, str]:
    snapshot = RegistrySnapshot(ROWS)
    params_bytes = PARAMS.canonical_bytes()
    base = draw_base(SEED, snapshot.sha256, params_bytes)
    population = population_of(snapshot, PARAMS)
    xs = stream_uint64s(base, KEYS_LABEL, len(population))
    weights = [PARAMS.weights[row[3]] for row in population]
    keys = []
    for i, row in enumerate(population):
        u = Fraction(xs[i] + 1, 2**64)
        key = float(u) ** (1 / weights[i])
        keys.append(
            f"{i}  {row[0]}  {row[3]}  w={weights[i]}  x={xs[i]:016x}  u≈{float(u):.6f}  key≈{key:.6f}"
        )
    order = list(weighted_order(xs, weights))
    stream = LoggingStream(base, PAIR_LABEL)
    conflicts = {(c.inspector, c.uscc) for c in PARAMS.conflicts}
    steps: list[str] = []
    drawn = 0
    for index in order:
        if drawn == PARAMS.size:
            break
        uscc, _, area, _, _, last = population[index]
        local = sorted(r.id for r in ROSTER if r.area == area)
        allowed = [i for i in local if (i, uscc) not in conflicts and i not in last]
        line = f"{uscc}  eligible=[{', '.join(allowed)}]"
        if len(allowed) < PARAMS.team_size:
            steps.append(f"{line}  → skipped: excluded_inspectors")
            continue
        picks = []
        for _ in range(PARAMS.team_size):
            before = len(stream.taken)
            position = stream.below(len(allowed))
            values = " ".join(f"{v:016x}" for v in stream.taken[before:])
            picks.append(f"x={values} mod {len(allowed)} = {position} → {allowed.pop(position)}")
        steps.append(f"{line}  " + "; ".join(picks))
        drawn += 1
    result = run_draw(SEED, snapshot, PARAMS)
    return {
        "seed": SEED,
        "snapshot": snapshot.canonical_bytes.decode("utf-8"),
        "registry-hash": snapshot.sha256,
        "params": params_bytes.decode("utf-8"),
        "base": base.hex(),
        "keys": "\n".join(keys),
        "order": "\n".join(population[i][0] for i in order),
        "pairing": "\n".join(steps),
        "result": result.canonical_bytes().decode("utf-8"),
        "result-hash": hashlib.sha256(result.canonical_bytes()).hexdigest(),
    }


if __name__ == "__main__":
    for name, text in example_blocks().items():
        print(f"<!-- example:{name} -->\n```text\n{text}\n```\n")
