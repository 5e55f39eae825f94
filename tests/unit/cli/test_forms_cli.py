"""``inspector forms list|show`` JSON shapes."""

from __future__ import annotations

import json

from click.testing import CliRunner

from inspector_app.cli.main import cli


def test_forms_list_json_gives_id_version_family_title_and_item_count():
    result = CliRunner().invoke(cli, ["forms", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {row["family"] for row in rows} == {"food", "equipment", "cosmetics"}
    for row in rows:
        assert set(row) == {"id", "version", "family", "title", "items"}
        assert row["items"] > 0


def test_forms_show_json_gives_sections_with_item_code_text_basis_key():
    result = CliRunner().invoke(cli, ["forms", "show", "food.small_catering", "--json"])
    assert result.exit_code == 0, result.output
    form = json.loads(result.stdout)
    assert form["id"] == "food.small_catering" and form["family"] == "food"
    items = [item for section in form["sections"] for item in section["items"]]
    assert len(items) == form["items"]
    assert all({"code", "text", "basis", "key"} <= set(item) for item in items)
    assert any(item["key"] for item in items)


def test_forms_show_unknown_id_is_a_clear_error_without_traceback():
    result = CliRunner().invoke(cli, ["forms", "show", "no.such"])
    assert result.exit_code == 1
    assert "找不到检查表 no.such" in result.output
    assert "Traceback" not in result.output


def test_every_command_has_help():
    runner = CliRunner()
    stack = [([], cli)]
    while stack:
        path, command = stack.pop()
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        for name, sub in getattr(command, "commands", {}).items():
            stack.append(([*path, name], sub))


def test_forms_validate_on_a_folder_without_forms_says_nothing_was_checked(tmp_path):
    (tmp_path / "food").mkdir()
    (tmp_path / "notes.txt").write_text("不是检查表", encoding="utf-8")
    result = CliRunner().invoke(cli, ["forms", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "没有找到任何检查表文件" in result.output and "未做任何检查" in result.output
    assert "全部检查表有效" not in result.output


def test_forms_validate_on_the_shipped_forms_still_says_all_valid():
    result = CliRunner().invoke(cli, ["forms", "validate"])
    assert result.exit_code == 0 and "全部检查表有效" in result.output


def test_forms_citations_json_lists_each_citation_once_with_its_status_and_counts():
    result = CliRunner().invoke(cli, ["forms", "citations", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    counts, rows = data["counts"], data["citations"]
    assert counts["citations"] == len(rows) == counts["checked"] + counts["not_held"]
    assert counts["failed"] == 0 and counts["unverified"] > 0
    shared = next(r for r in rows if r["item"] == "SP01" and r["law"] == "食品安全法")
    assert set(shared["forms"]) == {"food.retail", "food.small_catering", "food.stall", "food.workshop"}
    assert {r["status"] for r in rows} == {"已核对原文", "已核实", "待核实"}


def test_forms_citations_filters_by_status_and_form_and_ends_with_the_counts():
    result = CliRunner().invoke(cli, ["forms", "citations", "--status", "待核实", "--form", "food.stall"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines and all("\t待核实\t" in line and "food.stall" in line for line in lines)
    assert any("《湖北省食品安全条例》" in line for line in lines)
    assert "已核对原文" in result.stderr and "待核实" in result.stderr


def test_forms_show_prints_local_stars_and_reference_notes_apart_from_the_basis():
    result = CliRunner().invoke(cli, ["forms", "show", "food.stall"])
    assert result.exit_code == 0, result.output
    assert "★☆SP01" in result.stdout and "★ SP04" in result.stdout
    assert (
        "参照（非依据）：《浙江省食品小作坊小餐饮店小食杂店和食品摊贩管理规定》第八条、第九条"
        in result.stdout
    )
    assert "待核实" not in result.stdout
