"""Render a :class:`~inspector_app.reports.draw_content.DrawSheet` (the published draw) to PDF bytes.

A4 landscape for the wide results table, the shipped CJK font embedded as a subset, "第 X 页 共 Y 页" and the
draw id with the result hash on every page, the table header repeated. Deterministic like the record PDFs:
reportlab's invariant mode and a creation date taken from the draw's confirmation time.
"""

from __future__ import annotations

from functools import partial
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table

from inspector_app import __version__
from inspector_app.core.clock import CHINA_TZ
from inspector_app.reports.canvas import PageTotalCanvas
from inspector_app.reports.draw_content import DrawSheet
from inspector_app.reports.fonts import FontNames, register_fonts
from inspector_app.reports.layout import (
    GRID,
    LABEL_BG,
    MUTED,
    SECTION_BG,
    Styles,
    cell_style,
    make_styles,
    para,
)

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE_W - 2 * MARGIN
#: Column widths (mm) of the draw table and of the results table; ``None`` takes what is left.
DRAW_WIDTHS = (12, 44, None, 24, 36)
RESULTS_WIDTHS = (10, 38, 55, 18, 28, 16, 22, 18, None, 40)


class SheetCanvas(PageTotalCanvas):
    """Prints the sheet's title, "第 X 页 共 Y 页" and the draw id with the result hash on every page."""

    def __init__(self, *args: Any, sheet: DrawSheet, fonts: FontNames, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sheet, self._fonts = sheet, fonts

    def draw_furniture(self, number: int, total: int) -> None:
        self.saveState()
        self.setFillColor(MUTED)
        self.setStrokeColor(MUTED)
        self.setLineWidth(0.4)
        self.setFont(self._fonts.sans, 8)
        self.drawString(MARGIN, PAGE_H - 8 * mm, self._sheet.title)
        self.line(MARGIN, 11 * mm, PAGE_W - MARGIN, 11 * mm)
        self.setFillColor(colors.black)
        self.setFont(self._fonts.sans, 9)
        self.drawRightString(PAGE_W - MARGIN, 6.5 * mm, f"第 {number} 页 共 {total} 页")
        self.setFillColor(MUTED)
        self.setFont(self._fonts.mono, 6.5)
        self.drawString(MARGIN, 6.5 * mm, self._sheet.footer)
        self.restoreState()


def _grid(s: Styles, extra: list[tuple[Any, ...]]) -> Any:
    return cell_style(
        s,
        [
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            *extra,
        ],
    )


def _meta(sheet: DrawSheet, s: Styles) -> Table:
    rows = [
        [para(label, s.label), para(value, s.mono if "SHA-256" in label else s.cell)]
        for label, value in sheet.meta
    ]
    return Table(
        rows,
        colWidths=[34 * mm, WIDTH - 34 * mm],
        style=_grid(s, [("BACKGROUND", (0, 0), (0, -1), LABEL_BG)]),
    )


def _widths(columns: int) -> list[float]:
    chosen = DRAW_WIDTHS if columns == len(DRAW_WIDTHS) else RESULTS_WIDTHS
    rest = WIDTH / mm - sum(w for w in chosen if w is not None)
    return [(rest if w is None else w) * mm for w in chosen]


def _table(sheet: DrawSheet, s: Styles) -> Table:
    head = [para(title, s.cell_center) for title in sheet.columns]
    body = [[para(text, s.small if n >= 5 else s.cell) for n, text in enumerate(row)] for row in sheet.rows]
    if not body:
        body = [[para("（没有抽中的主体）", s.cell)] + [""] * (len(head) - 1)]
    style = _grid(s, [("BACKGROUND", (0, 0), (-1, 0), SECTION_BG), ("ALIGN", (0, 1), (0, -1), "CENTER")])
    return Table([head, *body], colWidths=_widths(len(head)), style=style, repeatRows=1)


def render_draw_pdf(sheet: DrawSheet) -> bytes:
    """The published draw as PDF bytes; the same sheet always gives the same bytes."""
    fonts = register_fonts()
    s = make_styles(fonts)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=sheet.title,
        creator=f"inspector_app {__version__}",
        invariant=1,
        initialFontName=fonts.sans,
    )
    story: list[Flowable] = [
        para(sheet.title, s.title),
        Spacer(1, 4),
        _meta(sheet, s),
        Spacer(1, 6),
        _table(sheet, s),
    ]
    story += [Spacer(1, 4), *(para(note, s.small) for note in sheet.notes)]
    pdf_date = sheet.created_at.astimezone(CHINA_TZ).strftime("D:%Y%m%d%H%M%S+08'00'")
    doc.build(story, canvasmaker=partial(SheetCanvas, sheet=sheet, fonts=fonts, pdf_date=pdf_date))
    return buffer.getvalue()
