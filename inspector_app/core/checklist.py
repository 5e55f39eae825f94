"""The checklist (检查要点表) model: families, sections, items, answer types and conditions.

The loader in :mod:`inspector_app.forms` turns the data files in ``forms/`` into these frozen records;
everything else (GUI, verdicts, storage, reports) works on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from inspector_app.core.citations import Citation, CitationRole, split_legacy_basis, strip_placeholders


class Family(StrEnum):
    """The three checklist families."""

    FOOD = "food"
    EQUIPMENT = "equipment"
    COSMETICS = "cosmetics"

    @property
    def label(self) -> str:
        return {"food": "食品“三小”", "equipment": "特种设备", "cosmetics": "化妆品经营"}[self.value]


class AnswerType(StrEnum):
    """How an item is answered. ``tri`` (符合/不符合/不适用) is the default."""

    TRI = "tri"
    YESNO = "yesno"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    CHOICE = "choice"


class Result(StrEnum):
    """The judged result of one item, as printed on the record."""

    COMPLIANT = "符合"
    NONCOMPLIANT = "不符合"
    NOT_APPLICABLE = "不适用"


YES = "是"
NO = "否"
TRI_VALUES = (Result.COMPLIANT.value, Result.NONCOMPLIANT.value, Result.NOT_APPLICABLE.value)


@dataclass(frozen=True)
class Choice:
    """One option of a ``choice`` item; ``fail`` marks options that count as 不符合."""

    value: str
    fail: bool = False


@dataclass(frozen=True)
class Condition:
    """Show an item only when another answer (``item``) or a business/equipment ``attribute`` has a value.

    ``equals`` holds the accepted values (any of them). A missing answer/attribute never matches. With
    ``negate`` (``not_equals`` in the file) the condition holds when the value is missing or not among them.
    """

    equals: tuple[str, ...]
    item: str | None = None
    attribute: str | None = None
    negate: bool = False

    def holds(self, values: Mapping[str, str | None], attributes: Mapping[str, str]) -> bool:
        actual = values.get(self.item) if self.item else attributes.get(self.attribute or "")
        matches = actual is not None and str(actual) in self.equals
        return not matches if self.negate else matches


KEY_MARK_OFFICIAL = "★"
KEY_MARK_LOCAL = "★☆"


@dataclass(frozen=True)
class Item:
    """One inspection point. ``basis`` (法律依据, printed) is never empty; ``key`` marks 重点项/重大事故隐患.

    ``key_local`` marks a key item that is a local proposal (★☆) rather than starred by an official table (★):
    it judges the same, but is shown and printed differently. ``citations`` structure the basis (and the
    参照 notes); ``reference`` is the printed 参照 note — shown to the inspector, never as the legal basis.
    """

    code: str
    text: str
    basis: str
    guidance: str = ""
    key: bool = False
    type: AnswerType = AnswerType.TRI
    unit: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[Choice, ...] = ()
    allow_na: bool = True
    note_when_fail: bool = True
    photo_when_fail: bool = False
    show_if: tuple[Condition, ...] = ()
    points: float | None = None
    inferred: bool = False
    key_local: bool = False
    citations: tuple[Citation, ...] = ()
    reference: str = ""

    @property
    def key_mark(self) -> str:
        """★ (official key item), ★☆ (local proposal) or empty."""
        if not self.key:
            return ""
        return KEY_MARK_LOCAL if self.key_local else KEY_MARK_OFFICIAL

    @property
    def basis_citations(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.role is CitationRole.BASIS)

    @property
    def reference_citations(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.role is CitationRole.REFERENCE)

    @property
    def printed_basis(self) -> str:
        """The 依据 as shown and printed: never a 参照 text, never a 待核实 placeholder (version-1 items
        mixed both into ``basis``; they are split here)."""
        if self.citations or self.reference:
            return strip_placeholders(self.basis)
        return split_legacy_basis(self.basis)[0]

    @property
    def reference_note(self) -> str:
        """The 参照 note shown to the inspector (other provinces' rules, repealed tables); may be empty."""
        if self.citations or self.reference:
            return strip_placeholders(self.reference)
        return split_legacy_basis(self.basis)[1]

    def allowed_values(self) -> tuple[str, ...] | None:
        """The closed set of values, or ``None`` for free input (number/date/text)."""
        na = (Result.NOT_APPLICABLE.value,) if self.allow_na else ()
        if self.type is AnswerType.TRI:
            return TRI_VALUES
        if self.type is AnswerType.YESNO:
            return (YES, NO, *na)
        if self.type is AnswerType.CHOICE:
            return (*(c.value for c in self.choices), *na)
        return None

    def check_value(self, value: str) -> str | None:
        """Return a Chinese error message when ``value`` is not a valid answer, else ``None``."""
        if self.allow_na and value == Result.NOT_APPLICABLE.value:
            return None
        allowed = self.allowed_values()
        if allowed is not None:
            return None if value in allowed else f"{self.code}：答案“{value}”无效，应为 {'/'.join(allowed)}"
        if self.type is AnswerType.NUMBER:
            try:
                float(value)
            except ValueError:
                return f"{self.code}：“{value}”不是数字"
        if self.type is AnswerType.DATE:
            try:
                date.fromisoformat(value)
            except ValueError:
                return f"{self.code}：“{value}”不是日期（格式 YYYY-MM-DD）"
        return None

    def judge(self, value: str | None) -> Result | None:
        """The result a value earns: 符合/不符合/不适用, or ``None`` (unanswered or informational text/date)."""
        if value is None or value == "":
            return None
        if value == Result.NOT_APPLICABLE.value:
            return Result.NOT_APPLICABLE
        if self.type is AnswerType.TRI:
            return Result(value)
        if self.type is AnswerType.YESNO:
            return Result.COMPLIANT if value == YES else Result.NONCOMPLIANT
        if self.type is AnswerType.CHOICE:
            failing = {c.value for c in self.choices if c.fail}
            return Result.NONCOMPLIANT if value in failing else Result.COMPLIANT
        if self.type is AnswerType.NUMBER:
            number = float(value)
            low = self.min is not None and number < self.min
            high = self.max is not None and number > self.max
            return Result.NONCOMPLIANT if (low or high) else Result.COMPLIANT
        return None  # date / text answers are recorded, not judged

    @property
    def counts_towards_verdict(self) -> bool:
        return self.type not in (AnswerType.DATE, AnswerType.TEXT)


@dataclass(frozen=True)
class Section:
    """A titled group of items."""

    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Checklist:
    """A versioned checklist (one data file, with shared parts already included)."""

    id: str
    version: int
    title: str
    family: Family
    sections: tuple[Section, ...]
    business_kinds: tuple[str, ...] = ()
    equipment_types: tuple[str, ...] = ()
    description: str = ""
    source: str = ""
    grading: str = ""  # "catering": also compute the 量化分级 dynamic grade
    verdict_rule: str = ""  # id of the verdict rule in rules.yaml; empty: the family's version-1 rule
    _index: dict[str, Item] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({item.code: item for section in self.sections for item in section.items})

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, code: str) -> Item:
        return self._index[code]

    def has_item(self, code: str) -> bool:
        return code in self._index

    def is_visible(self, item: Item, values: Mapping[str, str | None], attributes: Mapping[str, str]) -> bool:
        """Whether ``item`` is shown given the current answers and business/equipment attributes."""
        return all(cond.holds(values, attributes) for cond in item.show_if)

    def visible_items(
        self, values: Mapping[str, str | None], attributes: Mapping[str, str] | None = None
    ) -> tuple[Item, ...]:
        attrs = attributes or {}
        return tuple(item for item in self.items if self.is_visible(item, values, attrs))

    @property
    def key_count(self) -> int:
        return sum(1 for item in self.items if item.key)
