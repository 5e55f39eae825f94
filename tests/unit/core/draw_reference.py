"""An independent, deliberately plain implementation of docs/DRAWS.md, used to check the optimised one.

It follows the document step by step: whole-object canonical JSON, one global sort of the population with
exact rational keys (``fractions.Fraction``) instead of per-weight classes and integer shifts, and the pairing
rules read straight from the text. If the two ever disagree, either the code or the document is wrong.
"""

from __future__ import annotations

import functools
import hashlib
import json
from fractions import Fraction
from typing import Any


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def snapshot_bytes(rows: list[list[Any]]) -> bytes:
    """Two header lines, then one tab-separated line per business in USCC order, every line ending in LF;
    the last field lists last time's inspectors sorted and joined by commas."""
    text = "inspector-registry-snapshot/1\nuscc\tkind\tarea\tgrade\tlast_inspected\tlast_inspectors\n"
    for uscc, kind, area, grade, day, team in sorted(rows):
        text += "\t".join([uscc, kind, area, grade, day, ",".join(sorted(team))]) + "\n"
    return text.encode("utf-8")


class Stream:
    def __init__(self, base: bytes, label: str) -> None:
        self.base, self.label, self.counter, self.buffer = base, label.encode(), 0, b""

    def next64(self) -> int:
        if len(self.buffer) < 8:
            self.buffer += hashlib.sha256(self.base + self.label + self.counter.to_bytes(8, "big")).digest()
            self.counter += 1
        value, self.buffer = int.from_bytes(self.buffer[:8], "big"), self.buffer[8:]
        return value

    def below(self, m: int) -> int:
        while True:
            x = self.next64()
            if x < 2**64 - 2**64 % m:
                return x % m


def draw(seed: str, rows: list[list[Any]], params: dict[str, Any]) -> dict[str, Any]:
    snap = snapshot_bytes(rows)
    registry_hash = hashlib.sha256(snap).hexdigest()
    material = b"inspector-draw/1\x00" + seed.encode() + b"\x00" + registry_hash.encode() + b"\x00"
    base = hashlib.sha256(material + canonical(params)).digest()
    f = params["filters"]
    population = [
        r
        for r in sorted(rows)
        if (not f["areas"] or r[2] in f["areas"])
        and (not f["kinds"] or r[1] in f["kinds"])
        and (not f["grades"] or r[3] in f["grades"])
        and (not f["not_inspected_since"] or r[4] < f["not_inspected_since"])
    ]
    n = len(population)
    sizes = [n]
    if params["sample"]["size"] is not None:
        sizes.append(params["sample"]["size"])
    if params["sample"]["ratio"] is not None:
        sizes.append(-(-Fraction(params["sample"]["ratio"]) * n // 1))
    size = int(min(sizes))
    keys = Stream(base, "keys")
    entries = []
    for index, row in enumerate(population):
        u = Fraction(keys.next64() + 1, 2**64)
        entries.append((index, row, u, params["weights"][row[3]]))

    def compare(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
        left, right = a[2] ** b[3], b[2] ** a[3]  # u_a^(1/w_a) vs u_b^(1/w_b), both raised to w_a·w_b
        if left != right:
            return -1 if left > right else 1
        return -1 if a[1][0] < b[1][0] else 1

    ordered = sorted(entries, key=functools.cmp_to_key(compare))
    pairing = params["pairing"]
    conflicts = {(c["inspector"], c["uscc"]) for c in params["conflicts"]}
    load: dict[str, int] = {}
    pairs = Stream(base, "pair")
    targets, skipped = [], []
    for _, row, _, _ in ordered:
        if len(targets) == size:
            break
        local = sorted(r["id"] for r in params["roster"] if r["area"] == row[2])
        if len(local) < pairing["team_size"]:
            skipped.append({"uscc": row[0], "reason": "area_roster_too_small"})
            continue
        last = set(row[5]) if pairing["exclude_last_inspectors"] else set()  # row[5]: a list of ids
        allowed = [i for i in local if (i, row[0]) not in conflicts and i not in last]
        if len(allowed) < pairing["team_size"]:
            skipped.append({"uscc": row[0], "reason": "excluded_inspectors"})
            continue
        if pairing["max_per_inspector"]:
            allowed = [i for i in allowed if load.get(i, 0) < pairing["max_per_inspector"]]
            if len(allowed) < pairing["team_size"]:
                skipped.append({"uscc": row[0], "reason": "inspector_cap"})
                continue
        team = [allowed.pop(pairs.below(len(allowed))) for _ in range(pairing["team_size"])]
        for member in team:
            load[member] = load.get(member, 0) + 1
        targets.append({"uscc": row[0], "inspectors": team})
    return {
        "format": "inspector-draw/1",
        "seed": seed,
        "registry_hash": registry_hash,
        "params": params,
        "population": n,
        "size": size if n else 0,
        "targets": targets,
        "skipped": skipped,
    }
