"""Render :class:`ReportData` to PDF bytes with reportlab Platypus (A4, embedded CJK subset font).

Every page carries the 文书编号, "第 X 页 共 Y 页", a slot for the party's per-page signature and the record's
SHA-256; page 1 carries a QR code (record id + hash) for verification. Output is deterministic: reportlab's
``invariant`` mode plus a creation date taken from the record's finalization time. No database access —
images come through ``image_loader(sha256) -> bytes``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from typing import Any

import segno
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table

from inspector_app.core.clock import CHINA_TZ
from inspector_app.reports.canvas import PageTotalCanvas
from inspector_app.reports.fonts import FontNames, register_fonts
from inspector_app.reports.layout import (
    CONTENT_WIDTH,
    MUTED,
    ImageLoader,
    Styles,
    cell_style,
    fit_image,
    heading,
    info_block,
    items_block,
    make_styles,
    notice_block,
    orders_block,
    para,
    photos_block,
    related_block,
    result_block,
)
from inspector_app.reports.model import ReportData, SignatureBlock

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
QR_SIZE = 30 * mm
SIGNATURE_BOX = (52 * mm, 18 * mm)


class QrCode(Flowable):
    """A QR code drawn as one vector path (no raster image), error correction level M."""

    def __init__(self, payload: str, size: float, border: int = 2) -> None:
        super().__init__()
        self.qr = segno.make(payload, error="m", micro=False)
        self.border = border
        self.width = self.height = size

    def draw(self) -> None:
        rows = [list(r) for r in self.qr.matrix_iter(scale=1, border=self.border)]
        module = self.width / len(rows)
        path = self.canv.beginPath()
        for y, row in enumerate(rows):
            top = self.height - (y + 1) * module
            x = 0
            while x < len(row):
                if row[x]:
                    start = x
                    while x < len(row) and row[x]:
                        x += 1
                    path.rect(start * module, top, (x - start) * module, module)
                else:
                    x += 1
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def header_block(data: ReportData, s: Styles) -> list[Flowable]:
    """Title, then document number / form / record id on the left and the QR code on the right.

    The lifecycle status (approved, returned…) is deliberately not printed: it changes after finalization
    and is not part of the hashed record, so the PDF of a record stays the same document for its lifetime.
    """
    meta = [
        para(f"文书编号：{data.document_no or '—'}", s.meta),
        para(f"检查依据：{data.form_title}", s.meta),
        para(f"记录版本：第 {data.version} 版", s.meta),
    ]
    if data.correction_note:
        meta.append(para(data.correction_note, s.small))
    meta.append(para(f"记录标识：{data.record_id}", s.mono))
    qr = [QrCode(data.qr_payload, QR_SIZE), para("扫码核验记录", s.small)]
    style = cell_style(
        s,
        [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("RIGHTPADDING", (1, 0), (1, 0), 0),
        ],
    )
    table = Table([[meta, qr]], colWidths=[CONTENT_WIDTH - QR_SIZE - 6 * mm, QR_SIZE + 6 * mm], style=style)
    return [para(data.title, s.title), Spacer(1, 2), table]


def _signature_cell(sig: SignatureBlock, loader: ImageLoader, s: Styles) -> list[Flowable]:
    cell: list[Flowable] = [para(f"{sig.role_label}（签名）", s.label)]
    if sig.refused:
        cell.append(para(sig.refusal_note, s.small))
    elif sig.image_sha256:
        try:
            cell.append(fit_image(loader(sig.image_sha256), sig.image_sha256, SIGNATURE_BOX))
        except Exception:  # show the gap rather than lose the record
            cell.append(para("（签名图像缺失）", s.small))
    else:
        cell.append(Spacer(1, SIGNATURE_BOX[1]))
    cell.append(para(f"姓名：{sig.name or '　'}", s.cell))
    cell.append(para(f"日期：{sig.signed_at}" if sig.signed_at else "日期：", s.small))
    return cell


def signatures_block(data: ReportData, loader: ImageLoader, s: Styles) -> list[Flowable]:
    """签名: inspectors and the party (or the refusal note and witness), three per row."""
    cells = [_signature_cell(sig, loader, s) for sig in data.signatures]
    while len(cells) % 3:
        cells.append([])
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    style = cell_style(
        s,
        [
            ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#8a8f98")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ],
    )
    table = Table(rows, colWidths=[CONTENT_WIDTH / 3] * 3, style=style)
    statement = para("以上记录已交被检查单位负责人核对。", s.small)
    return [KeepTogether([*heading("签名", s), statement, Spacer(1, 2), table])]


@dataclass(frozen=True)
class Furniture:
    """What the canvas prints on every page."""

    title: str
    document_no: str
    footer: str
    app_version: str
    fonts: FontNames
    pdf_date: str


class RecordCanvas(PageTotalCanvas):
    """Prints the record's header/footer with "第 X 页 共 Y 页" once the total is known."""

    def __init__(self, *args: Any, furniture: Furniture, **kwargs: Any) -> None:
        super().__init__(*args, pdf_date=furniture.pdf_date, **kwargs)
        self._furniture = furniture

    def draw_furniture(self, number: int, total: int) -> None:
        f = self._furniture
        right = PAGE_W - MARGIN_X
        self.saveState()
        self.setStrokeColor(MUTED)
        self.setLineWidth(0.4)
        self.setFillColor(MUTED)
        self.setFont(f.fonts.sans, 8)
        self.drawString(MARGIN_X, PAGE_H - 11 * mm, f.title)
        self.drawRightString(right, PAGE_H - 11 * mm, f"文书编号：{f.document_no or '—'}")
        self.line(MARGIN_X, PAGE_H - 12.5 * mm, right, PAGE_H - 12.5 * mm)
        self.line(MARGIN_X, 15 * mm, right, 15 * mm)
        self.drawString(MARGIN_X, 10.5 * mm, "被检查人（逐页签字）：")
        self.line(MARGIN_X + 31 * mm, 10 * mm, MARGIN_X + 62 * mm, 10 * mm)
        self.setFillColor(colors.black)
        self.setFont(f.fonts.sans, 9)
        self.drawCentredString(PAGE_W / 2, 10.5 * mm, f"第 {number} 页 共 {total} 页")
        self.setFillColor(MUTED)
        self.setFont(f.fonts.sans, 8)
        self.drawRightString(right, 10.5 * mm, f"文书编号：{f.document_no or '—'}")
        self.setFont(f.fonts.mono, 6.5)
        self.drawCentredString(PAGE_W / 2, 6 * mm, f"{f.footer}  软件版本：{f.app_version}")
        self.restoreState()


