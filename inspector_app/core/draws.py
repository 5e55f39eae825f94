"""The 双随机 draw: weighted random targets and random inspector pairs, reproducible by anyone.

``run_draw(seed, snapshot, params)`` is a pure function: the same seed, registry snapshot and parameters give
the same result, byte for byte. It uses no Python ``random``: every random number comes from SHA-256 in counter
mode over the seed, the snapshot's hash and the canonical parameters, and the weighted sampling is
Efraimidis–Spirakis (key ``u^(1/w)``, largest keys win) compared with exact integer arithmetic, so another
implementation in any language with big integers gets the same bytes. ``docs/DRAWS.md`` is the specification;
its worked example is checked by the tests.
"""

from __future__ import annotations

import hashlib
import re
import struct
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Any, Final

from inspector_app.core.draw_params import CONTROL_CHARS, GRADES, DrawParams, canonical_json, check_seed
from inspector_app.core.errors import ValidationError

DRAW_FORMAT = "inspector-draw/1"
SNAPSHOT_FORMAT = "inspector-registry-snapshot/1"
SNAPSHOT_COLUMNS = ("uscc", "kind", "area", "grade", "last_inspected", "last_inspectors")
KEYS_LABEL = b"keys"
PAIR_LABEL = b"pair"
_TWO_64 = 1 << 64

#: One registry row: uscc, kind, area, risk grade (A–D), last inspection day ('' or YYYY-MM-DD) and the user
#: ids of the inspectors of that last inspection, sorted and joined by commas ('' when none). Plain tuples of
#: text: a snapshot can hold 300,000 of them, and each is one tab-separated line of the canonical form.
Row = tuple[str, str, str, str, str, str]
USCC: Final = 0
KIND: Final = 1
AREA: Final = 2
GRADE: Final = 3
LAST_DAY: Final = 4
LAST_TEAM: Final = 5
#: The first two lines of every snapshot: the format, then the column names (tab-separated).
SNAPSHOT_HEADER = f"{SNAPSHOT_FORMAT}\n" + "\t".join(SNAPSHOT_COLUMNS) + "\n"


def team_field(ids: Iterable[str]) -> str:
    """The ``last_inspectors`` field: the ids sorted, without duplicates, joined by commas."""
    return ",".join(sorted(set(ids)))


def team_members(field: str) -> tuple[str, ...]:
    return tuple(field.split(",")) if field else ()


#: Why a drawn business got no inspectors (codes in the result; labels for people).
SKIP_REASONS = {
    "area_roster_too_small": "该辖区的检查人员少于每户所需人数",
    "excluded_inspectors": "回避利害关系人和上次检查人员后，可用检查人员不足",
    "inspector_cap": "可用检查人员均已达到分配上限",
}


