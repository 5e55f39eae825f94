"""Platypus building blocks for the printed record: styles, info tables, the items table, orders, photos.

Each ``*_block`` function turns one part of :class:`ReportData` into a list of flowables. Layout only —
every text comes ready-made from :mod:`inspector_app.reports.content`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from inspector_app.reports.fonts import FontNames, printable
from inspector_app.reports.model import ItemRow, OrderBlock, PhotoBlock, ReportData

ImageLoader = Callable[[str], bytes]

CONTENT_WIDTH = 180 * mm
GRID = colors.HexColor("#8a8f98")
LABEL_BG = colors.HexColor("#eef1f5")
SECTION_BG = colors.HexColor("#dde4ee")
FAIL_BG = colors.HexColor("#fdeceb")
FAIL_TEXT = colors.HexColor("#b3261e")
MUTED = colors.HexColor("#6b7280")


@dataclass(frozen=True)
class Styles:
    """Paragraph styles for one render (all CJK-wrapping)."""

    title: ParagraphStyle
    meta: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    label: ParagraphStyle
    small: ParagraphStyle
    small_center: ParagraphStyle
    mono: ParagraphStyle
    mono_center: ParagraphStyle
    verdict: ParagraphStyle


#: Chinese punctuation that must not start a line; reportlab's list covers 、。） but not ，；：！？”》.
CHINESE_CANNOT_START = "，；：！？”’》〉"


def chinese_line_breaking() -> None:
    """Teach reportlab's CJK wrapping the Chinese no-line-start punctuation: such a character now hangs at
    the end of the previous line. (reportlab keeps the list as a module global in two modules.)"""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):
        missing = "".join(ch for ch in CHINESE_CANNOT_START if ch not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing


def make_styles(fonts: FontNames) -> Styles:
    chinese_line_breaking()
    base = ParagraphStyle("base", fontName=fonts.sans, fontSize=9, leading=12.5, wordWrap="CJK")
    return Styles(
        title=ParagraphStyle("title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER),
        meta=ParagraphStyle("meta", parent=base, fontSize=9, leading=13),
        heading=ParagraphStyle(
            "heading",
            parent=base,
            fontSize=11.5,
            leading=15,
            spaceBefore=7,
            spaceAfter=3,
            textColor=colors.black,
        ),
        cell=base,
        cell_center=ParagraphStyle("cell_center", parent=base, alignment=TA_CENTER),
        label=ParagraphStyle("label", parent=base, textColor=colors.HexColor("#333333")),
        small=ParagraphStyle("small", parent=base, fontSize=8, leading=10.5),
        small_center=ParagraphStyle(
            "small_center", parent=base, fontSize=8, leading=10.5, alignment=TA_CENTER
        ),
        mono=ParagraphStyle(
            "mono", parent=base, fontName=fonts.mono, fontSize=7.5, leading=9.5, textColor=MUTED
        ),
        mono_center=ParagraphStyle(
            "mono_center",
            parent=base,
            fontName=fonts.mono,
            fontSize=7.5,
            leading=9.5,
            textColor=MUTED,
            alignment=TA_CENTER,
        ),
        verdict=ParagraphStyle("verdict", parent=base, fontSize=12, leading=15),
    )


def para(text: str, style: ParagraphStyle, color: Any = None) -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    markup = escape(printable(text)).replace("\n", "<br/>")
    if color is not None:
        markup = f'<font color="#{color.hexval()[2:]}">{markup}</font>'
    return Paragraph(markup, style)


def cell_style(s: Styles, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    """A table style whose default cell font is ours (so no Helvetica is ever referenced)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), s.cell.fontName, s.cell.fontSize), *extra])


def _base_grid(s: Styles, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return cell_style(
        s,
        [
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),  # room for punctuation hanging at a line end
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ],
    )


def heading(text: str, s: Styles, room: float = 35 * mm) -> list[Flowable]:
    """A section heading that starts a new page unless ``room`` is left for what follows it."""
    return [CondPageBreak(room), para(text, s.heading)]


