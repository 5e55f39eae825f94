"""Tables written as CSV (UTF-8 with BOM, CRLF: opens in Excel) or XLSX (text cells stored as text), atomically.

Shared by the 公开 exports (inspection results, draws). Callers escape their cells first
(:func:`inspector_app.services.publish.escape_formula`): nothing here turns text into a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

Cell = str | int


def csv_bytes(table: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 with BOM and CRLF line ends, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(
    table: Sequence[Sequence[Cell]], title: str, widths: Sequence[int], header_rows: int = 1
) -> bytes:
    """One sheet ``title`` with bold frozen header rows; every text cell is stored as text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for r, values in enumerate(table, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if r <= header_rows:
                cell.font = Font(bold=True)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = f"A{header_rows + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_atomically(out: Path, data: bytes) -> None:
    """Write to ``out.part`` then rename: a half-written export never appears under the final name."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)