class RegistrySnapshot:
    """The registry as the draw saw it: rows sorted by USCC (strictly increasing), canonical bytes and hash.

    Build from rows (checked) or read back from published bytes with :meth:`from_bytes`.
    """

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows: list[Row] = sorted(rows, key=itemgetter(USCC))
        self._lines = _checked_lines(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, uscc: str) -> Row:
        """The row of one business (binary search on the sorted USCCs)."""
        index = bisect_left(self.rows, uscc, key=itemgetter(USCC))
        if index == len(self.rows) or self.rows[index][USCC] != uscc:
            raise KeyError(uscc)
        return self.rows[index]

    @cached_property
    def canonical_bytes(self) -> bytes:
        """UTF-8 text: :data:`SNAPSHOT_HEADER`, then one line per row, fields separated by tabs, each line ending
        with a line feed. No escaping is needed: no field may hold a control character (tab and LF included)."""
        return (SNAPSHOT_HEADER + self._lines + ("\n" if self.rows else "")).encode("utf-8")

    @cached_property
    def sha256(self) -> str:
        """The registry hash published with a draw: SHA-256 (lower-case hex) of :attr:`canonical_bytes`."""
        return hashlib.sha256(self.canonical_bytes).hexdigest()

    @classmethod
    def from_bytes(cls, data: bytes) -> RegistrySnapshot:
        """Parse published snapshot bytes; refused unless they are exactly the canonical form."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(f"名录快照文件不是 UTF-8 文本：{exc}") from None
        if not text.startswith(SNAPSHOT_HEADER):
            raise ValidationError(f"名录快照文件的前两行应为格式 {SNAPSHOT_FORMAT} 和列名（以制表符分隔）")
        lines = text[len(SNAPSHOT_HEADER) :].split("\n")
        if lines[-1]:
            raise ValidationError("名录快照文件的最后一行须以换行结束")
        snapshot = cls([tuple(line.split("\t")) for line in lines[:-1]])  # type: ignore[misc]
        if snapshot.canonical_bytes != data:
            raise ValidationError(
                "名录快照文件不是规范形式（行须按代码排序、上次检查人员编号排序），其哈希无法复核"
            )
        return snapshot


#: Control characters other than TAB and LF (those two are the separators, counted instead).
_OTHER_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _checked_lines(rows: list[Row]) -> str:
    """The rows as tab-separated lines, after checks in bulk with C-level passes (a snapshot may hold 300,000
    rows): six text fields per row, no control character in any field, unique non-empty USCCs, grades A–D,
    well-formed last teams."""
    if not set(map(len, rows)) <= {len(SNAPSHOT_COLUMNS)}:
        raise ValidationError("名录快照的每一行应为 6 个字段")
    try:
        lines = "\n".join(map("\t".join, rows))  # the canonical body; fails on anything but text
    except TypeError:
        raise ValidationError("名录快照的每个字段都应为文字") from None
    separators = lines.count("\t") != 5 * len(rows) or lines.count("\n") != max(len(rows) - 1, 0)
    if separators or _OTHER_CONTROLS.search(lines):
        bad = next(r for r in rows if CONTROL_CHARS.search("".join(r)))
        raise ValidationError(f"名录快照 {bad[USCC]!r} 一行的字段含有控制字符（如换行、制表符）")
    codes = list(map(itemgetter(USCC), rows))
    if codes and not codes[0]:  # sorted: an empty code comes first
        raise ValidationError("名录快照中有一行缺少统一社会信用代码")
    if len(set(codes)) != len(codes):  # sorted: a duplicate sits next to its twin
        twin = next(a for a, b in zip(codes, codes[1:], strict=False) if a == b)
        raise ValidationError(f"名录快照中统一社会信用代码 {twin} 重复")
    bad_grades = set(map(itemgetter(GRADE), rows)) - set(GRADES)
    if bad_grades:
        raise ValidationError(f"名录快照中的风险等级应为 A–D，发现 {sorted(map(repr, bad_grades))}")
    for row in filter(itemgetter(LAST_TEAM), rows):
        if team_field(team_members(row[LAST_TEAM])) != row[LAST_TEAM] or "" in team_members(row[LAST_TEAM]):
            raise ValidationError(f"名录快照 {row[USCC]} 的上次检查人员应为排序、去重、以逗号分隔的编号")
    return lines


# -- the random stream --------------------------------------------------------------------------------------


def draw_base(seed: str, registry_hash: str, params_bytes: bytes) -> bytes:
    """``SHA-256("inspector-draw/1" 0x00 seed 0x00 registry_hash 0x00 params)``: what every random number
    derives from (seed as UTF-8, the hash as its 64 lower-case hex characters, params as canonical JSON)."""
    material = b"\x00".join([DRAW_FORMAT.encode(), seed.encode("utf-8"), registry_hash.encode("ascii")])
    return hashlib.sha256(material + b"\x00" + params_bytes).digest()


def stream_block(base: bytes, label: bytes, counter: int) -> bytes:
    """Block ``counter`` of the stream ``label``: ``SHA-256(base ‖ label ‖ uint64_be(counter))``."""
    return hashlib.sha256(base + label + counter.to_bytes(8, "big")).digest()


def stream_uint64s(base: bytes, label: bytes, count: int) -> tuple[int, ...]:
    """The first ``count`` 64-bit big-endian unsigned integers of the stream ``label``."""
    blocks = -(-count * 8 // 32)
    prefix, sha256 = base + label, hashlib.sha256  # stream_block inlined: 75,000 blocks for 300,000 rows
    data = b"".join([sha256(prefix + j.to_bytes(8, "big")).digest() for j in range(blocks)])
    return struct.unpack_from(f">{count}Q", data)


class Uint64Stream:
    """The stream ``label`` read one 64-bit integer at a time (used for pairing)."""

    def __init__(self, base: bytes, label: bytes) -> None:
        self._base, self._label = base, label
        self._counter = 0
        self._pending: list[int] = []

    def next(self) -> int:
        if not self._pending:
            block = stream_block(self._base, self._label, self._counter)
            self._counter += 1
            self._pending = list(reversed(struct.unpack(">4Q", block)))
        return self._pending.pop()

    def below(self, bound: int) -> int:
        """A uniform integer in ``[0, bound)`` by rejection: values ≥ ``2^64 − (2^64 mod bound)`` are redrawn."""
        limit = _TWO_64 - _TWO_64 % bound
        while True:
            value = self.next()
            if value < limit:
                return value % bound


# -- weighted order (Efraimidis–Spirakis with exact comparison) -----------------------------------------------


def key_ahead(x_a: int, w_a: int, x_b: int, w_b: int) -> int:
    """Compare keys ``u^(1/w)`` with ``u = (x + 1) / 2^64``: 1 if a's key is larger, -1 if smaller, 0 if equal.

    ``u_a^(1/w_a) > u_b^(1/w_b)``  ⇔  ``(x_a + 1)^w_b · 2^(64·w_a) > (x_b + 1)^w_a · 2^(64·w_b)`` (exact).
    """
    if w_a == w_b:
        left, right = x_a, x_b
    else:
        left = (x_a + 1) ** w_b << (64 * w_a)
        right = (x_b + 1) ** w_a << (64 * w_b)
    return (left > right) - (left < right)


def weighted_order(xs: Sequence[int], weights: Sequence[int]) -> Iterator[int]:
    """Population indexes by key, largest first; equal keys → smaller index (= smaller USCC) first.

    Rows of one weight are ordered by ``x`` alone (the key is monotone in ``x``), so one C-level sort on
    ``weight·2^64 + x`` (descending, stable) lays out every weight class in order, and the classes are merged
    with :func:`key_ahead`: only the merge needs big integers.
    """
    combined = [w << 64 | x for w, x in zip(weights, xs, strict=True)]
    order = sorted(range(len(xs)), key=combined.__getitem__, reverse=True)
    sizes = Counter(weights)
    queues: list[tuple[int, int, int]] = []  # (weight, next position in order, end of the class)
    start = 0
    for weight in sorted(sizes, reverse=True):
        queues.append((weight, start, start + sizes[weight]))
        start += sizes[weight]
    while True:
        best = -1
        for q, (weight, head, end) in enumerate(queues):
            if head == end:
                continue
            if best < 0:
                best = q
                continue
            a, b = order[head], order[queues[best][1]]
            ahead = key_ahead(xs[a], weight, xs[b], queues[best][0])
            if ahead > 0 or (ahead == 0 and a < b):
                best = q
        if best < 0:
            return
        weight, head, end = queues[best]
        yield order[head]
        queues[best] = (weight, head + 1, end)


# -- the draw ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawTarget:
    """A drawn business and its inspectors (user ids, in the order they were drawn: the first leads)."""

    uscc: str
    inspectors: tuple[str, ...]


@dataclass(frozen=True)
class SkippedTarget:
    """A business reached in key order that could not get a full team (see :data:`SKIP_REASONS`)."""

    uscc: str
    reason: str


@dataclass(frozen=True)
class DrawResult:
    """What a draw produced; :meth:`canonical_bytes` are the published bytes (``inspector draw --json``)."""

    seed: str
    registry_hash: str
    params: DrawParams
    population: int
    size: int
    targets: tuple[DrawTarget, ...]
    skipped: tuple[SkippedTarget, ...] = ()

    def to_canonical(self) -> dict[str, Any]:
        return {
            "format": DRAW_FORMAT,
            "seed": self.seed,
            "registry_hash": self.registry_hash,
            "params": self.params.to_canonical(),
            "population": self.population,
            "size": self.size,
            "targets": [{"uscc": t.uscc, "inspectors": list(t.inspectors)} for t in self.targets],
            "skipped": [{"uscc": s.uscc, "reason": s.reason} for s in self.skipped],
        }

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.to_canonical())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.canonical_bytes()).hexdigest()


def population_of(snapshot: RegistrySnapshot, params: DrawParams) -> list[Row]:
    """Rows passing every filter, in snapshot (USCC) order. An empty filter list lets everything through."""
    areas, kinds, grades = set(params.areas), set(params.kinds), set(params.grades)
    since = params.not_inspected_since or ""
    if not (areas or kinds or grades or since):
        return snapshot.rows
    return [
        row
        for row in snapshot.rows
        if (not areas or row[AREA] in areas)
        and (not kinds or row[KIND] in kinds)
        and (not grades or row[GRADE] in grades)
        and (not since or row[LAST_DAY] < since)
    ]


class _Pairing:
    """Draws each target's team from the inspectors of its area (sorted by id), honouring the exclusions."""

    def __init__(self, params: DrawParams, stream: Uint64Stream) -> None:
        self.params = params
        self.stream = stream
        self.by_area: dict[str, list[str]] = {}
        for entry in params.roster:  # the roster is sorted by id
            self.by_area.setdefault(entry.area, []).append(entry.id)
        self.conflicts = {(c.inspector, c.uscc) for c in params.conflicts}
        self.load: dict[str, int] = {}

    def team(self, row: Row) -> tuple[str, ...] | str:
        """The drawn team, or the skip reason code when fewer than ``team_size`` inspectors are eligible."""
        p = self.params
        local = self.by_area.get(row[AREA], [])
        if len(local) < p.team_size:
            return "area_roster_too_small"
        uscc, last = row[USCC], set(team_members(row[LAST_TEAM])) if p.exclude_last_inspectors else set()
        allowed = [i for i in local if (i, uscc) not in self.conflicts and i not in last]
        if len(allowed) < p.team_size:
            return "excluded_inspectors"
        if p.max_per_inspector:
            allowed = [i for i in allowed if self.load.get(i, 0) < p.max_per_inspector]
            if len(allowed) < p.team_size:
                return "inspector_cap"
        team = [allowed.pop(self.stream.below(len(allowed))) for _ in range(p.team_size)]
        for member in team:
            self.load[member] = self.load.get(member, 0) + 1
        return tuple(team)


