"""Benchmark: PDF of a 60-item record with 6 photos, app renderer vs a bare reportlab render of the same content.

Photos are made as the app stores them: ~3000×4000 photo-like JPEGs run through
``services.media.prepare_photo`` (long side 1600, EXIF-free, quality 85). Both renders use the same embedded
CJK font and binary stream encoding; the bare one is a single Platypus table of the same texts plus the same
images (no numbered canvas, QR or styling). Times are the median CPU seconds of several warm, interleaved
runs in one process (CPU time, because other work on the machine makes wall time noisy; wall is printed too).

Goal: app ≤ 1.5× bare, < 1 s, < 3 MB. Last line: ``{"bench":"pdf","app_s":..,"bare_s":..,"ratio":..,"bytes":..}``.
"""

from __future__ import annotations

import json
import statistics
import time
from io import BytesIO

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table
from specimen import MemoryImages, long_checklist, make_photo, specimen_record

from inspector_app.core.checklist import Family
from inspector_app.forms.library import load_library
from inspector_app.reports.content import build_report
from inspector_app.reports.fonts import register_fonts
from inspector_app.reports.model import ReportData
from inspector_app.reports.pdf import binary_streams, render_pdf
from inspector_app.services.support.media import prepare_photo

ITEMS = 60
PHOTOS = 6
RUNS = 5


def bare_render(data: ReportData, loader: MemoryImages) -> bytes:
    """The same texts and images with plain reportlab: header paragraphs, one items table, images."""
    fonts = register_fonts()
    style = ParagraphStyle("b", fontName=fonts.sans, fontSize=9, leading=12, wordWrap="CJK")
    story: list = [
        Paragraph(t, style) for t in (data.title, data.party.name, data.party.address, data.time_text)
    ]
    story += [Paragraph(t, style) for t in data.notice]
    rows = [[Paragraph(x, style) for x in (r.code, r.text, r.result, r.note)] for r in data.rows]
    story.append(Table(rows, colWidths=[15 * mm, 100 * mm, 16 * mm, 49 * mm], repeatRows=1))
    story += [Paragraph(data.counts_text, style), Paragraph(data.verdict, style)]
    story += [Paragraph(f"{o.item_code} {o.requirement} {o.deadline}", style) for o in data.orders]
    for photo in data.photos:
        story += [
            Image(BytesIO(loader(photo.sha256)), width=60 * mm, height=80 * mm),
            Paragraph(photo.caption, style),
        ]
    for sig in data.signatures:
        if sig.image_sha256:
            story.append(Image(BytesIO(loader(sig.image_sha256)), width=40 * mm, height=14 * mm))
    out = BytesIO()
    with binary_streams():  # the same stream encoding as the app, so only layout work is compared
        SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
    return out.getvalue()


def timed(func) -> tuple[float, float, bytes]:
    """(CPU seconds, wall seconds, result) of one call; CPU time is robust to other load on the machine."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = func()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def main() -> None:
    library = load_library()
    checklist = long_checklist([c for c in library.all() if c.family is Family.FOOD], ITEMS)
    images = MemoryImages()
    start = time.perf_counter()
    photos = []
    for seed in range(PHOTOS):
        prepared = prepare_photo(make_photo(seed, (3000, 4000)))
        photos.append(images.add(prepared.data, "photo", prepared.mime))
    prep_s = time.perf_counter() - start
    record = specimen_record(checklist, images, photos=photos, fail_every=8)
    photo_bytes = sum(len(images(p.sha256)) for p in photos)
    print(f"record: {len(checklist.items)} items, {len(photos)} photos ({photo_bytes / 1e6:.2f} MB stored), "
          f"photo preparation {prep_s:.2f} s")  # fmt: skip

    fonts_s, _, _ = timed(register_fonts)  # once per process: parse the TrueType collection
    cold_s, _, _ = timed(lambda: render_pdf(build_report(record, checklist), images))
    data = build_report(record, checklist)
    app_runs, bare_runs, pdf, bare = [], [], b"", b""
    for _ in range(RUNS):  # interleaved so both see the same machine load
        cpu, wall, pdf = timed(lambda: render_pdf(build_report(record, checklist), images))
        app_runs.append((cpu, wall))
        cpu, wall, bare = timed(lambda: bare_render(data, images))
        bare_runs.append((cpu, wall))
    app_s = statistics.median(c for c, _ in app_runs)
    bare_s = statistics.median(c for c, _ in bare_runs)
    ratio = app_s / bare_s
    pages = len(PdfReader(BytesIO(pdf)).pages)
    app_wall = statistics.median(w for _, w in app_runs)
    bare_wall = statistics.median(w for _, w in bare_runs)
    print(f"app  render: {app_s:.3f} s CPU ({app_wall:.3f} s wall; first call {cold_s:.3f} s), "
          f"{len(pdf) / 1e6:.2f} MB, {pages} pages; font registration once per process {fonts_s:.3f} s")  # fmt: skip
    print(f"bare render: {bare_s:.3f} s CPU ({bare_wall:.3f} s wall), {len(bare) / 1e6:.2f} MB")
    print(f"ratio {ratio:.2f} (goal ≤ 1.5); app < 1 s: {app_s < 1}; < 3 MB: {len(pdf) < 3_000_000}")
    print(json.dumps({"bench": "pdf", "app_s": round(app_s, 3), "bare_s": round(bare_s, 3),
                      "ratio": round(ratio, 2), "bytes": len(pdf)}))  # fmt: skip


if __name__ == "__main__":
    main()
