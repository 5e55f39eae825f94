"""A full disk, for real: the data home on a small tmpfs the test mounts (issue 12, the harness).

``inspector demo`` runs out of space half-way: it says the disk is full (no traceback) and leaves nothing
behind; every other write on the full disk either succeeds or says the disk is full; read-only commands
and ``verify`` keep working; on a disk so full that SQLite cannot create its shared-memory file, commands
say the disk is full (never "corrupt"); once space is freed, the same commands succeed. Mounting needs root (the CI
and these machines run as root); elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.core.errors import InspectorError
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.errors import DiskFull
from tests.builders import make_jpeg
from tests.harness.figures import record
from tests.review_support import FORM, LI, ZHANG, add_business, crew

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_disk(tmp_path):
    """A 12 MiB tmpfs mounted for this test (skipped where mounting is not allowed)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def inspector(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli.main", "--home", str(home), *args],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip


def fill_up(folder: Path, leave: int) -> Path:
    """Grow a filler file until about ``leave`` bytes stay free."""
    filler = folder / "filler.bin"
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    with open(filler, "ab") as handle:
        try:
            handle.write(b"\0" * max(free - leave, 0))
            handle.flush()
        except OSError:  # exactly full
            pass
    return filler


def test_a_full_disk_fails_writes_cleanly_and_the_home_stays_usable(small_disk):
    home = small_disk / "home"
    assert inspector(home, "init").returncode == 0
    filler = fill_up(small_disk, leave=1_500_000)

    demo = inspector(home, "demo", "--businesses", "3000")
    assert demo.returncode == 1
    assert "磁盘空间已满" in demo.stderr and "Traceback" not in demo.stderr + demo.stdout
    listed = inspector(home, "registry", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []  # all or nothing: no business of the failed demo
    assert inspector(home, "verify").returncode == 0

    fill_up(small_disk, leave=300_000)  # room to open the database (its -shm), not for much more
    outcomes = {"stored": 0, "disk full": 0}
    services = Services(DataHome(home))
    try:
        for attempt in range(30):
            try:
                uscc = add_business(services, name=f"满盘测试店{attempt}", stem=f"92420802MA4{attempt:06d}")
                record_id = services.inspections.start(
                    ZHANG, uscc, FORM, crew(ZHANG, LI), "日常检查", "店内"
                ).id
                photo = make_jpeg(1200, 900, (attempt * 8 % 256, 90, 200))  # a different file each time
                services.inspections.attach_photo(ZHANG, record_id, "SP01", photo)
                outcomes["stored"] += 1
            except DiskFull:
                outcomes["disk full"] += 1
            except InspectorError as exc:
                pytest.fail(f"a write on a full disk failed with something else: {exc}")
    finally:
        services.close()
    assert outcomes["disk full"] > 0, (outcomes, os.statvfs(small_disk).f_bavail)
    assert inspector(home, "verify").returncode == 0

    fill_up(small_disk, leave=0)  # completely full: SQLite cannot even create the -shm file to open
    for command in (["inspections", "list"], ["registry", "import", str(REPO / "pyproject.toml")]):
        run = inspector(home, *command)
        said = run.stdout + run.stderr
        assert run.returncode == 0 or "磁盘空间已满" in run.stderr, said
        assert "Traceback" not in said and "损坏" not in said

    filler.unlink()  # space freed
    again = inspector(home, "demo", "--businesses", "300")
    assert again.returncode == 0, again.stderr
    checked = inspector(home, "verify", "--json")
    assert checked.returncode == 0, checked.stdout
    record("disk-full writes refused cleanly", outcomes["disk full"] + 1)
    record("disk-full runs", 1)