def run_draw(seed: str, snapshot: RegistrySnapshot, params: DrawParams) -> DrawResult:
    """Draw targets (weighted by risk grade, without replacement) and a team for each — see docs/DRAWS.md."""
    check_seed(seed)
    base = draw_base(seed, snapshot.sha256, params.canonical_bytes())
    population = population_of(snapshot, params)
    size = params.sample_size(len(population))
    xs = stream_uint64s(base, KEYS_LABEL, len(population))
    weights = list(map(params.weights.__getitem__, map(itemgetter(GRADE), population)))
    pairing = _Pairing(params, Uint64Stream(base, PAIR_LABEL))
    targets: list[DrawTarget] = []
    skipped: list[SkippedTarget] = []
    if size:
        for index in weighted_order(xs, weights):
            row = population[index]
            team = pairing.team(row)
            if isinstance(team, str):
                skipped.append(SkippedTarget(row[USCC], team))
                continue
            targets.append(DrawTarget(row[USCC], team))
            if len(targets) == size:
                break
    return DrawResult(
        seed=seed,
        registry_hash=snapshot.sha256,
        params=params,
        population=len(population),
        size=size,
        targets=tuple(targets),
        skipped=tuple(skipped),
    )


def result_from_canonical(data: Any) -> DrawResult:
    """Read a published result (e.g. a verify file) back into a :class:`DrawResult` (shape checked)."""
    keys = {"format", "seed", "registry_hash", "params", "population", "size", "targets", "skipped"}
    if not isinstance(data, dict) or set(data) != keys:
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise ValidationError(f"抽查结果的字段应为 {', '.join(sorted(keys))}，实际为 {found}")
    if data["format"] != DRAW_FORMAT:
        raise ValidationError(f"抽查结果的 format 应为 {DRAW_FORMAT}，实际为 {data['format']!r}")
    registry_hash = data["registry_hash"]
    if not isinstance(registry_hash, str) or len(registry_hash) != 64:
        raise ValidationError("抽查结果的 registry_hash 应为 64 位十六进制 SHA-256")
    try:
        targets = tuple(DrawTarget(t["uscc"], tuple(t["inspectors"])) for t in data["targets"])
        skipped = tuple(SkippedTarget(s["uscc"], s["reason"]) for s in data["skipped"])
    except (KeyError, TypeError) as exc:
        raise ValidationError(f"抽查结果的 targets/skipped 格式不正确：{exc}") from None
    return DrawResult(
        seed=check_seed(data["seed"]),
        registry_hash=registry_hash,
        params=DrawParams.from_canonical(data["params"]),
        population=data["population"],
        size=data["size"],
        targets=targets,
        skipped=skipped,
    )


