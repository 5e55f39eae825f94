"""``inspector init``, ``inspector demo`` and ``inspector inspections list|show``: JSON shapes and coverage."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.core.records import content_hash
from inspector_app.paths import DataHome
from inspector_app.services.app import Services

LIST_KEYS = {"id", "uscc", "form_id", "form_version", "status", "verdict", "hash"}


def run(home, *args):
    result = CliRunner().invoke(cli, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo") / "home"
    first = json.loads(run(home, "demo", "--businesses", "200", "--json").stdout)
    return home, first


@pytest.fixture(scope="module")
def records(demo_home):
    home, _ = demo_home
    return json.loads(run(home, "inspections", "list", "--json").stdout)


def test_init_creates_the_data_home_and_says_where(tmp_path):
    home = tmp_path / "new-home"
    result = run(home, "init")
    assert str(home) in result.stdout and "数据库" in result.stdout
    assert DataHome(home).db_path.exists() and DataHome(home).attachments_dir.is_dir()
    info = json.loads(run(home, "init", "--json").stdout)
    assert info["database"] == str(DataHome(home).db_path)


def test_demo_reports_what_it_wrote(demo_home):
    _, summary = demo_home
    assert summary["businesses"] == {"imported": 200}
    assert summary["inspections_created"] >= 20 and summary["open_followups"] > 0


def test_demo_gives_at_least_20_records_over_all_three_families(records):
    assert len(records) >= 20
    assert {r["form_id"].split(".")[0] for r in records} == {"food", "equipment", "cosmetics"}


def test_demo_covers_drafts_finalized_every_food_verdict_and_every_equipment_outcome(records):
    statuses = Counter(r["status"] for r in records)
    assert statuses["draft"] >= 3 and statuses["finalized"] >= 10
    food = {r["verdict"] for r in records if r["form_id"].startswith("food.")}
    assert {"符合", "基本符合", "不符合"} <= food
    equipment = {r["verdict"] for r in records if r["form_id"].startswith("equipment.")}
    assert {"未发现问题", "限期改正", "立即停止使用"} <= equipment


def test_list_json_rows_have_the_documented_keys(records):
    for row in records:
        assert set(row) >= LIST_KEYS
        assert isinstance(row["form_version"], int)
        assert (row["hash"] == "") == (row["status"] == "draft")
        assert (row["verdict"] == "") == (row["status"] == "draft")


def test_list_filters_by_status_in_english_or_chinese(demo_home, records):
    home, _ = demo_home
    drafts = json.loads(run(home, "inspections", "list", "--json", "--status", "draft").stdout)
    assert {r["id"] for r in drafts} == {r["id"] for r in records if r["status"] == "draft"}
    same = json.loads(run(home, "inspections", "list", "--json", "--status", "草稿").stdout)
    assert same == drafts


def test_list_refuses_an_unknown_status_in_chinese(demo_home):
    home, _ = demo_home
    result = CliRunner().invoke(cli, ["--home", str(home), "inspections", "list", "--status", "done"])
    assert result.exit_code == 1 and "未知的记录状态" in result.output and "Traceback" not in result.output


def test_show_json_gives_answers_with_printed_results_verdict_and_a_verifiable_hash(demo_home, records):
    home, _ = demo_home
    finalized = [r for r in records if r["status"] == "finalized"]
    for row in finalized:
        record = json.loads(run(home, "inspections", "show", row["id"], "--json").stdout)
        assert record["verdict"] == row["verdict"] and record["hash"] == row["hash"]
        assert record["hash_verified"] is True
        assert record["verdict_rule"] in (
            "food_sales_count",
            "food_pass_rate",
            "cosmetics_key_tiers",
            "equipment_hazard",
        )
        assert len(record["inspectors"]) >= 2 and record["business"]["uscc"] == row["uscc"]
        for answer in record["answers"]:
            assert {"code", "result", "note"} <= set(answer)
            assert answer["result"] in ("符合", "不符合", "不适用", None)
        assert {s["role"] for s in record["signatures"]} == {"inspector", "party"}


def test_the_stored_hash_equals_the_recomputed_content_hash(demo_home, records):
    home, _ = demo_home
    services = Services(DataHome(home))
    try:
        for row in records:
            if row["hash"]:
                assert content_hash(services.inspections.get(row["id"])) == row["hash"]
    finally:
        services.close()


def test_demo_records_have_orders_photos_signatures_refusals_and_versions(demo_home, records):
    home, _ = demo_home
    shown = [json.loads(run(home, "inspections", "show", r["id"], "--json").stdout) for r in records]
    assert any(r["orders"] for r in shown)
    assert any(o["hazard"] for r in shown for o in r["orders"])  # equipment orders carry 五落实
    assert any(a["photos"] for r in shown for a in r["answers"])
    assert any(s["refused"] and s["witness_name"] for r in shown for s in r["signatures"])
    assert any(r["version"] == 2 and r["previous_id"] for r in shown)
    assert any(r["inspection_type"] == "回头看" for r in shown)


def test_running_demo_twice_does_not_duplicate_businesses_or_records(demo_home, records):
    home, _ = demo_home
    again = json.loads(run(home, "demo", "--businesses", "200", "--json").stdout)
    assert again["businesses"] == {"unchanged": 200} and again["inspections_skipped"] is True
    assert len(json.loads(run(home, "inspections", "list", "--json").stdout)) == len(records)


def test_show_text_is_in_chinese_and_an_unknown_id_is_a_clear_error(demo_home, records):
    home, _ = demo_home
    text = run(home, "inspections", "show", records[0]["id"]).stdout
    assert "被检查单位" in text and "执法人员" in text
    result = CliRunner().invoke(cli, ["--home", str(home), "inspections", "show", "no-such-id"])
    assert result.exit_code == 1 and "找不到检查记录" in result.output and "Traceback" not in result.output


def test_list_text_has_chinese_headers(demo_home):
    home, _ = demo_home
    assert run(home, "inspections", "list", "--limit", "3").stdout.splitlines()[0].startswith("记录编号")
