"""Structured legal citations (法律依据) of checklist items, and the texts they cite.

Every current item carries, next to its printed ``basis`` text, a list of :class:`Citation`: the law (a key of
the catalogue in ``forms/laws.yaml``), the article (条), optionally the paragraph (款) and item (项), and a few
words the item relies on. For a text the project holds (``resources/laws/``) a test checks that the article
exists and the words appear in it; a text it does not hold carries a declared status (已核实 / 待核实).

Citations have a role: 依据 (the legal basis printed on the record) or 参照 (a note for the inspector: other
provinces' rules, repealed national tables — never the basis of a Hubei record).

Also here: Chinese numerals (第一百零一条 ↔ 101) and parsing of printed basis text, so that the printed text
and the structured citations can be checked against each other. Pure functions, stdlib only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class CitationRole(StrEnum):
    """依据: the legal basis of the item; 参照: a note for the inspector, never a basis."""

    BASIS = "依据"
    REFERENCE = "参照"


class CitationStatus(StrEnum):
    """CHECKED is established by comparing with a held text; the other two are declared for texts not held."""

    CHECKED = "已核对原文"
    VERIFIED = "已核实"
    UNVERIFIED = "待核实"


class Scope(StrEnum):
    """Where a text applies: national, Hubei, or another province (参照 only in Hubei)."""

    NATIONAL = "national"
    HUBEI = "hubei"
    OTHER_PROVINCE = "other_province"

    @property
    def label(self) -> str:
        return {"national": "全国", "hubei": "湖北省", "other_province": "外省"}[self.value]


@dataclass(frozen=True)
class LawText:
    """One entry of the catalogue of cited texts.

    ``title`` is how it is printed (``《食品安全法》``); ``file`` names the held text in ``resources/laws/``
    (empty: not held); ``reference_only`` texts may only be cited as 参照 (other provinces are always so).
    """

    key: str
    title: str
    kind: str
    scope: Scope
    file: str = ""
    reference_only: bool = False
    note: str = ""

    @property
    def held(self) -> bool:
        return bool(self.file)

    @property
    def may_be_basis(self) -> bool:
        return not self.reference_only and self.scope is not Scope.OTHER_PROVINCE


@dataclass(frozen=True)
class Citation:
    """One cited provision. ``article``/``paragraph``/``item`` are numbers (条/款/项); ``clause`` is a
    standard's or table's own numbering (``5.6.2``, ``4.4``); ``words`` must appear in the cited text.
    ``status`` is declared only for texts not held (a held text is checked instead)."""

    law: str
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    clause: str = ""
    words: tuple[str, ...] = ()
    role: CitationRole = CitationRole.BASIS
    status: CitationStatus | None = None
    note: str = ""

    @property
    def unverified(self) -> bool:
        return self.status is CitationStatus.UNVERIFIED

    def locator(self) -> str:
        """``第六十七条第二款``, ``第三十四条第（六）项``, ``5.6.2``; empty when no number is given."""
        text = f"第{to_chinese(self.article)}条" if self.article else ""
        if self.paragraph:
            text += f"第{to_chinese(self.paragraph)}款"
        if self.item:
            text += f"第（{to_chinese(self.item)}）项"
        return text or self.clause


# -- Chinese numerals ----------------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {ch: n for n, ch in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
NUMERAL_CHARS = _DIGITS + "十百千〇两"


def to_chinese(number: int) -> str:
    """1 → 一, 10 → 十, 15 → 十五, 101 → 一百零一, 110 → 一百一十 (as article numbers are written)."""
    if not 0 < number < 10000:
        raise ValueError(f"article number out of range: {number}")
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            parts.append(_DIGITS[digit] + unit)
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def from_chinese(text: str) -> int:
    """The inverse of :func:`to_chinese` (also accepts Arabic digits)."""
    if text.isdigit():
        return int(text)
    total = current = 0
    for ch in text:
        if ch in _DIGIT_VALUE:
            current = _DIGIT_VALUE[ch]
        elif ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text}")
    return total + current


# -- printed basis text ----------------------------------------------------------------------------------------

_ARTICLE = re.compile(rf"第([{NUMERAL_CHARS}0-9]+)条")
PLACEHOLDERS = ("条款号待核实", "待核实")


@lru_cache(maxsize=8)
def _title_pattern(titles: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every title, longest first (a title inside a longer one never matches alone)."""
    by_title = {title: key for key, title in titles}
    ordered = sorted(by_title, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in ordered)), by_title


def printed_articles(text: str, titles: Mapping[str, str]) -> dict[str, set[int]]:
    """Which articles of which catalogue texts a printed basis names: ``{law key: {article, ...}}``.

    ``titles`` maps a law key to its printed title. A title's articles are the ``第X条`` that follow it, up to
    the next title or ``；``; a title printed without any article maps to an empty set.
    """
    if not titles:
        return {}
    pattern, by_title = _title_pattern(tuple(sorted(titles.items())))
    found = list(pattern.finditer(text))
    out: dict[str, set[int]] = {}
    for n, match in enumerate(found):
        stop = found[n + 1].start() if n + 1 < len(found) else len(text)
        segment = text[match.end() : stop].split("；", 1)[0]
        key = by_title[match.group(0)]
        out.setdefault(key, set()).update(from_chinese(m.group(1)) for m in _ARTICLE.finditer(segment))
    return out


def strip_placeholders(text: str) -> str:
    """Legacy texts wrote ``（条款号待核实）``; the screen and the record never show such a placeholder."""
    for placeholder in PLACEHOLDERS:
        text = text.replace(f"（{placeholder}）", "").replace(placeholder, "")
    return text


def split_legacy_basis(basis: str) -> tuple[str, str]:
    """Version-1 items wrote ``依据；参照…`` in one text: split it into (依据, 参照) for display."""
    basis_parts: list[str] = []
    reference_parts: list[str] = []
    for segment in strip_placeholders(basis).split("；"):
        segment = segment.strip()
        if segment.startswith("参照"):
            reference_parts += [p for p in re.split(r"、(?=《)", segment.removeprefix("参照")) if p]
        elif segment:
            basis_parts.append(segment)
    return "；".join(basis_parts), "；".join(reference_parts)


def count_by_status(
    citations: Iterable[tuple[Citation, LawText]],
) -> dict[CitationStatus, int]:
    """Citations per status: held texts count as CHECKED, the others by their declared status."""
    counts = dict.fromkeys(CitationStatus, 0)
    for citation, law in citations:
        status = CitationStatus.CHECKED if law.held else (citation.status or CitationStatus.UNVERIFIED)
        counts[status] += 1
    return counts
