"""Write the docs sample: ``docs/sample-record.pdf`` and page images ``docs/sample-record-p1.png``, ``-p2.png``.

The record is a demo record made through the real services (``demo.fill.fill_demo`` in a temporary data
home): the 锅炉 inspection that found a 严重事故隐患 — failures with notes and photos, rectification orders with
隐患整改“五落实”, inspector and party signatures. Page images are rendered with pypdfium2 (no poppler needed).

Usage: ``python benches/sample_record.py [--form equipment.boiler] [--dpi 110]``. Last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from inspector_app.core.clock import FixedClock
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.summaries import InspectionQuery
from inspector_app.demo.fill import fill_demo
from inspector_app.paths import DataHome
from inspector_app.services.app import Services

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
TODAY = date(2026, 11, 28)


def pick_record(services: Services, form_id: str) -> str:
    """The finalized demo record of ``form_id`` with the most rectification orders."""
    found = services.inspections.list(InspectionQuery(status=RecordStatus.FINALIZED, form_prefix=form_id))
    if not found:
        raise SystemExit(f"no finalized demo record for {form_id}")
    return max(found, key=lambda s: len(services.inspections.get(s.id).orders)).id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--form", default="equipment.boiler")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(
            DataHome(Path(tmp)).ensure(), clock=FixedClock(datetime(2026, 11, 28, 2, tzinfo=UTC))
        )
        try:
            fill_demo(services, businesses=200, today=TODAY)
            record_id = pick_record(services, args.form)
            pdf_path = services.reports.write(record_id, DOCS / "sample-record.pdf")
        finally:
            services.close()
    document = pdfium.PdfDocument(str(pdf_path))
    images = []
    for index in range(min(2, len(document))):
        target = DOCS / f"sample-record-p{index + 1}.png"
        page = document[index].render(scale=args.dpi / 72).to_pil().convert("RGB")
        page.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(
            target, optimize=True
        )  # palette: small files
        images.append(str(target.relative_to(ROOT)))
    pages = len(document)
    document.close()
    print(f"wrote {pdf_path.relative_to(ROOT)} ({pages} pages, {pdf_path.stat().st_size} bytes) and {images}")
    print(json.dumps({"sample": str(pdf_path.relative_to(ROOT)), "pages": pages, "images": images}))


if __name__ == "__main__":
    main()
