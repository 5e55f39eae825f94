"""The inputs of a 双随机 draw and their canonical JSON form (see ``docs/DRAWS.md``).

A draw is fully determined by three things: a published seed, the SHA-256 of a canonical registry snapshot
(:mod:`inspector_app.core.draws`) and the canonical parameters defined here. Everything that influences the
outcome — filters, sample size or ratio, risk-grade weights, the roster of inspectors with their areas and the
declared conflicts of interest — is part of the parameters, so the parameters printed on a published draw are
all anyone needs besides the seed and the snapshot.

Canonical JSON: UTF-8, object keys sorted, no insignificant whitespace, non-ASCII characters written as is,
only strings, integers, booleans, null, arrays and objects (never floats). Strings are escaped as ECMAScript's
``JSON.stringify`` does (RFC 8785), which is also what Python's ``json.dumps(ensure_ascii=False)`` writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspector_app.core.errors import ValidationError

PARAMS_FORMAT = "inspector-draw-params/1"
GRADES = ("A", "B", "C", "D")
MAX_WEIGHT = 100
MAX_SEED_LENGTH = 200
MIN_TEAM = 2
_RATIO_RE = re.compile(r"^(0\.[0-9]{1,6}|1(\.0{1,6})?)$")
_TEXT_LIMIT = 200
#: Unicode category Cc (C0 and C1 control characters) — exactly U+0000–U+001F and U+007F–U+009F.
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")


def canonical_json(value: Any) -> bytes:
    """The canonical bytes of a JSON value (sorted keys, compact, UTF-8, no floats allowed)."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def check_text(value: Any, where: str, *, required: bool = False, limit: int = _TEXT_LIMIT) -> str:
    """A plain string without control characters (they would make printed and hashed text diverge)."""
    if not isinstance(value, str):
        raise ValidationError(f"{where} 应为文字，实际为 {type(value).__name__}")
    if required and not value:
        raise ValidationError(f"{where} 不能为空")
    if len(value) > limit:
        raise ValidationError(f"{where} 过长（{len(value)} 个字符，最多 {limit} 个）")
    if CONTROL_CHARS.search(value):
        raise ValidationError(f"{where} 含有控制字符（如换行、制表符），请删除后重试")
    return value


def check_seed(seed: Any) -> str:
    """A seed is 1–200 characters of text without control characters, used exactly as given."""
    return check_text(seed, "随机种子", required=True, limit=MAX_SEED_LENGTH)


def _check_day(value: Any, where: str) -> str | None:
    if value is None or value == "":
        return None
    text = check_text(value, where)
    try:
        if date.fromisoformat(text).isoformat() != text:
            raise ValueError
    except ValueError:
        raise ValidationError(f"{where} 的日期“{text}”格式不正确，应为 YYYY-MM-DD") from None
    return text


