"""Registry import: encodings, XLSX, header aliases, row validation, duplicates, re-import, refused files."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from inspector_app.core.errors import ValidationError
from inspector_app.core.identifiers import make_uscc
from inspector_app.services.app import Services
from inspector_app.services.registry import RegistryService

HEADER = [
    "主体名称",
    "统一社会信用代码",
    "主体类型",
    "经营地址",
    "负责人",
    "联系电话",
    "许可证号",
    "辖区",
    "风险等级",
]


def uscc(n: int) -> str:
    return make_uscc(f"91420802MA4{n:06d}")


def good_rows() -> list[list[str]]:
    return [
        ["红山大酒店", uscc(1), "宾馆酒店", "东宝区象山大道8号", "王红", "13872900001", "", "东宝区", "A"],
        [
            "老街小吃店",
            uscc(2),
            "小餐饮",
            "东宝区中天街12号",
            "李四",
            "0724-2345678",
            "JY24208020000012",
            "东宝区",
            "B",
        ],
        ["百佳食杂店", uscc(3), "食杂店", "掇刀区白庙路3号", "赵六", "", "JY14208040000033", "掇刀区", ""],
    ]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", header: list[str] = HEADER) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path, rows: list[list[object]], header: list[str] = HEADER, title: str | None = None
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def registry(services: Services) -> RegistryService:
    return services.registry


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_in_every_encoding_imports_all_rows(
    tmp_path: Path, registry: RegistryService, encoding: str
) -> None:
    report = registry.import_file(write_csv(tmp_path / "名录.csv", good_rows(), encoding))
    assert (report.imported, report.rejected, report.duplicates) == (3, [], [])
    business = registry.get(uscc(2))
    assert (business.name, business.kind.value, business.address) == (
        "老街小吃店",
        "小餐饮",
        "东宝区中天街12号",
    )
    assert registry.get(uscc(3)).kind.value == "食品销售"  # alias 食杂店


def test_gbk_file_is_detected_even_when_it_starts_with_ascii(
    tmp_path: Path, registry: RegistryService
) -> None:
    rows = [*good_rows()] * 1
    path = write_csv(tmp_path / "a.csv", rows, "gbk", header=["名称", "信用代码", "类型"])
    assert registry.import_file(path).imported == 3
    assert registry.get(uscc(1)).name == "红山大酒店"


def test_xlsx_imports_with_numeric_phone_cells_and_title_rows(
    tmp_path: Path, registry: RegistryService
) -> None:
    rows: list[list[object]] = [list(r) for r in good_rows()]
    rows[0][5] = 13872900001  # Excel stores a phone typed in as a number
    path = write_xlsx(tmp_path / "名录.xlsx", [*rows, ["", "坏代码", "小餐饮"]], title="荆门市市场主体名录")
    report = registry.import_file(path)
    assert report.imported == 3
    assert report.rejected == [
        {"row": 6, "reason": report.rejected[0]["reason"]}
    ]  # title row 1, header row 2
    assert registry.get(uscc(1)).phone == "13872900001"


def test_header_aliases_with_spaces_full_width_and_markers_are_recognised(
    tmp_path: Path, registry: RegistryService
) -> None:
    header = [
        "企业 名称",
        "＊信用代码",
        "业态",
        "住所",
        "法定代表人",
        "手机",
        "许可证编号",
        "所属区域",
        "风险等级",
        "信用评分",
    ]
    row = [
        "老街小吃店",
        uscc(2),
        "小餐馆",
        "中天街12号",
        "李四",
        "13800000000",
        "JY24208020000012",
        "东宝区",
        "c",
        "92",
    ]
    registry.import_file(write_csv(tmp_path / "a.csv", [row], header=header))
    business = registry.get(uscc(2))
    assert (business.responsible, business.area, business.risk_grade, business.credit_score) == (
        "李四",
        "东宝区",
        "C",
        92.0,
    )
    assert business.kind.value == "小餐饮" and business.licence_no == "JY24208020000012"


def test_invalid_rows_are_reported_with_excel_row_numbers_and_never_imported(
    tmp_path: Path, registry: RegistryService
) -> None:
    bad_check = uscc(4)[:17] + ("0" if uscc(4)[17] != "0" else "1")
    rows = [
        *good_rows(),
        ["校验错店", bad_check, "小餐饮", "", "", "", "", "", ""],  # row 5
        ["未知类型店", uscc(5), "网吧", "", "", "", "", "", ""],  # row 6
        ["坏许可证店", uscc(6), "小餐饮", "", "", "", "JY123", "", ""],  # row 7
        ["坏等级店", uscc(7), "小餐饮", "", "", "", "", "", "E"],  # row 8
        ["坏电话店", uscc(8), "小餐饮", "", "", "12345", "", "", ""],  # row 9
        ["", uscc(9), "小餐饮", "", "", "", "", "", ""],  # row 10
        ["含字母O", uscc(10)[:5] + "O" + uscc(10)[6:], "小餐饮", "", "", "", "", "", ""],  # row 11
    ]
    report = registry.import_file(write_csv(tmp_path / "a.csv", rows))
    assert report.imported == 3
    reasons = {r["row"]: r["reason"] for r in report.rejected}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11]
    assert "校验位" in reasons[5]
    assert "网吧" in reasons[6] and "主体类型" in reasons[6]
    assert "JY" in reasons[7]
    assert "风险等级" in reasons[8]
    assert "联系电话" in reasons[9]
    assert "主体名称为空" in reasons[10]
    assert "非法字符" in reasons[11]
    assert registry.count() == 3


def test_blank_lines_are_skipped_but_still_counted_in_row_numbers(
    tmp_path: Path, registry: RegistryService
) -> None:
    rows = [good_rows()[0], [""] * len(HEADER), ["坏店", "X", "小餐饮", "", "", "", "", "", ""]]
    report = registry.import_file(write_csv(tmp_path / "a.csv", rows))
    assert report.imported == 1 and [r["row"] for r in report.rejected] == [4]


def test_a_code_repeated_in_the_file_is_imported_once_and_reported(
    tmp_path: Path, registry: RegistryService
) -> None:
    repeat = ["红山大酒店（重复）", uscc(1).lower(), "宾馆", "", "", "", "", "", ""]
    report = registry.import_file(write_csv(tmp_path / "a.csv", [*good_rows(), repeat]))
    assert report.imported == 3
    assert report.duplicates == [{"row": 5, "uscc": uscc(1)}]
    assert registry.get(uscc(1)).name == "红山大酒店"


def test_reimport_updates_by_code_and_never_duplicates(tmp_path: Path, registry: RegistryService) -> None:
    path = write_csv(tmp_path / "a.csv", good_rows())
    registry.import_file(path)
    again = registry.import_file(path)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 3)
    changed = good_rows()
    changed[1][3] = "东宝区中天街99号"
    changed.append(["新开超市", uscc(20), "便利店", "", "", "", "", "", ""])
    report = registry.import_file(write_csv(tmp_path / "b.csv", changed))
    assert (report.imported, report.updated, report.unchanged) == (1, 1, 2)
    assert registry.count() == 4
    assert registry.get(uscc(2)).address == "东宝区中天街99号"


def test_reimport_of_fewer_columns_keeps_the_other_values(tmp_path: Path, registry: RegistryService) -> None:
    registry.import_file(write_csv(tmp_path / "a.csv", good_rows()))
    rows = [[r[0], r[1], r[2]] for r in good_rows()]
    report = registry.import_file(write_csv(tmp_path / "b.csv", rows, header=["名称", "信用代码", "类型"]))
    assert report.unchanged == 3
    assert registry.get(uscc(1)).phone == "13872900001"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_file_missing_a_required_column_is_refused_whole_naming_it(
    tmp_path: Path, registry: RegistryService, suffix: str
) -> None:
    header = ["主体名称", "主体类型", "经营地址"]
    rows = [[r[0], r[2], r[3]] for r in good_rows()]
    writer = write_csv if suffix == ".csv" else write_xlsx
    path = writer(tmp_path / f"a{suffix}", rows, header=header)  # type: ignore[operator]
    with pytest.raises(ValidationError) as error:
        registry.import_file(path)
    assert "统一社会信用代码" in str(error.value) and "经营地址" in str(error.value)
    assert registry.count() == 0


def test_a_file_with_no_recognisable_header_names_every_required_column(
    tmp_path: Path, registry: RegistryService
) -> None:
    path = write_csv(tmp_path / "a.csv", [["x", "y"]], header=["名称", "编号"])
    with pytest.raises(ValidationError, match="统一社会信用代码.*主体类型"):
        registry.import_file(path)


def test_undecodable_bytes_refuse_the_file_and_import_nothing(
    tmp_path: Path, registry: RegistryService
) -> None:
    path = write_csv(tmp_path / "a.csv", good_rows())
    path.write_bytes(path.read_bytes() + b"\xff\xff\xff\n")
    with pytest.raises(ValidationError, match="编码"):
        registry.import_file(path)
    assert registry.count() == 0


def test_a_broken_xlsx_is_refused_in_chinese(tmp_path: Path, registry: RegistryService) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError, match="xlsx"):
        registry.import_file(path)


def test_defusedxml_is_installed_and_used_by_openpyxl() -> None:
    import defusedxml  # noqa: F401
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_xlsx_is_refused_when_openpyxl_runs_without_defusedxml(
    tmp_path: Path, registry: RegistryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl.xml

    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(ValidationError, match="defusedxml"):
        registry.import_file(path)


def test_an_xml_entity_bomb_in_a_sheet_is_refused(tmp_path: Path, registry: RegistryService) -> None:
    source = write_xlsx(tmp_path / "ok.xlsx", good_rows())
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    target = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = bomb.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename)
            dst.writestr(item, data)
    with pytest.raises(ValidationError, match="不安全"):
        registry.import_file(target)
    assert registry.count() == 0


def test_old_xls_files_are_refused_with_advice(tmp_path: Path, registry: RegistryService) -> None:
    path = tmp_path / "a.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match="另存为"):
        registry.import_file(path)


def test_progress_is_reported_up_to_the_last_row(tmp_path: Path, registry: RegistryService) -> None:
    rows = [[f"测试店{n}", uscc(n), "小餐饮", "", "", "", "", "", ""] for n in range(1, 4501)]
    calls: list[tuple[int, int]] = []
    registry.import_file(
        write_csv(tmp_path / "a.csv", rows), progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (4500, 4500)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert all(done <= total for done, total in calls)


def test_an_xlsx_saved_under_a_csv_name_is_read_by_its_content(
    registry: RegistryService, tmp_path: Path
) -> None:
    real = write_xlsx(tmp_path / "real.xlsx", good_rows())
    renamed = tmp_path / "名录.csv"
    renamed.write_bytes(real.read_bytes())
    report = registry.import_file(renamed)
    assert report.imported == len(good_rows())


def test_a_broken_zip_under_a_csv_name_is_refused_clearly(registry: RegistryService, tmp_path: Path) -> None:
    path = tmp_path / "名录.csv"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(ValidationError, match="不是有效的 .xlsx 文件"):
        registry.import_file(path)
    assert registry.count() == 0