def _pdf_date(data: ReportData) -> str:
    local = data.created_at.astimezone(CHINA_TZ)
    return local.strftime("D:%Y%m%d%H%M%S+08'00'")


def build_story(data: ReportData, image_loader: ImageLoader, s: Styles) -> list[Flowable]:
    """All flowables of the record in reading order."""
    story: list[Flowable] = []
    story += header_block(data, s)
    story += [Spacer(1, 4), *info_block(data, s)]
    story += notice_block(data, s)
    story += items_block(data, s)
    story += result_block(data, s)
    story += orders_block(data, s)
    story += related_block(data, s)
    story += photos_block(data, image_loader, s)
    story += signatures_block(data, image_loader, s)
    return story


def render_pdf(data: ReportData, image_loader: Callable[[str], bytes]) -> bytes:
    """The record as PDF bytes; the same ``data`` and images always give the same bytes."""
    fonts = register_fonts()
    styles = make_styles(fonts)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=17 * mm,
        bottomMargin=19 * mm,
        title=f"{data.title} {data.document_no}".strip(),
        author="、".join(i.name for i in data.inspectors),
        subject=data.party.name,
        creator=f"inspector-app {data.app_version}",
        keywords=[data.document_no, data.record_id, data.content_hash],
        invariant=1,
        initialFontName=fonts.sans,
    )
    furniture = Furniture(data.title, data.document_no, data.footer, data.app_version, fonts, _pdf_date(data))
    with binary_streams():
        doc.build(
            build_story(data, image_loader, styles), canvasmaker=partial(RecordCanvas, furniture=furniture)
        )
    return buffer.getvalue()


_config_lock = threading.RLock()


@contextmanager
def binary_streams() -> Iterator[None]:
    """Build with binary (not ASCII85) streams: JPEG photos go in as they are, not 25 % larger.

    ``rl_config.useA85`` is process-wide, so renders that change it are serialised by a lock.
    """
    with _config_lock:
        saved = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = saved