def _check_int(value: Any, where: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{where} 应为整数，实际为 {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"{low}–{high}" if high is not None else f"不小于 {low}"
        raise ValidationError(f"{where} 应为 {bound} 的整数，实际为 {value}")
    return value


def check_ratio(value: Any) -> str | None:
    """A sampling ratio as decimal text, 0 < r ≤ 1 with at most 6 decimals (e.g. ``"0.05"``)."""
    if value is None or value == "":
        return None
    text = check_text(value, "抽查比例")
    if not _RATIO_RE.match(text) or not any(ch in "123456789" for ch in text):
        raise ValidationError(
            f"抽查比例“{text}”无效：应为 0 到 1 之间（不含 0）的小数，最多 6 位小数，如 0.05"
        )
    return text.rstrip("0").rstrip(".") if "." in text else text  # one spelling per value: 0.50 → 0.5


def ratio_count(population: int, ratio: str) -> int:
    """``ceil(population × ratio)`` computed exactly on the decimal text (no floating point)."""
    whole, _, decimals = ratio.partition(".")
    scale: int = 10 ** len(decimals)
    numerator = int(whole) * scale + int(decimals or "0")
    return -(-population * numerator // scale)


@dataclass(frozen=True, order=True)
class RosterEntry:
    """An inspector who may be drawn: the global user id and the area (辖区) the inspector works in."""

    id: str
    area: str


@dataclass(frozen=True, order=True)
class Conflict:
    """A declared conflict of interest: the inspector never inspects this business in a draw."""

    inspector: str
    uscc: str


def default_weights() -> dict[str, int]:
    return {"A": 1, "B": 2, "C": 4, "D": 8}


@dataclass(frozen=True)
class DrawParams:
    """What a draw is asked to do. Build with :func:`make_params` (which validates and normalises).

    ``size`` and ``ratio`` may both be given: the sample is then ``min(size, ceil(population × ratio))``.
    ``weights`` maps every risk grade A–D to a positive integer; a target's chance grows with its weight.
    """

    size: int | None = None
    ratio: str | None = None
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    not_inspected_since: str | None = None
    weights: Mapping[str, int] = field(default_factory=default_weights)
    team_size: int = MIN_TEAM
    exclude_last_inspectors: bool = True
    max_per_inspector: int = 0
    window_from: str | None = None
    window_to: str | None = None
    title: str = ""
    roster: tuple[RosterEntry, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    def sample_size(self, population: int) -> int:
        """How many targets to draw from a population of ``population`` businesses."""
        wanted = [n for n in (self.size,) if n is not None]
        if self.ratio is not None:
            wanted.append(ratio_count(population, self.ratio))
        return min([population, *wanted])

    def to_canonical(self) -> dict[str, Any]:
        """The parameters as a canonical JSON object (see ``docs/DRAWS.md``, "Parameters")."""
        return {
            "format": PARAMS_FORMAT,
            "title": self.title,
            "filters": {
                "areas": list(self.areas),
                "kinds": list(self.kinds),
                "grades": list(self.grades),
                "not_inspected_since": self.not_inspected_since,
            },
            "sample": {"size": self.size, "ratio": self.ratio},
            "weights": {grade: self.weights[grade] for grade in GRADES},
            "pairing": {
                "team_size": self.team_size,
                "exclude_last_inspectors": self.exclude_last_inspectors,
                "max_per_inspector": self.max_per_inspector,
            },
            "window": {"from": self.window_from, "to": self.window_to},
            "roster": [{"id": r.id, "area": r.area} for r in self.roster],
            "conflicts": [{"inspector": c.inspector, "uscc": c.uscc} for c in self.conflicts],
        }

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.to_canonical())

    @classmethod
    def from_canonical(cls, data: Any) -> DrawParams:
        """Read parameters back from a published draw (validated; the bytes must be canonical again)."""
        obj = _object(data, "params", {"format", "title", "filters", "sample", "weights", "pairing", "window",
                                        "roster", "conflicts"})  # fmt: skip
        if obj["format"] != PARAMS_FORMAT:
            raise ValidationError(f"params.format 应为 {PARAMS_FORMAT}，实际为 {obj['format']!r}")
        filters = _object(
            obj["filters"], "params.filters", {"areas", "kinds", "grades", "not_inspected_since"}
        )
        sample = _object(obj["sample"], "params.sample", {"size", "ratio"})
        pairing = _object(
            obj["pairing"], "params.pairing", {"team_size", "exclude_last_inspectors", "max_per_inspector"}
        )
        window = _object(obj["window"], "params.window", {"from", "to"})
        roster = [
            _object(r, "params.roster[]", {"id", "area"}) for r in _array(obj["roster"], "params.roster")
        ]
        conflicts = [
            _object(c, "params.conflicts[]", {"inspector", "uscc"})
            for c in _array(obj["conflicts"], "params.conflicts")
        ]
        if not isinstance(pairing["exclude_last_inspectors"], bool):
            raise ValidationError("params.pairing.exclude_last_inspectors 应为 true 或 false")
        params = make_params(
            size=sample["size"],
            ratio=sample["ratio"],
            areas=_array(filters["areas"], "params.filters.areas"),
            kinds=_array(filters["kinds"], "params.filters.kinds"),
            grades=_array(filters["grades"], "params.filters.grades"),
            not_inspected_since=filters["not_inspected_since"],
            weights=_object(obj["weights"], "params.weights", set(GRADES)),
            team_size=pairing["team_size"],
            exclude_last_inspectors=pairing["exclude_last_inspectors"],
            max_per_inspector=pairing["max_per_inspector"],
            window_from=window["from"],
            window_to=window["to"],
            title=obj["title"],
            roster=[RosterEntry(r["id"], r["area"]) for r in roster],
            conflicts=[Conflict(c["inspector"], c["uscc"]) for c in conflicts],
        )
        if params.to_canonical() != obj:
            raise ValidationError("params 不是规范形式（列表须排序、去重），无法据此复核抽查")
        return params


def _object(value: Any, where: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(f"{where} 应为 JSON 对象")
    if set(value) != keys:
        missing = sorted(keys - set(value))
        extra = sorted(set(value) - keys)
        parts = ([f"缺少 {', '.join(missing)}"] if missing else []) + (
            [f"多出 {', '.join(extra)}"] if extra else []
        )
        raise ValidationError(f"{where} 的字段不正确：{'；'.join(parts)}")
    return value


def _array(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(f"{where} 应为 JSON 数组")
    return value


def _texts(values: Iterable[Any], where: str) -> tuple[str, ...]:
    return tuple(sorted({check_text(v, where, required=True) for v in values}))


def make_params(
    *,
    size: int | None = None,
    ratio: str | None = None,
    areas: Iterable[str] = (),
    kinds: Iterable[str] = (),
    grades: Iterable[str] = (),
    not_inspected_since: str | None = None,
    weights: Mapping[str, int] | None = None,
    team_size: int = MIN_TEAM,
    exclude_last_inspectors: bool = True,
    max_per_inspector: int = 0,
    window_from: str | None = None,
    window_to: str | None = None,
    title: str = "",
    roster: Iterable[RosterEntry] = (),
    conflicts: Iterable[Conflict] = (),
) -> DrawParams:
    """Validated, normalised parameters: lists sorted and de-duplicated, every value checked (Chinese errors)."""
    if size is not None:
        _check_int(size, "抽查数量", 1)
    checked_ratio = check_ratio(ratio)
    if size is None and checked_ratio is None:
        raise ValidationError("请给出抽查数量（--size）或抽查比例（--ratio）")
    grade_list = _texts(grades, "风险等级筛选")
    unknown = [g for g in grade_list if g not in GRADES]
    if unknown:
        raise ValidationError(f"风险等级筛选含未知等级 {'、'.join(unknown)}（可用：A、B、C、D）")
    chosen = dict(weights) if weights is not None else default_weights()
    if set(chosen) != set(GRADES):
        raise ValidationError("抽取权重须为 A、B、C、D 四个等级各给一个正整数")
    for grade in GRADES:
        _check_int(chosen[grade], f"等级 {grade} 的抽取权重", 1, MAX_WEIGHT)
    _check_int(team_size, "每户检查人员数", MIN_TEAM, 10)
    _check_int(max_per_inspector, "每名检查人员最多分配户数", 0)
    start = _check_day(window_from, "检查期限起始日")
    end = _check_day(window_to, "检查期限截止日")
    if start and end and start > end:
        raise ValidationError(f"检查期限起始日 {start} 晚于截止日 {end}")
    people = sorted(set(roster))
    for entry in people:
        check_text(entry.id, "检查人员编号", required=True)
        check_text(entry.area, "检查人员辖区")
        if "," in entry.id:  # the snapshot lists last time's inspectors separated by commas
            raise ValidationError(f"检查人员编号“{entry.id}”不能含逗号")
    ids = [entry.id for entry in people]
    if len(set(ids)) != len(ids):
        raise ValidationError("检查人员名单中同一人出现在多个辖区；每人只能属于一个辖区")
    declared = sorted(set(conflicts))
    for conflict in declared:
        check_text(conflict.inspector, "回避声明中的检查人员编号", required=True)
        check_text(conflict.uscc, "回避声明中的统一社会信用代码", required=True)
    return DrawParams(
        size=size,
        ratio=checked_ratio,
        areas=_texts(areas, "辖区筛选"),
        kinds=_texts(kinds, "主体类型筛选"),
        grades=grade_list,
        not_inspected_since=_check_day(not_inspected_since, "未检查起始日"),
        weights={grade: chosen[grade] for grade in GRADES},
        team_size=team_size,
        exclude_last_inspectors=bool(exclude_last_inspectors),
        max_per_inspector=max_per_inspector,
        window_from=start,
        window_to=end,
        title=check_text(title, "抽查名称"),
        roster=tuple(people),
        conflicts=tuple(declared),
    )


@dataclass(frozen=True)
class DrawDefaults:
    """Defaults for new draws, from ``forms/risk.yaml`` (``draw:``); each can be overridden per draw."""

    weights: Mapping[str, int] = field(default_factory=default_weights)
    team_size: int = MIN_TEAM
    exclude_last_inspectors: bool = True
    max_per_inspector: int = 0
