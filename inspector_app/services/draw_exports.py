"""公开 exports of a confirmed draw: the list of drawn businesses and, once inspected, their results — as CSV,
XLSX (a second sheet says how the draw was made) or a printable PDF. No personal data: see
:mod:`inspector_app.reports.draw_content` for what is and is not published; business names are masked and every
spreadsheet cell is escaped against formula injection exactly like the results export (``publish``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.errors import ValidationError
from inspector_app.reports.draw_content import DrawSheet, build_draw_sheet
from inspector_app.services.publish import escape_formula, mask_personal_numbers
from inspector_app.services.spreadsheets import Cell, Sheet, csv_bytes, workbook_bytes, write_atomically

if TYPE_CHECKING:
    from inspector_app.services.draws import DrawService

FORMATS = ("csv", "xlsx", "pdf")
_WIDTHS = [6, 22, 34, 10, 16, 10, 12, 10, 28, 24]


def draw_sheet(draws: DrawService, draw_id: str, with_results: bool = False) -> DrawSheet:
    """The publishable content of a saved draw (names masked; with results: each target's published visit)."""
    document = draws.document(draw_id)
    targets = [
        replace(t, business_name=mask_personal_numbers(t.business_name)) for t in draws.targets(draw_id)
    ]
    return build_draw_sheet(document, targets, draws.visits(draw_id) if with_results else None)


def _escaped(rows: list[list[Cell]]) -> list[list[Cell]]:
    return [[escape_formula(c) if isinstance(c, str) else c for c in row] for row in rows]


def _row(cells: tuple[str, ...]) -> list[Cell]:
    return [int(cells[0]), *cells[1:]]  # 序号 as a number, the rest as text


def sheet_bytes(sheet: DrawSheet, fmt: str) -> bytes:
    """CSV (the table only), XLSX (the table, then a sheet 抽取依据 with how it was drawn) or PDF."""
    header: list[Cell] = list(sheet.columns)
    table = _escaped([header, *(_row(r) for r in sheet.rows)])
    if fmt == "csv":
        return csv_bytes(table)
    if fmt == "xlsx":
        lines = [("项目", "内容"), *sheet.meta, *(("说明", note) for note in sheet.notes)]
        basis = _escaped([list[Cell](line) for line in lines])
        return workbook_bytes(
            [
                Sheet(sheet.title.replace("“", "").replace("”", "")[:31], table, _WIDTHS),
                Sheet("抽取依据", basis, [18, 100]),
            ]
        )
    if fmt == "pdf":
        from inspector_app.reports.draw_pdf import render_draw_pdf  # reportlab only when printing

        return render_draw_pdf(sheet)
    raise ValidationError(f"不支持的导出格式“{fmt}”，应为 {'、'.join(FORMATS)}")


def export_draw(
    draws: DrawService, actor: User | None, draw_id: str, fmt: str, out: Path, with_results: bool = False
) -> int:
    """Write the published draw to ``out`` atomically; returns the number of targets."""
    require_role(actor, Role.SUPERVISOR, Role.ADMIN)
    if fmt not in FORMATS:
        raise ValidationError(f"不支持的导出格式“{fmt}”，应为 {'、'.join(FORMATS)}")
    sheet = draw_sheet(draws, draw_id, with_results)
    write_atomically(out, sheet_bytes(sheet, fmt))
    return len(sheet.rows)