def info_block(data: ReportData, s: Styles) -> list[Flowable]:
    """基本情况: party, inspectors, time, place — label/value pairs, two pairs per row."""
    p = data.party
    inspectors = "；".join(f"{i.name}（执法证号 {i.badge_no}）" for i in data.inspectors)
    rows: list[tuple[str, str, str, str] | tuple[str, str]] = [
        ("被检查单位", p.name),
        ("统一社会信用代码", p.uscc, "许可证/登记证编号", p.licence_no or "—"),
        ("地址", p.address or "—"),
        ("法定代表人/负责人", p.responsible or "—", "联系电话", p.phone or "—"),
        ("业态", p.kind, "检查类别", data.inspection_type),
    ]
    if data.equipment:
        rows.append(("检查设备", data.equipment))
    rows += [
        ("检查人员", inspectors),
        ("检查时间", data.time_text, "检查地点", data.place or p.address or "—"),
        ("陪同人员", data.accompanying or "无"),
    ]
    widths = [31 * mm, 59 * mm, 31 * mm, 59 * mm]
    cells: list[list[Any]] = []
    spans: list[tuple[Any, ...]] = []
    for r, row in enumerate(rows):
        if len(row) == 2:
            cells.append([para(row[0], s.label), para(row[1], s.cell), "", ""])
            spans.append(("SPAN", (1, r), (3, r)))
        else:
            cells.append(
                [para(row[0], s.label), para(row[1], s.cell), para(row[2], s.label), para(row[3], s.cell)]
            )
    style = _base_grid(
        s, [("BACKGROUND", (0, 0), (0, -1), LABEL_BG), ("BACKGROUND", (2, 0), (2, -1), LABEL_BG), *spans]
    )
    for r, row in enumerate(rows):
        if len(row) == 2:
            style.add("BACKGROUND", (2, r), (2, r), colors.white)
    return [Table(cells, colWidths=widths, style=style)]


def notice_block(data: ReportData, s: Styles) -> list[Flowable]:
    """告知事项 in a box, numbered, with the recusal answer."""
    lines = [para(f"{n}. {text}", s.small) for n, text in enumerate(data.notice, 1)]
    lines.append(para(data.recusal_text, s.cell))
    box = Table(
        [[lines]],
        colWidths=[CONTENT_WIDTH],
        style=_base_grid(s, [("BACKGROUND", (0, 0), (-1, -1), LABEL_BG)]),
    )
    return [*heading("告知事项", s), box]


ITEM_WIDTHS = [15 * mm, 95 * mm, 10 * mm, 16 * mm, 44 * mm]


def _note_text(row: ItemRow) -> str:
    parts = []
    if row.answer:
        parts.append(f"记录：{row.answer}")
    if row.note:
        parts.append(row.note)
    if row.photo_numbers:
        parts.append("见照片" + "、".join(str(n) for n in row.photo_numbers))
    return "\n".join(parts)


def items_block(data: ReportData, s: Styles) -> list[Flowable]:
    """检查内容: one table, header repeated on every page, sections as shaded spanning rows."""
    header = [para(t, s.cell_center) for t in ("编号", "检查内容", "★", "结果", "备注 / 记录")]
    cells: list[list[Any]] = [header]
    extra: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), SECTION_BG),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("ALIGN", (2, 0), (3, -1), "CENTER"),
    ]
    for section in data.sections:
        r = len(cells)
        cells.append([para(section.title, s.cell), "", "", "", ""])
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), LABEL_BG)]
        extra.append(("NOSPLIT", (0, r), (-1, r + 1)))  # a section title never ends a page alone
        for row in section.rows:
            r = len(cells)
            color = FAIL_TEXT if row.failed else (MUTED if row.result in ("不适用", "未检查") else None)
            cells.append(
                [
                    para(row.code, s.cell),
                    para(row.text, s.cell),
                    para(row.mark, s.cell_center),
                    para(row.result, s.cell_center, color),
                    para(_note_text(row), s.small),
                ]
            )
            if row.failed:
                extra.append(("BACKGROUND", (0, r), (-1, r), FAIL_BG))
    table = Table(cells, colWidths=ITEM_WIDTHS, repeatRows=1, style=_base_grid(s, extra))
    local = (
        "；★☆ 为本地建议的重点项（国家要点表未标注），同样按重点项判定"
        if any(r.local for r in data.rows)
        else ""
    )
    legend = para(f"注：★ 为{data.key_label}{local}；不适用即合理缺项，不计入检查项数。", s.small)
    return [*heading("检查内容", s), table, Spacer(1, 2), legend]


