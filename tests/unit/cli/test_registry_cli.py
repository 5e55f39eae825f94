"""``inspector registry import/list/show/search``: JSON shapes, Chinese errors and exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner, Result

from inspector_app.cli.common import CliContext
from inspector_app.cli.registry_cmd import registry
from inspector_app.core.identifiers import make_uscc

BUSINESS_KEYS = {
    "uscc",
    "name",
    "kind",
    "area",
    "address",
    "responsible",
    "phone",
    "licence_no",
    "risk_grade",
    "credit_score",
    "licensed_on",
}


def uscc(n: int) -> str:
    return make_uscc(f"91420802MA4{n:06d}")


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(registry, list(args), obj=CliContext(str(home)))


def write_registry(path: Path) -> Path:
    rows = [
        ["主体名称", "统一社会信用代码", "主体类型", "辖区", "联系电话", "信用分"],
        ["红山大酒店", uscc(1), "宾馆酒店", "东宝区", "13872900001", "90"],
        ["老街小吃店", uscc(2), "小餐饮", "东宝区", "", ""],
        ["坏代码店", "12345", "小餐饮", "东宝区", "", ""],
        ["老街小吃店", uscc(2), "小餐饮", "东宝区", "", ""],
    ]
    with path.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_import_json_reports_counts_rejections_and_duplicates(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "import", str(write_registry(tmp_path / "名录.csv")), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"imported", "updated", "unchanged", "rejected", "duplicates"}
    assert (report["imported"], report["updated"], report["unchanged"]) == (2, 0, 0)
    assert [r["row"] for r in report["rejected"]] == [4] and "18位" in report["rejected"][0]["reason"]
    assert report["duplicates"] == [{"row": 5, "uscc": uscc(2)}]


def test_import_without_json_prints_a_chinese_summary_with_row_numbers(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "import", str(write_registry(tmp_path / "a.csv")))
    assert result.exit_code == 0
    assert "新增 2 户" in result.output and "第4行 未导入" in result.output and "第5行" in result.output


def test_list_search_and_show_print_businesses_in_the_shared_shape(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run(home, "import", str(write_registry(tmp_path / "a.csv")))
    listed = json.loads(run(home, "list", "--json").output)
    assert [b["name"] for b in listed] == ["红山大酒店", "老街小吃店"]
    assert all(set(b) == BUSINESS_KEYS for b in listed)
    assert len(json.loads(run(home, "list", "--json", "--limit", "1").output)) == 1
    found = json.loads(run(home, "search", "hsdj", "--json").output)
    assert [b["name"] for b in found] == ["红山大酒店"]
    assert found[0]["credit_score"] == 90.0 and found[0]["kind"] == "宾馆酒店"
    shown = json.loads(run(home, "show", uscc(1).lower(), "--json").output)
    assert set(shown) >= BUSINESS_KEYS and shown["equipment"] == [] and shown["uscc"] == uscc(1)


def test_search_with_no_match_prints_a_chinese_line_and_succeeds(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "search", "不存在")
    assert result.exit_code == 0 and "没有找到" in result.output


def test_show_unknown_code_exits_1_with_a_chinese_message(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "show", uscc(9))
    assert result.exit_code == 1
    assert "登记库中没有" in result.output and "Traceback" not in result.output


def test_import_of_a_file_missing_a_column_exits_1_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("主体名称,主体类型\n红山大酒店,宾馆\n", encoding="utf-8")
    result = run(tmp_path / "home", "import", str(path), "--json")
    assert result.exit_code == 1 and "统一社会信用代码" in result.output
    assert json.loads(run(tmp_path / "home", "list", "--json").output) == []


def test_import_of_a_missing_file_exits_1(tmp_path: Path) -> None:
    result = run(tmp_path / "home", "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1 and "找不到文件" in result.output


def test_registry_group_is_registered_on_the_inspector_command(tmp_path: Path) -> None:
    from inspector_app.cli.main import cli

    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "registry", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []
