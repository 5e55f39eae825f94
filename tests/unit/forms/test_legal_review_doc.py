"""docs/LEGAL-REVIEW.md stays true: its counts are the citation report's, and it names every text that has a
citation still to confirm (待核实)."""

from __future__ import annotations

import re

from inspector_app.core.citations import CitationStatus
from inspector_app.forms.citations import citation_report
from inspector_app.forms.library import load_library
from inspector_app.paths import PROJECT_ROOT

DOC = (PROJECT_ROOT / "docs" / "LEGAL-REVIEW.md").read_text(encoding="utf-8")
LIBRARY = load_library()
REPORT = citation_report(LIBRARY)


def test_the_counts_in_the_review_are_the_report_counts():
    counts = REPORT.counts()
    assert (
        f"| all ({counts['items']} items) | {counts['citations']} — {counts['basis']} 依据, {counts['reference']} 参照 |"
        in DOC
    )
    assert f"| checked against the held text | {counts['checked']} (all pass) |" in DOC
    expected = f"| texts not held | {counts['not_held']} — 已核实 {counts['verified']}, **待核实 {counts['unverified']}** |"
    assert expected in DOC


def test_every_text_with_a_citation_to_confirm_is_named_in_the_review():
    unverified = {r.citation.law for r in REPORT.rows if r.status is CitationStatus.UNVERIFIED}
    section = DOC.split("## 6.", 1)[1]
    for key in sorted(unverified):
        title = LIBRARY.laws[key].title
        name = re.search(r"《[^》]+》", title)
        short = name.group(0) if name else title
        assert short in section or title.split("《")[0].strip() in section, title


def test_every_item_code_the_review_lists_as_local_star_is_a_local_key_item():
    local = re.search(r"Local ★☆ \(to confirm\): (.+?)\. CY11", DOC, re.S).group(1)
    codes = set(re.findall(r"[A-Z]{2}\d{2}", local))
    items = {i.code: i for c in LIBRARY.all() for i in c.items}
    assert codes == {code for code, item in items.items() if item.key and item.key_local}


def test_every_item_code_the_review_lists_as_official_star_is_an_official_food_key_item():
    official = re.search(
        r"Official ★ \(each cites its 2016 table item as\s+参照\): (.+?)\. Local", DOC, re.S
    ).group(1)
    codes = set(re.findall(r"[A-Z]{2}\d{2}", official))
    items = {i.code: i for c in LIBRARY.all() if c.family.value == "food" for i in c.items}
    assert codes == {code for code, item in items.items() if item.key and not item.key_local}
