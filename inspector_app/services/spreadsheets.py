"""Tables written as CSV (UTF-8 with BOM, CRLF: opens in Excel) or XLSX (text cells stored as text), atomically.

Shared by the 公开 exports (inspection results, draws). Callers escape their cells first
(:func:`inspector_app.services.publish.escape_formula`): nothing here turns text into a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

Cell = str | int


def csv_bytes(table: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 with BOM and CRLF line ends, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: title, rows (the first ``header_rows`` bold and frozen) and column widths."""

    title: str
    table: Sequence[Sequence[Cell]]
    widths: Sequence[int] = ()
    header_rows: int = 1


def xlsx_bytes(
    table: Sequence[Sequence[Cell]], title: str, widths: Sequence[int], header_rows: int = 1
) -> bytes:
    """One sheet ``title`` with bold frozen header rows; every text cell is stored as text (never a formula)."""
    return workbook_bytes([Sheet(title, table, widths, header_rows)])


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of several sheets, written as :func:`xlsx_bytes` writes one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        for r, values in enumerate(spec.table, start=1):
            for c, value in enumerate(values, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                if r <= spec.header_rows:
                    cell.font = Font(bold=True)
        for c, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        if spec.header_rows:
            sheet.freeze_panes = f"A{spec.header_rows + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_atomically(out: Path, data: bytes) -> None:
    """Write to ``out.part`` then rename: a half-written export never appears under the final name."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
