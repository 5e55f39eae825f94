"""Registry files that used to be half-read or crash the import (issue 12, defects 3 and 4).

Each is refused whole with a Chinese message naming the file (and the row where there is one), or read in
full — never "success" over a partial read, never a traceback, never half-imported.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from inspector_app.core.errors import InspectorError, ValidationError
from inspector_app.core.identifiers import make_uscc
from inspector_app.services.errors import DatabaseBusy
from inspector_app.storage import db as db_module
from tests.lockholder import hold_write_lock

HEADER = ["统一社会信用代码", "主体名称", "主体类型"]


def uscc(n: int) -> str:
    return make_uscc(f"91420802MA4{n:06d}")


def workbook_bytes(rows: int, name_of=lambda n: f"测试小吃店{n}") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append([uscc(n), name_of(n), "小餐饮"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data: bytes, change) -> bytes:
    """A copy of the zip with each member passed through ``change(name, bytes)`` (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = change(name, source.read(name))
            if body is not None:
                target.writestr(name, body)
    return out.getvalue()


def test_an_xlsx_whose_dimension_understates_the_sheet_is_read_in_full(services, tmp_path):
    def understate(name: str, body: bytes) -> bytes:
        if name.endswith("sheet1.xml"):
            return re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:C10"', body)
        return body

    path = tmp_path / "understated.xlsx"
    path.write_bytes(rewrite_zip(workbook_bytes(100), understate))
    report = services.registry.import_file(path)
    assert report.imported == 100 and not report.rejected
    assert services.registry.count() == 100


def test_a_workbook_without_its_worksheet_part_is_refused_naming_the_file(services, tmp_path):
    path = tmp_path / "no-sheet.xlsx"
    path.write_bytes(rewrite_zip(workbook_bytes(5), lambda n, b: None if n.endswith("sheet1.xml") else b))
    with pytest.raises(ValidationError, match="no-sheet.xlsx") as caught:
        services.registry.import_file(path)
    assert "工作表" in str(caught.value)
    assert services.registry.count() == 0


def test_a_workbook_with_only_a_chart_sheet_is_refused_naming_the_file(services, tmp_path):
    book = openpyxl.Workbook()
    book.create_chartsheet()
    book.remove(book.active)
    path = tmp_path / "chart.xlsx"
    book.save(path)
    with pytest.raises(ValidationError, match="chart.xlsx") as caught:
        services.registry.import_file(path)
    assert "工作表" in str(caught.value)


def test_a_formula_without_a_cached_value_is_refused_naming_file_row_and_column(services, tmp_path):
    path = tmp_path / "formula.xlsx"
    # openpyxl writes formulas without their results, as scripts and some exporters do.
    path.write_bytes(workbook_bytes(10, name_of=lambda n: f'="店"&{n}' if n == 3 else f"小吃店{n}"))
    with pytest.raises(ValidationError) as caught:
        services.registry.import_file(path)
    message = str(caught.value)
    assert "formula.xlsx" in message and "第5行" in message and "主体名称" in message and "公式" in message
    assert services.registry.count() == 0


def test_a_csv_field_over_the_csv_size_limit_is_refused_naming_file_and_row(services, tmp_path):
    lines = [",".join(HEADER)] + [f"{uscc(n)},小吃店{n},小餐饮" for n in range(5)]
    lines.append(f'{uscc(9)},"{"长" * 200_000}",小餐饮')
    path = tmp_path / "huge-field.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        services.registry.import_file(path)
    message = str(caught.value)
    assert "huge-field.csv" in message and "第7行" in message
    assert services.registry.count() == 0  # the five good rows before it are not imported either


def test_a_second_import_while_one_runs_says_busy_naming_both(services, tmp_path, monkeypatch):
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 200)
    lines = [",".join(HEADER)] + [f"{uscc(n)},小吃店{n},小餐饮" for n in range(5)]
    path = tmp_path / "second.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    # a fresh connection, so the patched busy timeout applies
    from inspector_app.services.app import Services

    fresh = Services(services.home, services.clock)
    try:
        with (
            hold_write_lock(services.home.db_path, what="名录导入 first.xlsx"),
            pytest.raises(DatabaseBusy) as caught,
        ):
            fresh.registry.import_file(path)
    finally:
        fresh.close()
    message = str(caught.value)
    assert "second.csv" in message and "名录导入 first.xlsx" in message and "未导入" in message
    assert services.registry.count() == 0


@pytest.mark.parametrize("body", [b"PK\x03\x04garbage", b"PK\x03\x04" + bytes(range(256)) * 4])
def test_broken_zip_bytes_give_a_chinese_refusal(services, tmp_path, body):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(body)
    with pytest.raises(InspectorError, match="broken.xlsx"):
        services.registry.import_file(Path(path))
