"""Leftovers of killed writes are removed when the data home is opened (issue 12, defect 7).

A photo write killed between creating its temporary file and renaming it leaves ``.partial-*.tmp`` in
``attachments/``; nothing ever removed them. Opening the store now does — but never a file that another
process is still writing (it holds a lock on it) or that was created in the last minute.
"""

from __future__ import annotations

import fcntl
import os
import time

from inspector_app.paths import DataHome
from inspector_app.storage.store import Store


def _leftover(folder, name: str, age_s: float):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"half a photo")
    then = time.time() - age_s
    os.utime(path, (then, then))
    return path


def test_old_partial_files_are_removed_when_the_home_is_opened(tmp_path):
    home = DataHome(tmp_path / "home")
    Store(home).close()
    killed = _leftover(home.attachments_dir / ".incoming", ".partial-killed.tmp", age_s=3600)
    pdf = _leftover(home.reports_dir, ".partial-0123abcd.pdf", age_s=3600)
    photo = _leftover(home.attachments_dir / "ab", "ab" + "0" * 62, age_s=3600)  # a real attachment: kept
    Store(home).close()
    assert not killed.exists() and not pdf.exists()
    assert photo.exists()


def test_leftovers_of_older_versions_beside_the_photos_go_with_the_full_check(tmp_path):
    home = DataHome(tmp_path / "home")
    Store(home).close()
    old = _leftover(home.attachments_dir / "ab", ".partial-old.tmp", age_s=3600)
    Store(home).close()
    assert old.exists()  # every open looks only in .incoming/ (cheap with thousands of photos)
    store = Store(home)
    store.check_integrity()  # what `inspector init` runs
    store.close()
    assert not old.exists()


def test_a_partial_file_being_written_or_just_created_is_kept(tmp_path):
    home = DataHome(tmp_path / "home")
    Store(home).close()
    fresh = _leftover(home.attachments_dir / ".incoming", ".partial-fresh.tmp", age_s=0)
    busy = _leftover(home.attachments_dir / ".incoming", ".partial-busy.tmp", age_s=3600)
    fd = os.open(busy, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a writer in another process holds it
        Store(home).close()
    finally:
        os.close(fd)
    assert fresh.exists() and busy.exists()


def test_the_staging_folder_of_a_restore_that_died_is_removed_later(tmp_path):
    home = DataHome(tmp_path / "home")
    Store(home).close()
    stage = home.root / ".restore-abc"
    (stage / "attachments").mkdir(parents=True)
    (stage / "inspector.sqlite3").write_bytes(b"copy")
    Store(home).close()
    assert stage.exists()  # may be a restore still verifying
    then = time.time() - 7 * 3600
    os.utime(stage, (then, then))
    Store(home).close()
    assert not stage.exists()
