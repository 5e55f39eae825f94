"""The 同步 page (admin) and the status bar's sync line (everyone), against a live HQ on loopback (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.core.clock import FixedClock
from inspector_app.hq.app import create_app
from inspector_app.hq.db import open_engine
from inspector_app.hq.service import HQ
from tests.builders import T0, make_jpeg
from tests.gui.pages import HomePage, MainWindowPage
from tests.gui.sync_pages import SyncPageObject, sync_line
from tests.hq.conftest import LiveHQ
from tests.laptop_support import FAST_RETRY, make_laptop
from tests.live_server import ServerThread
from tests.review_support import BOSS, answer_all, sign_all

pytestmark = pytest.mark.gui


@pytest.fixture
def live(tmp_path):
    engine = open_engine(str(tmp_path / "hq.sqlite3"))
    hq = HQ(engine, tmp_path / "blobs", FixedClock(T0))
    server = ServerThread(create_app(hq))
    yield LiveHQ(hq, f"http://127.0.0.1:{server.port}")
    server.stop()
    engine.dispose()


def finalize_as(shell, username: str = "zhangwei") -> str:
    """A record with a photo of its own, answered, signed and finalized by ``username`` (shell's services)."""
    user = shell.users[username]
    inspections = shell.services.inspections
    record_id = shell.start_draft(by=username)
    answer_all(shell.services, user, record_id)
    first = sorted(inspections.get(record_id).answers)[0]
    count = len(inspections.list())
    inspections.attach_photo(user, record_id, first, make_jpeg(60 + count, 40, color="green"))
    sign_all(shell.services, user, record_id)
    return inspections.finalize(user, record_id).id


def photo_of(shell, record_id: str) -> Path:
    record = shell.services.inspections.get(record_id)
    sha = next(s for s, a in record.attachments.items() if a.kind == "photo")
    return shell.services.home.attachments_dir / sha[:2] / sha


@pytest.fixture
def admin_page(qtbot, shell, window_for):
    shell.services.sync.retry = FAST_RETRY
    window = window_for("admin")
    page = MainWindowPage(qtbot, window).go(len(window.page_keys()))
    assert page is window.page("sync")
    sync = SyncPageObject(qtbot, page)
    sync.reload()
    return window, sync


def test_admin_enrols_the_laptop_and_syncs_every_record(qtbot, shell, live, admin_page):
    ids = [finalize_as(shell) for _ in range(2)]
    window, page = admin_page
    page.reload()
    assert "尚未登记" in page.hq_text() and not page.can_sync()
    assert [r["状态"] for r in page.rows()] == ["待上传", "待上传"]
    assert page.enrol(live.url, "AAAA-BBBB-CCCC").startswith("总部拒绝：登记码无效")
    code = live.hq.devices.issue_code("东宝区-笔记本-07").code
    assert page.enrol(live.url, code) == ""
    assert "东宝区-笔记本-07" in page.hq_text() and "检查员设备" in page.hq_text()
    result = page.sync_now()
    assert "已同步 2 项" in result and not page.result_is_error()
    assert page.rows() == [] and "都已在总部" in page.empty_text()
    assert sorted(r["id"] for r in live.hq.records()) == sorted(ids)
    line = sync_line(qtbot, window)
    assert "上次同步" in line and "待上传 0 项" in line


def test_a_refused_item_shows_its_error_and_立即重试_sends_it_once_fixed(qtbot, shell, live, admin_page):
    first, second = finalize_as(shell), finalize_as(shell)
    window, page = admin_page
    page.enrol(live.url, live.hq.devices.issue_code("重试机").code)
    photo = photo_of(shell, second)
    kept = photo.read_bytes()
    photo.unlink()  # a damaged laptop: the attachment file went missing
    result = page.sync_now()
    assert "被拒收 1 项" in result and page.result_is_error()
    [row] = page.rows()
    assert row["状态"] == "被拒收" and "附件文件缺失" in row["最后错误"] and row["尝试次数"] == "1"
    assert "1 项出错" in sync_line(qtbot, window)
    photo.write_bytes(kept)  # restored from the backup
    result = page.retry_now()
    assert "已同步 1 项" in result and page.rows() == []
    assert sorted(r["id"] for r in live.hq.records()) == sorted([first, second])


def test_hq_unreachable_is_shown_and_nothing_is_lost(qtbot, shell, live, admin_page):
    finalize_as(shell)
    window, page = admin_page
    page.enrol(live.url, live.hq.devices.issue_code("断网机").code)
    shell.services.sync.change_hq_url("http://127.0.0.1:9")
    result = page.sync_now()
    assert "无法完成与总部" in result and page.result_is_error()
    assert "无法完成与总部" in page.state_text()
    assert [r["状态"] for r in page.rows()] == ["待上传"]
    assert "上次同步失败" in sync_line(qtbot, window)


def test_every_user_sees_the_sync_line_and_only_the_admin_the_page(qtbot, shell, live, window_for):
    finalize_as(shell)
    window = window_for("zhangwei")
    assert "同步" not in MainWindowPage(qtbot, window).nav_titles()
    assert sync_line(qtbot, window) == "未登记总部 · 待上传 1 项"
    shell.services.sync.retry = FAST_RETRY
    shell.services.sync.enroll(live.url, live.hq.devices.issue_code("检查机").code)
    assert sync_line(qtbot, window) == "尚未同步 · 待上传 1 项"
    shell.services.sync.push()
    assert sync_line(qtbot, window).endswith("· 待上传 0 项") and "上次同步" in sync_line(qtbot, window)


def test_the_inspectors_home_shows_the_returned_record_with_the_comment_after_the_automatic_sync(
    qtbot, shell, live, window_for, tmp_path
):
    record_id = finalize_as(shell, "zhangwei")
    services = shell.services
    services.sync.retry = FAST_RETRY
    services.sync.enroll(live.url, live.hq.devices.issue_code("张伟的笔记本").code)
    assert services.sync.push().ok
    supervisor = make_laptop(tmp_path / "supervisor")
    try:
        supervisor.sync.enroll(live.url, live.hq.devices.issue_code("审核机", "supervisor", "东宝区").code)
        assert supervisor.sync.pull().records == 1
        supervisor.review.return_(BOSS, record_id, "现场照片不清晰，请补拍后厨")
        assert supervisor.sync.push().ok
    finally:
        supervisor.close()
    window = window_for("zhangwei")
    sync_line(qtbot, window)  # read once: the line knows the laptop is enrolled
    with qtbot.waitSignal(window.sync_status.synced, timeout=30000):
        window.sync_status.sync_now()  # what the timer does every few minutes
    home = HomePage(qtbot, window.page("home"))
    home.reload()
    assert home.ids("returned") == [record_id]
    assert home.texts("returned", 3) == ["现场照片不清晰，请补拍后厨"]
    assert home.texts("returned", 1) == ["王审核"]


def test_usb_export_and_import_from_the_page(qtbot, shell, live, admin_page, tmp_path):
    from inspector_app.hq.transfer import export_bundle, import_bundle

    finalize_as(shell)
    window, page = admin_page
    page.enrol(live.url, live.hq.devices.issue_code("U盘机").code)
    bundle = tmp_path / "u盘" / "本机.inspbundle"
    with qtbot.waitSignal(page.page.run_finished, timeout=30000) as done:
        page.page.export_to(str(bundle))
    assert "已写出同步包" in done.args[0] and bundle.exists()
    page.reload()
    assert page.rows()[0]["状态"] == "待上传（已导出）"
    assert import_bundle(live.hq, bundle).records_stored == 1
    back = export_bundle(live.hq, "U盘机", tmp_path / "back.inspbundle")
    broken = tmp_path / "broken.inspbundle"
    broken.write_bytes(back.read_bytes()[:300])
    with qtbot.waitSignal(page.page.run_finished, timeout=30000) as done:
        page.page.import_from(str(broken))
    assert "整个同步包未导入" in done.args[0] and page.result_is_error()
    with qtbot.waitSignal(page.page.run_finished, timeout=30000) as done:
        page.page.import_from(str(back))
    assert "收到记录 0 份" in done.args[0] and not page.result_is_error()