def result_block(data: ReportData, s: Styles) -> list[Flowable]:
    """检查结果: counts, failed items one by one, other findings, verdict, handling, grade."""
    out: list[Flowable] = [*heading("检查结果", s), para(data.counts_text, s.cell)]
    rows: list[list[Any]] = []
    for f in data.failed_items:
        kind = (f"{data.key_short}★☆" if f.local else data.key_short) if f.key else "一般项"
        text = f"{f.text}\n依据：{f.basis}" if f.basis else f.text
        rows.append(
            [para(f.code, s.cell), para(kind, s.cell_center), para(text, s.small), para(f.note, s.small)]
        )
    if rows:
        head = [para(t, s.cell_center) for t in ("编号", "类别", "不符合项", "现场情况")]
        style = _base_grid(
            s, [("BACKGROUND", (0, 0), (-1, 0), SECTION_BG), ("VALIGN", (0, 1), (-1, -1), "TOP")]
        )
        widths = [15 * mm, 19 * mm, 73 * mm, 73 * mm]
        out += [Spacer(1, 3), Table([head, *rows], colWidths=widths, style=style, repeatRows=1)]
    summary: list[list[Any]] = [[para("检查结论", s.label), para(data.verdict or "—", s.verdict)]]
    if data.rule_text:
        summary.append([para("判定规则", s.label), para(data.rule_text, s.small)])
    summary.append([para("处理措施", s.label), para(data.handling or "—", s.cell)])
    if data.on_spot_fix:
        summary.append([para("当场整改情况", s.label), para(data.on_spot_fix, s.cell)])
    if data.grade is not None:
        summary.append([para("量化分级", s.label), para(data.grade.text, s.cell)])
    summary.append([para("其他需记录的问题", s.label), para(data.other_findings or "无", s.cell)])
    style = _base_grid(s, [("BACKGROUND", (0, 0), (0, -1), LABEL_BG)])
    out += [Spacer(1, 4), Table(summary, colWidths=[31 * mm, 149 * mm], style=style)]
    return out


def _hazard_table(order: OrderBlock, s: Styles) -> Table:
    h = order.hazard
    assert h is not None
    rows = [
        [para(f"隐患 {order.item_code}：{order.item_text}", s.cell), ""],
        [para("整改责任人", s.label), para(h.responsible, s.cell)],
        [para("整改措施", s.label), para(h.measures, s.cell)],
        [para("整改时限", s.label), para(h.deadline, s.cell)],
        [para("整改资金", s.label), para(h.funds, s.cell)],
        [para("应急预案", s.label), para(h.emergency_plan, s.cell)],
    ]
    style = _base_grid(
        s,
        [
            ("SPAN", (0, 0), (1, 0)),
            ("BACKGROUND", (0, 0), (1, 0), FAIL_BG),
            ("BACKGROUND", (0, 1), (0, -1), LABEL_BG),
        ],
    )
    return Table(rows, colWidths=[31 * mm, 149 * mm], style=style)


