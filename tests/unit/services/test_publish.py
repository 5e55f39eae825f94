"""结果公示 export: columns, no personal data, formula escaping in CSV and XLSX, filters, CLI."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from inspector_app.cli.main import cli
from inspector_app.core.errors import PermissionDenied, ValidationError
from inspector_app.services.publish import COLUMNS, escape_formula, mask_personal_numbers, to_csv, to_xlsx
from tests.review_support import (
    BOSS,
    LI,
    PHONE,
    RESPONSIBLE,
    ZHANG,
    add_business,
    finalized_record,
)

PERSONAL = (PHONE, RESPONSIBLE, ZHANG.display_name, LI.display_name, ZHANG.badge_no, LI.badge_no)


@pytest.fixture
def record_id(services) -> str:
    return finalized_record(services, add_business(services))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_has_the_published_columns_and_one_row_per_result(services, record_id):
    rows = services.publish.rows(BOSS)
    table = read_csv(to_csv(rows))
    assert table[0] == list(COLUMNS)
    record = services.inspections.get(record_id)
    assert table[1] == [
        "1",
        "2026-03-02",
        "老王面馆",
        record.business.uscc,
        "东宝区",
        "日常检查",
        "小餐饮监督检查要点表",
        "符合",
        "通过",
        record.grade,
        record.document_no,
    ]
    assert len(table) == 2


@pytest.mark.parametrize("writer", [to_csv, to_xlsx])
def test_no_personal_data_in_the_output(services, record_id, writer):
    data = writer(services.publish.rows(BOSS))
    text = data.decode("utf-8-sig") if writer is to_csv else _xlsx_text(data)
    assert "老王面馆" in text  # the check below is meaningful: the text is readable
    for secret in PERSONAL:
        assert secret not in text


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_formula_triggers_are_escaped(value):
    assert escape_formula(value) == "'" + value
    assert escape_formula("老王" + value) == "老王" + value


def test_formula_in_business_name_is_escaped_in_csv_and_xlsx(services):
    evil = '=HYPERLINK("http://x.example/","点我")'
    finalized_record(services, add_business(services, name=evil, stem="92420802MA4YYYYY1"))
    rows = services.publish.rows(BOSS)
    assert read_csv(to_csv(rows))[1][2] == "'" + evil
    workbook = load_workbook(io.BytesIO(to_xlsx(rows)))
    cell = workbook.active.cell(row=2, column=3)
    assert (cell.value, cell.data_type) == ("'" + evil, "s")


def test_phone_and_id_numbers_in_a_name_are_masked():
    assert mask_personal_numbers("张记13912345678早餐") == "张记***********早餐"
    assert mask_personal_numbers("店主420802199001011234") == "店主" + "*" * 18
    assert mask_personal_numbers("0724-2345678小吃") == "*" * 12 + "小吃"
    assert mask_personal_numbers("第1号档口") == "第1号档口"


def test_date_filters_use_the_china_calendar_day(services, clock):
    uscc = add_business(services)
    first = finalized_record(services, uscc)  # 2026-03-02 09:00 China time
    clock.advance(days=3)
    second = finalized_record(services, uscc)  # 2026-03-05
    numbers = {
        services.inspections.get(first).document_no: "first",
        services.inspections.get(second).document_no: "second",
    }
    day = date(2026, 3, 2)
    assert [numbers[r.document_no] for r in services.publish.rows(BOSS, since=day, until=day)] == ["first"]
    later = services.publish.rows(BOSS, since=day + timedelta(days=1))
    assert [numbers[r.document_no] for r in later] == ["second"]
    with pytest.raises(ValidationError, match="晚于"):
        services.publish.rows(BOSS, since=day, until=day - timedelta(days=1))


def test_returned_records_are_not_published_and_approved_only_filters(services, record_id):
    other = finalized_record(services, add_business(services, name="李记小吃", stem="92420802MA4WWWWW1"))
    assert {r.business_name for r in services.publish.rows(BOSS)} == {"老王面馆", "李记小吃"}
    services.review.return_(BOSS, record_id, "改")
    services.review.approve(BOSS, other)
    assert [r.business_name for r in services.publish.rows(BOSS)] == ["李记小吃"]
    assert [r.business_name for r in services.publish.rows(BOSS, approved_only=True)] == ["李记小吃"]


def test_inspectors_may_not_export(services):
    with pytest.raises(PermissionDenied):
        services.publish.rows(ZHANG)


def test_unknown_format_is_refused(services, tmp_path):
    with pytest.raises(ValidationError, match="csv 或 xlsx"):
        services.publish.export(BOSS, "pdf", tmp_path / "x.pdf")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_publish_writes_the_file(services, record_id, tmp_path, fmt):
    out = tmp_path / f"公示.{fmt}"
    home = str(services.home.root)
    services.close()
    result = CliRunner().invoke(cli, ["--home", home, "publish", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已导出 1 条" in result.output
    data = out.read_bytes()
    table = read_csv(data) if fmt == "csv" else read_xlsx(data)
    assert list(table[0]) == list(COLUMNS)
    assert table[1][2] == "老王面馆"


def test_cli_bad_date_is_one_chinese_line(tmp_path):
    out = tmp_path / "x.csv"
    result = CliRunner().invoke(
        cli, ["--home", str(tmp_path / "h"), "publish", "-o", str(out), "--since", "3/1/2026"]
    )
    assert result.exit_code == 1
    assert "YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
