"""``inspector verify`` and the refusals built on it: each forgery the red team tried is found and named,
and approve, return, report and publish refuse a record that fails (issue 12, tamper evidence, first part).

Forgeries are made the way an attacker with the file would: plain SQL with the immutability triggers
dropped, or by replacing files under ``attachments/``. (Recomputing the hash after a rewrite needs the
device signatures to detect; that comes with the signature checks.)
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.core.errors import InspectorError
from inspector_app.services.verify import RecordNotIntact
from tests.builders import make_jpeg
from tests.review_support import (
    ADMIN,
    BOSS,
    FORM,
    LI,
    ZHANG,
    add_business,
    answer_all,
    crew,
    finalized_record,
    sign_all,
)


@pytest.fixture
def uscc(services) -> str:
    return add_business(services)


def record_with_photo(services, uscc) -> tuple[str, str]:
    """A finalized record with one photo on its first item; returns (record id, photo sha256)."""
    record = services.inspections.start(ZHANG, uscc, FORM, crew(ZHANG, LI), "日常检查", "店内")
    answer_all(services, ZHANG, record.id)
    code = sorted(services.inspections.get(record.id).answers)[0]
    photo = services.inspections.attach_photo(ZHANG, record.id, code, make_jpeg(color="blue"))
    sign_all(services, ZHANG, record.id)
    return services.inspections.finalize(ZHANG, record.id).id, photo.sha256


def without_triggers(store) -> None:
    conn = store.db.conn
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')


def problems_of(services) -> list[tuple[str, str]]:
    report = services.verify.verify()
    return [(p.check, p.message) for p in report.problems]


def test_a_healthy_home_verifies(services, uscc):
    first, _ = record_with_photo(services, uscc)
    services.review.approve(BOSS, first)
    finalized_record(services, uscc)
    report = services.verify.verify()
    assert report.ok, report.problems
    assert report.records_checked == 2 and report.attachments_checked == 2  # the photo, one signature image


def test_a_content_column_changed_in_the_database_is_found(services, store, uscc):
    record_id = finalized_record(services, uscc)
    without_triggers(store)
    store.db.execute("UPDATE inspections SET verdict = '符合', place = '别处' WHERE id = ?", [record_id])
    report = services.verify.verify()
    assert report.bad_records() == [record_id]
    [problem] = report.problems
    assert problem.check == "content" and "place" in problem.message


def test_a_listed_name_changed_apart_from_the_record_is_found(services, store, uscc):
    record_id = finalized_record(services, uscc)
    without_triggers(store)
    store.db.execute("UPDATE inspections SET business_name = '别的店' WHERE id = ?", [record_id])
    assert ("content", "列表中的单位名称与记录内容不一致（数据库被直接改动）") in problems_of(services)


def test_a_status_moved_to_approved_without_a_review_is_found(services, store, uscc):
    record_id = finalized_record(services, uscc)
    store.db.execute(
        "UPDATE inspections SET status = 'approved' WHERE id = ?", [record_id]
    )  # triggers allow it
    assert problems_of(services) == [("status", "状态为“已审核通过”，但没有对应的审核记录")]


def test_a_swapped_photo_file_is_found_naming_the_item(services, store, uscc):
    record_id, sha = record_with_photo(services, uscc)
    store.attachments.path_for(sha).write_bytes(make_jpeg(color="green"))
    report = services.verify.verify()
    assert report.bad_records() == [record_id]
    assert all(p.check == "attachment" and "被替换或损坏" in p.message for p in report.problems)
    assert any("检查项" in p.message for p in report.problems)


def test_a_missing_photo_file_is_found(services, store, uscc):
    _, sha = record_with_photo(services, uscc)
    store.attachments.path_for(sha).unlink()
    assert any(c == "attachment" and "缺失" in m for c, m in problems_of(services))


def test_a_photo_row_pointed_at_another_picture_is_found(services, store, uscc):
    record_id, sha = record_with_photo(services, uscc)
    other = store.attachments.put(make_jpeg(color="yellow"), "photo", "image/jpeg")
    without_triggers(store)
    store.db.execute("UPDATE answer_photos SET sha256 = ? WHERE sha256 = ?", [other.sha256, sha])
    report = services.verify.verify()
    assert report.bad_records() == [record_id]
    assert any("answers" in p.message for p in report.problems)


def test_approve_and_return_refuse_an_altered_record(services, store, uscc):
    record_id = finalized_record(services, uscc)
    without_triggers(store)
    store.db.execute("UPDATE inspections SET place = '别处' WHERE id = ?", [record_id])
    with pytest.raises(RecordNotIntact, match="不能审核通过"):
        services.review.approve(BOSS, record_id)
    with pytest.raises(RecordNotIntact, match="不能退回修改"):
        services.review.return_(BOSS, record_id, "请补充")
    assert services.review.events(record_id) == []


def test_the_report_refuses_a_record_whose_photo_was_swapped(services, store, uscc):
    record_id, sha = record_with_photo(services, uscc)
    store.attachments.path_for(sha).write_bytes(make_jpeg(color="green"))
    with pytest.raises(RecordNotIntact, match="不能生成 PDF.*照片"):
        services.reports.render(record_id)


def test_publish_refuses_to_export_when_a_record_was_altered(services, store, uscc, tmp_path):
    good = finalized_record(services, uscc)
    bad = finalized_record(services, uscc)
    without_triggers(store)
    store.db.execute("UPDATE inspections SET verdict = '符合', handling = '' WHERE id = ?", [bad])
    out = tmp_path / "公示.csv"
    with pytest.raises(InspectorError, match="1 份记录未通过校验，未导出任何内容") as caught:
        services.publish.export(ADMIN, "csv", out)
    assert services.inspections.get(bad).document_no in str(caught.value)
    assert services.inspections.get(good).document_no not in str(caught.value)
    assert not out.exists()


def test_the_cli_verify_exits_0_when_all_holds_and_1_naming_each_bad_record(services, store, uscc):
    record_id, sha = record_with_photo(services, uscc)
    runner = CliRunner()
    home = str(services.home.root)
    healthy = runner.invoke(cli, ["--home", home, "verify", "--json"])
    assert healthy.exit_code == 0, healthy.output
    assert json.loads(healthy.stdout)["ok"] is True
    store.attachments.path_for(sha).write_bytes(b"not the photo")
    broken = runner.invoke(cli, ["--home", home, "verify", "--json"])
    assert broken.exit_code == 1
    data = json.loads(broken.stdout)
    assert data["ok"] is False and {p["record_id"] for p in data["problems"]} >= {record_id}
    text = runner.invoke(cli, ["--home", home, "verify"])
    assert text.exit_code == 1
    document_no = services.inspections.get(record_id).document_no
    assert document_no in text.output and "被替换或损坏" in text.output


def test_verify_finds_a_damaged_database_page(tmp_path):
    from inspector_app.paths import DataHome
    from inspector_app.services.app import Services

    home = DataHome(tmp_path / "home")
    services = Services(home)
    services.registry.upsert_many([])
    conn = services._store.db.conn  # filling pages the check will read
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 2000)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    services.close()
    data = bytearray(home.db_path.read_bytes())
    for offset in range(4096 * 40, 4096 * 42):
        data[offset] = 0xFF
    home.db_path.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["--home", str(home.root), "verify"])
    assert result.exit_code == 1
    assert "数据库" in result.output and "Traceback" not in result.output
