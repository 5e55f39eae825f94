"""``inspector report``: one record to a file, all finalized records to a folder, friendly errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inspector_app.cli.common import CliContext
from inspector_app.cli.report_cmd import report
from tests.review_support import LI, ZHANG, add_business, crew, finalized_record


@pytest.fixture
def records(services):
    """Two finalized records and one draft in ``home``; returns (finalized ids, draft id)."""
    uscc = add_business(services)
    done = [finalized_record(services, uscc), finalized_record(services, uscc, actor=LI, partner=ZHANG)]
    draft = services.inspections.start(
        ZHANG, uscc, "food.small_catering", crew(ZHANG, LI), "日常检查", "店内"
    )
    return done, draft.id


def run(home, *args):
    return CliRunner().invoke(report, list(args), obj=CliContext(str(home.root)))


def test_report_one_record_to_a_file(home, records, tmp_path):
    target = tmp_path / "one.pdf"
    result = run(home, records[0][0], "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"已生成 {target}" in result.output
    assert target.read_bytes().startswith(b"%PDF")


def test_report_without_output_goes_to_the_home_reports_folder(home, records):
    result = run(home, records[0][0], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["file"].startswith(str(home.reports_dir))
    assert data["bytes"] > 1000


def test_report_all_writes_every_finalized_record(home, records, tmp_path):
    out = tmp_path / "batch"
    result = run(home, "--all", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["count"] == 2
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(f.rsplit("/", 1)[-1] for f in data["files"])


def test_a_draft_is_a_chinese_error_without_traceback(home, records, tmp_path):
    result = run(home, records[1], "-o", str(tmp_path / "d.pdf"))
    assert result.exit_code == 1
    assert "草稿" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "d.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "请指定记录编号"),
        (("--all",), "--all --out"),
        (("some-id", "--all", "--out", "x"), "不能与记录编号"),
        (("some-id", "--out", "x"), "--out 仅用于 --all"),
    ],
)
def test_bad_argument_combinations_explain_the_right_usage(home, args, message):
    result = run(home, *args)
    assert result.exit_code == 1
    assert message in result.output


def test_unknown_record_is_reported(home, records, tmp_path):
    result = run(home, "no-such-id", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert "找不到检查记录 no-such-id" in result.output
