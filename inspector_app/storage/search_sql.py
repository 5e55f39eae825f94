"""The statements behind registry search, one per (tier, index), each ending in ``LIMIT ?``.

Tiers: 0 exact (name or USCC), 1 prefix (name, USCC, pinyin initials), 2 substring (name; initials of 3+
letters). Prefixes are range queries ``col >= ? AND col < ?`` so SQLite walks the B-tree; substrings use the
FTS5 trigram index for 3+ characters and the ``name_gram`` FTS5 table of unigrams/bigrams for 1–2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inspector_app.core.identifiers import normalize_code

_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{1,18}$")
_INITIALS_RE = re.compile(r"^[a-z0-9]*[a-z][a-z0-9]*$")


@dataclass(frozen=True)
class SearchStep:
    """One indexed statement returning ``rid`` values; its last parameter (the LIMIT) is added on run."""

    tier: int
    source: str
    sql: str
    params: tuple[str, ...]


def name_grams(name: str) -> str:
    """The ``name_gram`` document of a name: its distinct unigrams and bigrams (lower-cased, no whitespace)."""
    text = "".join(name.lower().split())
    grams = set(text)
    grams.update(text[i : i + 2] for i in range(len(text) - 1))
    return " ".join(sorted(grams))


def prefix_end(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (for ``col < ?``)."""
    last = ord(prefix[-1])
    following = 0xE000 if last == 0xD7FF else last + 1
    return prefix[:-1] + chr(min(following, 0x10FFFF))


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts_phrase(column: str, text: str) -> str:
    return f"{column} : {_quoted(text)}"


def _range(column: str, source: str, value: str) -> SearchStep:
    sql = f"SELECT rid FROM businesses WHERE {column} >= ? AND {column} < ? ORDER BY {column} LIMIT ?"
    return SearchStep(1, source, sql, (value, prefix_end(value)))


def _fts(column: str, source: str, text: str) -> SearchStep:
    # The join drops entries a raw DELETE/UPDATE left behind; instr() re-checks the match on the row itself.
    sql = (
        "SELECT f.rowid FROM business_fts AS f JOIN businesses AS b ON b.rid = f.rowid"
        f" WHERE f.business_fts MATCH ? AND instr(lower(b.{column}), lower(?)) > 0 ORDER BY f.rowid LIMIT ?"
    )
    return SearchStep(2, source, sql, (_fts_phrase(column, text), text))


def search_steps(query: str) -> list[SearchStep]:
    """The statements a search for ``query`` runs, best tier first (empty for a blank query)."""
    text = " ".join(query.split())
    if not text:
        return []
    code = normalize_code(text)
    is_code = bool(_CODE_RE.match(code))
    lower = text.lower()
    is_initials = bool(_INITIALS_RE.match(lower)) and lower.isascii()
    steps = [SearchStep(0, "name", "SELECT rid FROM businesses WHERE name = ? LIMIT ?", (text,))]
    if is_code and len(code) == 18:
        steps.append(SearchStep(0, "uscc", "SELECT rid FROM businesses WHERE uscc = ? LIMIT ?", (code,)))
    steps.append(_range("name", "name", text))
    if is_code:
        steps.append(_range("uscc", "uscc", code))
    if is_initials:
        steps.append(_range("initials", "initials", lower))
    if len(text) >= 3:
        steps.append(_fts("name", "name", text))
    else:
        sql = (
            "SELECT g.rowid FROM name_gram AS g JOIN businesses AS b ON b.rid = g.rowid"
            " WHERE g.name_gram MATCH ? AND instr(lower(b.name), ?) > 0 ORDER BY g.rowid LIMIT ?"
        )
        gram = "".join(lower.split())
        steps.append(SearchStep(2, "name", sql, (_quoted(gram), gram)))
    if is_initials and len(lower) >= 3:
        steps.append(_fts("initials", "initials", lower))
    return steps