def differences(expected: DrawResult, claimed: DrawResult, limit: int = 10) -> list[str]:
    """Where ``claimed`` departs from the re-computed ``expected``, in Chinese (empty: identical)."""
    found: list[str] = []
    for name, label in (("population", "总体户数"), ("size", "抽取数量")):
        if getattr(expected, name) != getattr(claimed, name):
            found.append(f"{label}应为 {getattr(expected, name)}，文件中为 {getattr(claimed, name)}")
    if len(expected.targets) != len(claimed.targets):
        found.append(f"抽中对象应为 {len(expected.targets)} 户，文件中为 {len(claimed.targets)} 户")
    for n, (want, got) in enumerate(zip(expected.targets, claimed.targets, strict=False), 1):
        if want.uscc != got.uscc:
            found.append(f"第 {n} 个抽中对象应为 {want.uscc}，文件中为 {got.uscc}")
        elif want.inspectors != got.inspectors:
            found.append(
                f"第 {n} 个抽中对象 {want.uscc} 的检查人员应为 {'、'.join(want.inspectors)}，"
                f"文件中为 {'、'.join(got.inspectors)}"
            )
    if expected.skipped != claimed.skipped:
        found.append(f"跳过的对象应为 {len(expected.skipped)} 户，与文件不一致")
    if not found and expected.canonical_bytes() != claimed.canonical_bytes():
        found.append("内容与重新计算的结果不完全一致")
    return found[:limit]
