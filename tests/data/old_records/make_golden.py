"""Regenerate the golden printed content of records finalized on version-1 checklists.

Run once, on the code that shipped version 1 (commit a0676f2), to freeze what those records printed:
``python tests/data/old_records/make_golden.py``. The test ``tests/unit/reports/test_old_versions.py`` builds
the same records and checks that they still verify and print exactly this content.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[2]), str(HERE.parents[1])]

from old_records import OLD_RECORDS  # noqa: E402

from inspector_app.forms.library import load_library  # noqa: E402
from inspector_app.reports.content import build_report  # noqa: E402
from inspector_app.reports.pdf import render_pdf  # noqa: E402


def pdf_text(pdf: bytes) -> str:
    """The text a reader extracts from the PDF, page after page."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def no_images(sha256: str) -> bytes:
    raise FileNotFoundError(sha256)  # signature images are not part of the golden content


def main() -> None:
    library = load_library()
    for name, make in OLD_RECORDS.items():
        record = make()
        checklist = library.get(record.form_id, record.form_version)
        data = asdict(build_report(record, checklist, grade_rules=library.grade_rules))
        golden = {"content_hash": record.content_hash, "report": data}
        text = json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        (HERE / f"{name}.json").write_text(text + "\n", encoding="utf-8")
        pdf = render_pdf(build_report(record, checklist, grade_rules=library.grade_rules), no_images)
        (HERE / f"{name}.pdf.txt").write_text(pdf_text(pdf), encoding="utf-8")


if __name__ == "__main__":
    main()