def orders_block(data: ReportData, s: Styles) -> list[Flowable]:
    """整改要求 with deadlines, then 隐患整改“五落实” for each equipment hazard."""
    if not data.orders:
        return []
    head = [para(t, s.cell_center) for t in ("编号", "不符合项", "整改要求", "整改期限")]
    rows = [
        [
            para(o.item_code, s.cell),
            para(o.item_text, s.small),
            para(o.requirement, s.cell),
            para(o.deadline, s.cell),
        ]
        for o in data.orders
    ]
    style = _base_grid(s, [("BACKGROUND", (0, 0), (-1, 0), SECTION_BG), ("VALIGN", (0, 1), (-1, -1), "TOP")])
    table = Table([head, *rows], colWidths=[15 * mm, 62 * mm, 79 * mm, 24 * mm], style=style, repeatRows=1)
    out: list[Flowable] = [*heading("整改要求", s), table]
    if data.hazards:
        out += heading("隐患整改“五落实”", s, 60 * mm)
        for order in data.hazards:
            out += [KeepTogether(_hazard_table(order, s)), Spacer(1, 4)]
    return out


def related_block(data: ReportData, s: Styles) -> list[Flowable]:
    """整改复查（回头看）: the records this one is linked to, in a shaded box, marked as added at print time."""
    if not data.related:
        return []
    lines = [para(line, s.cell) for line in data.related]
    lines.append(para("（本栏由系统依据关联记录在打印时生成，不属于本记录经签名和哈希的内容。）", s.small))
    box = Table(
        [[lines]],
        colWidths=[CONTENT_WIDTH],
        style=_base_grid(s, [("BACKGROUND", (0, 0), (-1, -1), LABEL_BG)]),
    )
    return [*heading("整改复查（回头看）情况", s), box]


PHOTO_BOX = (84 * mm, 62 * mm)


class StoredImageReader(ImageReader):
    """Reads an attachment; a JPEG is named by its SHA-256 instead of by decoding every pixel.

    reportlab names an image XObject by digesting its decoded RGB data. JPEGs are embedded unchanged, so that
    decode is wasted work, and our attachments are already content-addressed. Other formats (PNG signatures)
    are decoded as usual since their pixels are what gets embedded.
    """

    def __init__(self, raw: bytes, key: str) -> None:
        super().__init__(BytesIO(raw))
        self._key = key

    def getRGBData(self) -> bytes:
        if self.jpeg_fh() is not None:
            self._dataA = None  # a JPEG has no alpha channel (reportlab reads this after getRGBData)
            return f"jpeg:{self._key}".encode()
        data: bytes = super().getRGBData()
        return data


class StoredImage(Flowable):
    """An attachment drawn at a fixed size (transparency of PNG signatures kept)."""

    def __init__(self, reader: StoredImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader, self.width, self.height = reader, width, height
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


def fit_image(raw: bytes, key: str, box: tuple[float, float]) -> StoredImage:
    """An image flowable scaled to fit ``box`` (width, height) keeping its aspect ratio."""
    reader = StoredImageReader(raw, key)
    w, h = reader.getSize()
    scale = min(box[0] / w, box[1] / h)
    return StoredImage(reader, w * scale, h * scale)


def _photo_cell(photo: PhotoBlock, loader: ImageLoader, s: Styles) -> list[Flowable]:
    try:
        picture: Flowable = fit_image(loader(photo.sha256), photo.sha256, PHOTO_BOX)
    except Exception:  # a missing or unreadable file must show, not abort the whole record
        picture = para("（照片文件缺失或无法读取）", s.cell_center, FAIL_TEXT)
    return [
        picture,
        Spacer(1, 2),
        para(f"照片{photo.number}　{photo.caption}", s.small_center),
        para(f"SHA-256 {photo.short_hash}…", s.mono_center),
    ]


def photos_block(data: ReportData, loader: ImageLoader, s: Styles) -> list[Flowable]:
    """现场照片: two per row, scaled to fit, each with its caption and short hash."""
    if not data.photos:
        return []
    cells = [_photo_cell(p, loader, s) for p in data.photos]
    if len(cells) % 2:
        cells.append([])
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    style = cell_style(
        s,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )
    return [
        *heading("现场照片", s, PHOTO_BOX[1] + 25 * mm),
        Table(rows, colWidths=[90 * mm, 90 * mm], style=style),
    ]
