"""``inspector sync …`` on a laptop data home against a live HQ (SQLite; the engine is covered elsewhere)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.hq.transfer import export_bundle, import_bundle
from tests.laptop_support import finalize_record, make_laptop

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def home(tmp_path):
    services = make_laptop(tmp_path / "laptop")
    finalize_record(services, photos=1)
    services.close()
    return str(tmp_path / "laptop")


def run(home, *args, ok=True):
    result = CliRunner().invoke(cli, ["--home", home, "sync", *args])
    if ok is not None:
        assert (result.exit_code == 0) is ok, result.output
    return result


def test_enrol_push_status_and_pull(home, live):
    before = json.loads(run(home, "status", "--json").stdout)
    assert (before["enrolled"], before["pending"], before["items"][0]["state"]) == (False, 1, "pending")
    code = live.hq.devices.issue_code("命令行笔记本").code
    enrolled = json.loads(run(home, "enroll", "--to", live.url, "--code", code, "--json").stdout)
    assert enrolled["device"] == "命令行笔记本" and "token" not in enrolled
    pushed = json.loads(run(home, "push", "--json").stdout)
    assert (pushed["ok"], pushed["synced"]) == (True, 1)
    after = json.loads(run(home, "status", "--json").stdout)
    assert (after["pending"], after["synced"], after["items"], after["last_error"]) == (0, 1, [], "")
    assert after["last_success_at"]
    text = run(home, "status").stdout
    assert "上次成功同步" in text and "已同步 1 项" in text
    assert "收到记录 0 份" in run(home, "pull").stdout


def test_a_bad_code_and_an_unreachable_hq_fail_with_a_chinese_reason(home, live):
    result = run(home, "enroll", "--to", live.url, "--code", "AAAA-BBBB-CCCC", ok=False)
    assert "登记码无效或已使用" in result.output and "Traceback" not in result.output
    result = run(home, "push", ok=False)
    assert "本机尚未在总部登记" in result.output
    run(home, "enroll", "--to", live.url, "--code", live.hq.devices.issue_code("断网机").code)
    laptop = make_laptop(Path(home))
    laptop.sync.change_hq_url("http://127.0.0.1:9")  # nothing listens there
    laptop.close()
    result = run(home, "push", ok=False)
    assert "上传未进行" in result.output and "无法完成与总部" in result.output
    status = json.loads(run(home, "status", "--json").stdout)
    assert status["pending"] == 1 and "无法完成与总部" in status["last_error"]
    assert live.hq.records() == []


def test_usb_export_and_import(home, live, tmp_path):
    run(home, "enroll", "--to", live.url, "--code", live.hq.devices.issue_code("U盘机").code)
    bundle = tmp_path / "out.inspbundle"
    exported = json.loads(run(home, "export", "--bundle", str(bundle), "--json").stdout)
    assert exported["records"] == 1 and bundle.exists()
    assert import_bundle(live.hq, bundle).records_stored == 1
    back = export_bundle(live.hq, "U盘机", tmp_path / "back.inspbundle")
    assert json.loads(run(home, "import", str(back), "--json").stdout)["ok"]
    broken = tmp_path / "broken.inspbundle"
    broken.write_bytes(back.read_bytes()[:200])
    result = run(home, "import", str(broken), ok=False)
    assert "整个同步包未导入" in result.output
