"""``inspector backup`` / ``restore``: one verified file; a restore checks everything before it replaces
anything and keeps what it replaces; a restored fresh home passes ``inspector verify``."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from click.testing import CliRunner

from inspector_app.cli.main import cli
from inspector_app.core.errors import InspectorError
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.backup import BackupError, read_backup, restore_home
from inspector_app.storage import backup as storage_backup
from inspector_app.storage.store import Store
from tests.builders import CHEAP_HASHER, make_jpeg
from tests.lockholder import hold_write_lock
from tests.review_support import BOSS, FORM, LI, ZHANG, add_business, answer_all, crew, sign_all


def _record_with_photo(services: Services, uscc: str, color: str = "blue") -> str:
    record = services.inspections.start(ZHANG, uscc, FORM, crew(ZHANG, LI), "日常检查", "店内")
    answer_all(services, ZHANG, record.id)
    code = sorted(services.inspections.get(record.id).answers)[0]
    services.inspections.attach_photo(ZHANG, record.id, code, make_jpeg(color=color))
    sign_all(services, ZHANG, record.id)
    return services.inspections.finalize(ZHANG, record.id).id


@pytest.fixture
def filled(tmp_path, clock):
    """A data home with two finalized records (one approved), photos and signatures; closed."""
    home = DataHome(tmp_path / "source")
    services = Services(home, clock, hasher=CHEAP_HASHER)
    uscc = add_business(services)
    first = _record_with_photo(services, uscc)
    _record_with_photo(services, uscc, color="green")
    services.review.approve(BOSS, first, "同意")
    services.inspections.device  # noqa: B018 - creates device.json, which the backup carries
    services.close()
    return home


def _backup(home: DataHome, target) -> None:
    services = Services(home)
    try:
        services.backup.backup(target)
    finally:
        services.close()


def _records(home: DataHome) -> dict[str, tuple[str, str]]:
    services = Services(home)
    try:
        return {s.id: (s.status.value, s.content_hash) for s in services.inspections.list()}
    finally:
        services.close()


def test_a_backup_restored_into_a_fresh_home_passes_verify(filled, tmp_path):
    target = tmp_path / "备份" / "jingmen.zip"
    progress: list[tuple[int, int]] = []
    services = Services(filled)
    summary = services.backup.backup(target, progress=lambda d, t: progress.append((d, t)))
    services.close()
    assert summary.records == 2 and summary.attachments == 3  # two photos, one signature image
    assert progress[-1][0] == progress[-1][1]
    assert not [p for p in target.parent.iterdir() if p.name != target.name]  # no temporary files left
    fresh = DataHome(tmp_path / "fresh")
    restored = restore_home(fresh, target)
    assert restored.replaced_kept_in is None
    result = CliRunner().invoke(cli, ["--home", str(fresh.root), "verify", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["records_checked"] == 2
    assert _records(fresh) == _records(filled)
    assert (fresh.root / "device.json").read_bytes() == (filled.root / "device.json").read_bytes()


def test_restoring_over_a_home_keeps_what_it_replaced(filled, tmp_path, clock):
    target = tmp_path / "b.zip"
    _backup(filled, target)
    other = DataHome(tmp_path / "other")
    services = Services(other, clock, hasher=CHEAP_HASHER)
    uscc = add_business(services, name="另一家店", stem="92420802MA4YYYYY2")
    _record_with_photo(services, uscc, color="red")
    services.close()
    before = _records(other)
    summary = restore_home(other, target)
    assert _records(other) == _records(filled)
    kept = summary.replaced_kept_in
    assert kept is not None and kept.parent == other.root
    assert _records(DataHome(kept)) == before  # the replaced home opens as it was


def test_a_damaged_backup_is_refused_and_nothing_is_replaced(filled, tmp_path):
    target = tmp_path / "b.zip"
    _backup(filled, target)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(damaged, "w") as out:
        photos = [n for n in source.namelist() if n.startswith("attachments/")]
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == photos[0]:
                data = make_jpeg(color="black")  # a swapped photo inside the backup
            out.writestr(item, data)
    before = _records(filled)
    with pytest.raises(BackupError, match="哈希不符"):
        restore_home(filled, damaged)
    assert _records(filled) == before
    assert not [p for p in filled.root.iterdir() if p.name.startswith((".restore", "replaced-"))]


@pytest.mark.parametrize(
    "body, why",
    [(b"not a zip at all", "ZIP"), (None, "manifest.json")],
)
def test_a_file_that_is_not_a_backup_is_refused(filled, tmp_path, body, why):
    path = tmp_path / "x.zip"
    if body is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("inspector.sqlite3", b"whatever")
        body = buffer.getvalue()
    path.write_bytes(body)
    with pytest.raises(BackupError, match=why):
        restore_home(filled, path)


def test_a_backup_whose_records_fail_verification_is_refused(filled, tmp_path):
    store = Store(filled)
    for (name,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        store.db.execute(f'DROP TRIGGER "{name}"')
    store.db.execute("UPDATE inspections SET place = '别处'")
    store.close()
    target = tmp_path / "b.zip"
    _backup(filled, target)  # a backup keeps the evidence as it is
    fresh = DataHome(tmp_path / "fresh")
    with pytest.raises(BackupError, match="校验未通过"):
        restore_home(fresh, target)
    assert not fresh.db_path.exists()


def test_a_backup_with_a_damaged_attachment_is_not_written(filled, tmp_path):
    store = Store(filled)
    [sha, *_] = [r[0] for r in store.db.execute("SELECT sha256 FROM attachments").fetchall()]
    store.attachments.path_for(sha).write_bytes(b"damaged")
    store.close()
    target = tmp_path / "b.zip"
    with pytest.raises(BackupError, match="已损坏或被替换"):
        _backup(filled, target)
    assert list(tmp_path.glob("*.zip")) == [] and not list(tmp_path.glob(".partial-*"))


def test_a_backup_is_made_while_another_process_writes(filled, tmp_path):
    target = tmp_path / "b.zip"
    with hold_write_lock(filled.db_path, what="名录导入 big.xlsx"):
        _backup(filled, target)
    assert read_backup(target).records == 2


def test_restore_refuses_while_the_home_is_open_elsewhere(filled, tmp_path):
    target = tmp_path / "b.zip"
    _backup(filled, target)
    services = Services(filled)
    try:
        with pytest.raises(InspectorError, match="正被其他程序"):
            restore_home(filled, target)
    finally:
        services.close()
    assert not [p for p in filled.root.iterdir() if p.name.startswith("replaced-")]


def test_a_restore_cut_short_mid_swap_is_completed_when_the_home_is_next_opened(
    filled, tmp_path, monkeypatch
):
    target = tmp_path / "b.zip"
    _backup(filled, target)
    other = DataHome(tmp_path / "other")
    Store(other).close()
    real_replace = os.replace
    moves = {"n": 0}

    def power_cut(src, dst):
        moves["n"] += 1
        if moves["n"] == 3:  # after the old database went aside and the new one moved in
            raise KeyboardInterrupt("power cut")
        real_replace(src, dst)

    monkeypatch.setattr(storage_backup.os, "replace", power_cut)
    with pytest.raises(KeyboardInterrupt):
        restore_home(other, target)
    monkeypatch.setattr(storage_backup.os, "replace", real_replace)
    assert (other.root / storage_backup.RESTORE_MARKER).exists()
    assert _records(other) == _records(filled)  # opening finished the swap
    assert not (other.root / storage_backup.RESTORE_MARKER).exists()


def test_the_cli_backs_up_and_restores(filled, tmp_path):
    runner = CliRunner()
    target = tmp_path / "cli.zip"
    made = runner.invoke(cli, ["--home", str(filled.root), "backup", str(target)])
    assert made.exit_code == 0, made.output
    assert "检查记录 2 份" in made.output
    fresh = tmp_path / "fresh"
    restored = runner.invoke(cli, ["--home", str(fresh), "restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "校验通过" in restored.output
    asked = runner.invoke(cli, ["--home", str(fresh), "restore", str(target)], input="n\n")
    assert asked.exit_code == 1 and "继续吗" in asked.output
