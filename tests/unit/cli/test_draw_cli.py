"""``inspector draw`` and friends: the same inputs print the same bytes, verify's exit codes, saving,
exports, snapshots, conflicts; ``risk``, ``complaints``, ``followups``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from inspector_app.cli.main import cli
from tests.unit.services.planning_support import make_home

DRAW = [
    "draw",
    "--seed",
    "2026年3月第1批",
    "--size",
    "5",
    "--area",
    "东宝区",
    "--kind",
    "小餐饮",
    "--to",
    "2026-03-31",
]


@pytest.fixture
def home(tmp_path) -> Path:
    services = make_home(tmp_path / "home")
    services.close()
    return tmp_path / "home"


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def test_the_same_draw_prints_the_same_bytes_in_the_published_shape(home):
    first, again = run(home, *DRAW, "--json"), run(home, *DRAW, "--json")
    assert first.exit_code == 0, first.output
    assert first.stdout_bytes == again.stdout_bytes and first.stdout_bytes.endswith(b"}\n")
    result = json.loads(first.stdout)
    assert {"seed", "registry_hash", "params", "targets"} <= set(result)
    assert len(result["targets"]) == 5
    assert all(set(t) == {"uscc", "inspectors"} and len(t["inspectors"]) == 2 for t in result["targets"])


def test_one_changed_registry_row_gives_another_registry_hash(home, tmp_path):
    before = json.loads(run(home, *DRAW, "--json").stdout)
    uscc = before["targets"][0]["uscc"]
    sheet = tmp_path / "change.csv"
    sheet.write_text(
        f"统一社会信用代码,主体名称,主体类型,辖区\n{uscc},搬迁后的小吃店,小餐饮,掇刀区\n", encoding="utf-8"
    )
    assert run(home, "registry", "import", str(sheet)).exit_code == 0
    after = json.loads(run(home, *DRAW, "--json").stdout)
    assert after["registry_hash"] != before["registry_hash"]
    assert uscc not in [t["uscc"] for t in after["targets"]]  # it left the area drawn from


def test_verify_exits_0_on_a_match_and_1_with_what_differs(home, tmp_path):
    published = tmp_path / "draw.json"
    assert run(home, *DRAW, "-o", str(published)).exit_code == 0
    ok = run(home, "draw", "verify", str(published))
    assert ok.exit_code == 0 and ok.stdout.startswith("一致")
    data = json.loads(published.read_text(encoding="utf-8"))
    data["targets"][0]["inspectors"].reverse()
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    bad = run(home, "draw", "verify", str(tampered))
    assert bad.exit_code == 1 and "第 1 个抽中对象" in bad.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert run(home, "draw", "verify", str(broken)).exit_code == 1


def test_save_list_show_export_and_snapshot(home, tmp_path):
    saved = run(home, *DRAW, "--title", "三月抽查", "--save", "--json")
    assert saved.exit_code == 0, saved.output
    document = json.loads(saved.stdout)
    draw_id = document["id"]
    assert document["format"] == "inspector-draw-document/1" and "已保存抽查" in saved.stderr
    listed = json.loads(run(home, "draw", "list", "--json").stdout)
    assert [(d["id"], d["title"], d["targets"]) for d in listed] == [(draw_id, "三月抽查", 5)]
    assert json.loads(run(home, "draw", "show", draw_id, "--json").stdout) == document
    assert "未检查" in run(home, "draw", "show", draw_id).stdout
    for fmt in ("csv", "xlsx", "pdf"):
        out = tmp_path / f"draw.{fmt}"
        assert run(home, "draw", "export", draw_id, "--format", fmt, "-o", str(out)).exit_code == 0
        assert out.stat().st_size > 0
    snapshot = tmp_path / "snapshot.json"
    assert run(home, "draw", "snapshot", draw_id, "-o", str(snapshot)).exit_code == 0
    doc_file = tmp_path / "document.json"
    doc_file.write_text(saved.stdout, encoding="utf-8")
    assert run(home, "draw", "verify", str(doc_file), "--snapshot", str(snapshot)).exit_code == 0


def test_a_draw_needs_a_seed_and_a_size_said_in_chinese(home):
    missing = run(home, "draw", "--size", "3")
    assert missing.exit_code == 2 and "--seed" in missing.stderr
    no_size = run(home, "draw", "--seed", "x")
    assert no_size.exit_code == 1 and "抽查数量" in no_size.stderr
    bad = run(home, "draw", "--seed", "x", "--size", "3", "--weights", "A=1,B=2")
    assert bad.exit_code == 1 and "四个等级" in bad.stderr


def test_conflicts_of_interest_on_the_command_line(home):
    uscc = json.loads(run(home, *DRAW, "--json").stdout)["targets"][0]["uscc"]
    added = run(home, "draw", "conflicts", "add", "db1", uscc, "--reason", "近亲属经营")
    assert added.exit_code == 0, added.output
    listed = json.loads(run(home, "draw", "conflicts", "list", "--json").stdout)
    assert [(c["inspector"], c["uscc"]) for c in listed] == [("张伟", uscc)]
    params = json.loads(run(home, *DRAW, "--json").stdout)["params"]
    assert params["conflicts"] == [{"inspector": "u-db-1", "uscc": uscc}]
    assert run(home, "draw", "conflicts", "withdraw", listed[0]["id"]).exit_code == 0
    assert json.loads(run(home, "draw", "conflicts", "list", "--json").stdout) == []
    assert run(home, "draw", "conflicts", "add", "nobody", uscc, "--reason", "x").exit_code == 1


def test_risk_complaints_and_followups_commands(home):
    uscc = json.loads(run(home, *DRAW, "--json").stdout)["targets"][0]["uscc"]
    before = json.loads(run(home, "risk", "show", uscc, "--json").stdout)
    added = run(home, "complaints", "add", uscc, "--date", "2026-01-05", "--summary", "反映后厨卫生差")
    assert added.exit_code == 0, added.output
    complaint_id = added.stdout.split()[-1]
    assert run(home, "complaints", "resolve", complaint_id, "substantiated").exit_code == 0
    after = json.loads(run(home, "risk", "show", uscc, "--json").stdout)
    assert after["points"] == before["points"] + 10
    assert "投诉举报经查属实 1 件（计 1 件）" in run(home, "risk", "show", uscc).stdout
    listed = json.loads(run(home, "complaints", "list", uscc, "--json").stdout)
    assert [c["status_label"] for c in listed] == ["经查属实"]
    summary = json.loads(run(home, "risk", "summary", "--json").stdout)
    assert set(summary) == {"A", "B", "C", "D"} and sum(summary.values()) > 0
    assert json.loads(run(home, "followups", "--overdue", "--json").stdout) == []
