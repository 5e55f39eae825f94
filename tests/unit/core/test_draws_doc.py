"""docs/DRAWS.md is the specification: its worked example must be exactly what the code computes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from inspector_app.core.draw_params import canonical_json
from inspector_app.core.identifiers import is_valid_uscc
from tests.unit.core import draw_reference
from tests.unit.core.draw_example import PARAMS, ROWS, SEED, example_blocks

DOC = Path(__file__).resolve().parents[3] / "docs" / "DRAWS.md"
BLOCK = re.compile(r"<!-- example:([a-z-]+) -->\n```text\n(.*?)\n```", re.S)


def doc_blocks() -> dict[str, str]:
    return dict(BLOCK.findall(DOC.read_text(encoding="utf-8")))


def test_the_document_shows_every_block_of_the_example():
    assert set(doc_blocks()) == set(example_blocks())


def test_every_value_in_the_worked_example_is_what_the_code_computes():
    shown, computed = doc_blocks(), example_blocks()
    for name, text in computed.items():
        assert shown[name] == text, f"docs/DRAWS.md example block {name!r} is out of date"


def test_the_plain_reference_implementation_reproduces_the_documented_result():
    rows = [[*row[:5], row[5].split(",") if row[5] else []] for row in ROWS]
    result = draw_reference.draw(SEED, rows, PARAMS.to_canonical())
    assert canonical_json(result).decode() == doc_blocks()["result"]
    assert json.loads(doc_blocks()["result"])["registry_hash"] == doc_blocks()["registry-hash"]


def test_the_example_uses_valid_usccs():
    assert all(is_valid_uscc(row[0]) for row in ROWS)
