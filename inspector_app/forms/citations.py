"""Checking every citation of the current checklists against the law texts held in ``resources/laws/``.

A citation of a held text passes when its article exists (and its paragraph/item, when given) and every one
of its ``words`` appears in the cited part. A citation of a text not held is not checked here: it is counted
by its declared status (已核实 / 待核实). Used by the citation test and by ``inspector forms citations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from inspector_app.core.checklist import Checklist, Item
from inspector_app.core.citations import (
    NUMERAL_CHARS,
    Citation,
    CitationRole,
    CitationStatus,
    LawText,
    count_by_status,
    from_chinese,
)
from inspector_app.forms.library import FormLibrary
from inspector_app.paths import LAWS_DIR

_ARTICLE_START = re.compile(rf"^第([{NUMERAL_CHARS}]+)条[\s\u3000]*")
_ITEM_START = re.compile(rf"^[（(]([{NUMERAL_CHARS}]+)[）)]")


@dataclass(frozen=True)
class Paragraph:
    """One 款: its text (the article's opening words removed) and its 项 (items), in order."""

    text: str
    items: tuple[str, ...] = ()

    @property
    def full_text(self) -> str:
        return "\n".join((self.text, *self.items))


@dataclass(frozen=True)
class Article:
    number: int
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        return "\n".join(p.full_text for p in self.paragraphs)


def parse_articles(text: str) -> dict[int, Article]:
    """Articles of a law text as published in the LawRefBook collection: one line per 款 or 项; a line that
    starts with ``第X条`` opens an article, a heading (``#``) closes it, ``（一）`` lines are items."""
    articles: dict[int, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#") or line.startswith("<!--"):
            current = None
            continue
        start = _ARTICLE_START.match(line)
        if start:
            current = articles.setdefault(from_chinese(start.group(1)), [])
            current.append([line[start.end() :]])
        elif current is not None:
            if _ITEM_START.match(line) and current:
                current[-1].append(line)
            else:
                current.append([line])
    return {
        number: Article(number, tuple(Paragraph(p[0], tuple(p[1:])) for p in paras))
        for number, paras in articles.items()
    }


@cache
def _articles(path: Path) -> dict[int, Article]:
    return parse_articles(path.read_text(encoding="utf-8"))


def cited_text(citation: Citation, articles: dict[int, Article]) -> tuple[str | None, str]:
    """The text of the cited article/paragraph/item, or ``(None, why)`` when it does not exist."""
    article = articles.get(citation.article or 0)
    if article is None:
        return None, f"第{citation.article}条不存在"
    if not citation.paragraph:
        if citation.item:
            items = [i for p in article.paragraphs for i in p.items]
            if citation.item > len(items):
                return None, f"第{citation.article}条没有第{citation.item}项"
            return items[citation.item - 1], ""
        return article.text, ""
    if citation.paragraph > len(article.paragraphs):
        return None, f"第{citation.article}条只有{len(article.paragraphs)}款，没有第{citation.paragraph}款"
    paragraph = article.paragraphs[citation.paragraph - 1]
    if not citation.item:
        return paragraph.full_text, ""
    if citation.item > len(paragraph.items):
        return None, f"第{citation.article}条第{citation.paragraph}款没有第{citation.item}项"
    return paragraph.items[citation.item - 1], ""


def check_citation(citation: Citation, law: LawText, laws_dir: Path = LAWS_DIR) -> str:
    """Why a citation of a held text fails (empty string: it passes; texts not held always pass here)."""
    if not law.held:
        return ""
    path = laws_dir / law.file
    if not path.exists():
        return f"原文文件 {law.file} 不存在"
    text, why = cited_text(citation, _articles(path))
    if text is None:
        return why
    compact = re.sub(r"\s", "", text)
    missing = [w for w in citation.words if re.sub(r"\s", "", w) not in compact]
    if missing:
        return f"{citation.locator()}中找不到：{'、'.join(missing)}"
    return ""


@dataclass(frozen=True)
class CitationRow:
    """One citation of one item of one checklist, with its status and any problem found."""

    form_id: str
    form_version: int
    item_code: str
    citation: Citation
    law: LawText
    status: CitationStatus
    problem: str = ""

    def as_dict(self) -> dict[str, object]:
        c = self.citation
        return {
            "form_id": self.form_id,
            "form_version": self.form_version,
            "item": self.item_code,
            "role": c.role.value,
            "law": c.law,
            "title": self.law.title,
            "held": self.law.held,
            "article": c.article,
            "paragraph": c.paragraph,
            "item_no": c.item,
            "clause": c.clause,
            "locator": c.locator(),
            "words": list(c.words),
            "status": self.status.value,
            "note": c.note,
            "problem": self.problem,
        }


@dataclass
class CitationReport:
    """Every citation of the checked checklists; an item shared by several checklists (a part) appears once
    per checklist in ``rows`` and once in :meth:`distinct`, which the counts use."""

    rows: list[CitationRow] = field(default_factory=list)
    items_without_citations: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[CitationRow]:
        return [r for r in self.rows if r.problem]

    def distinct(self) -> list[tuple[CitationRow, tuple[str, ...]]]:
        """Each (item, citation) once, with the ids of the checklists it appears in."""
        seen: dict[tuple[str, Citation], tuple[CitationRow, list[str]]] = {}
        for row in self.rows:
            entry = seen.setdefault((row.item_code, row.citation), (row, []))
            entry[1].append(row.form_id)
        return [(row, tuple(forms)) for row, forms in seen.values()]

    def counts(self) -> dict[str, int]:
        distinct = [row for row, _ in self.distinct()]
        by_status = count_by_status((r.citation, r.law) for r in distinct)
        return {
            "citations": len(distinct),
            "checked": by_status[CitationStatus.CHECKED],
            "not_held": by_status[CitationStatus.VERIFIED] + by_status[CitationStatus.UNVERIFIED],
            "verified": by_status[CitationStatus.VERIFIED],
            "unverified": by_status[CitationStatus.UNVERIFIED],
            "failed": sum(1 for r in distinct if r.problem),
            "basis": sum(1 for r in distinct if r.citation.role is CitationRole.BASIS),
            "reference": sum(1 for r in distinct if r.citation.role is CitationRole.REFERENCE),
            "items": len({r.item_code for r in distinct}),
        }


def _item_rows(
    checklist: Checklist, item: Item, laws: dict[str, LawText], laws_dir: Path
) -> list[CitationRow]:
    rows = []
    for citation in item.citations:
        law = laws[citation.law]
        status = CitationStatus.CHECKED if law.held else (citation.status or CitationStatus.UNVERIFIED)
        problem = check_citation(citation, law, laws_dir)
        rows.append(CitationRow(checklist.id, checklist.version, item.code, citation, law, status, problem))
    return rows


def citation_report(
    library: FormLibrary, checklists: Iterable[Checklist] | None = None, laws_dir: Path = LAWS_DIR
) -> CitationReport:
    """Check the citations of ``checklists`` (default: the latest version of every checklist)."""
    report = CitationReport()
    for checklist in checklists if checklists is not None else library.all():
        for item in checklist.items:
            if not item.citations:
                report.items_without_citations.append(f"{checklist.id} {item.code}")
            report.rows += _item_rows(checklist, item, library.laws, laws_dir)
    return report
