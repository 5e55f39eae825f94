"""Records finalized on an older checklist version keep verifying and print exactly what they printed then.

The golden files were produced by ``tests/data/old_records/make_golden.py`` on the code that shipped the
version-1 checklists; the records pin version 1, so they must render from the archived version 1.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest
from old_records import OLD_RECORDS

from inspector_app.core.records import content_hash
from inspector_app.forms.library import load_library
from inspector_app.reports.content import build_report
from inspector_app.reports.pdf import render_pdf
from inspector_app.version import app_version

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "old_records"
LIBRARY = load_library()


def _golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def assert_same_content(now, then, path="report"):
    """Everything printed then is printed now; what was added since is empty for an old record."""
    if isinstance(then, dict):
        for key in set(now) - set(then):
            assert not now[key], f"{path}.{key} is new and not empty: {now[key]!r}"
        for key in then:
            assert_same_content(now[key], then[key], f"{path}.{key}")
    elif isinstance(then, list):
        assert len(now) == len(then), path
        for n, (a, b) in enumerate(zip(now, then, strict=True)):
            assert_same_content(a, b, f"{path}[{n}]")
    else:
        assert now == then, path


def _no_images(sha256: str) -> bytes:
    raise FileNotFoundError(sha256)


@pytest.mark.parametrize("name", sorted(OLD_RECORDS))
def test_an_old_record_still_verifies_with_its_stored_hash(name):
    record = OLD_RECORDS[name]()
    assert content_hash(record) == record.content_hash == _golden(name)["content_hash"]


@pytest.mark.parametrize("name", sorted(OLD_RECORDS))
def test_an_old_record_prints_the_same_content_from_the_version_it_pinned(name):
    record = OLD_RECORDS[name]()
    checklist = LIBRARY.get(record.form_id, record.form_version)
    assert checklist.version == record.form_version == 1
    data = asdict(build_report(record, checklist, grade_rules=LIBRARY.grade_rules))
    data.pop("app_version")  # the version of the software printing it now, not part of the record
    assert_same_content(
        json.loads(json.dumps(data, ensure_ascii=False, default=str)), _golden(name)["report"]
    )


@pytest.mark.parametrize("name", sorted(OLD_RECORDS))
def test_an_old_record_renders_the_same_pdf_text(name):
    from io import BytesIO

    from pypdf import PdfReader

    record = OLD_RECORDS[name]()
    checklist = LIBRARY.get(record.form_id, record.form_version)
    pdf = render_pdf(build_report(record, checklist, grade_rules=LIBRARY.grade_rules), _no_images)
    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    # Each page's footer now also names the software that printed it (not part of the record).
    version = re.compile(rf" *软件版本：{re.escape(app_version())}")
    assert all(len(version.findall(text)) == 1 for text in pages)
    text = "\n".join(version.sub("", text) for text in pages)
    assert text == (GOLDEN / f"{name}.pdf.txt").read_text(encoding="utf-8")
