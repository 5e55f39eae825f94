"""``apt install ./inspector-app_….deb`` on a clean Debian 12, then run it, then remove it.

A minimal Debian 12 ("bookworm", debootstrap minbase, ~40 s) is made in a temporary folder; the package is
installed there with ``--no-install-recommends`` (so ``Depends`` alone must be enough), its commands run as an
ordinary user, the desktop app to its login dialog on the offscreen platform and on a real X server (Xvfb,
installed afterwards so it cannot hide a missing dependency), and ``apt-get remove`` / ``purge`` must leave that user's data.

Slow, and skipped (with the reason) where the machine cannot: not root, no debootstrap, or no access to
Debian's package archive. Once the clean root exists, every failure is the package's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy import build_deb
from tests.deb.support import shown_windows

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

USER = "inspector1"


@contextlib.contextmanager
def proc_mounted(root: Path) -> Iterator[None]:
    target = root / "proc"
    subprocess.run(["mount", "-t", "proc", "proc", str(target)], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


def chroot(root: Path, script: str, *, user: str | None = None, timeout: float = 900) -> str:
    """Run ``script`` with sh inside the root (as ``user`` via su if given); returns stdout, fails on error."""
    command = (
        ["chroot", str(root), "su", "-", user, "-c", script]
        if user
        else ["chroot", str(root), "sh", "-c", script]
    )
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (
        f"in the Debian 12 root: {script}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def mounted_below(folder: Path) -> list[str]:
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        points = [line.split()[1] for line in mounts]
    return [p for p in points if p == str(folder) or p.startswith(f"{folder}/")]


@pytest.fixture(scope="module")
def clean_debian(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("needs root (debootstrap and chroot)")
    if not shutil.which("debootstrap"):
        pytest.skip("debootstrap missing (bash scripts/bootstrap.sh installs it)")
    root = tmp_path_factory.mktemp("bookworm") / "root"
    result = subprocess.run(
        ["debootstrap", "--variant=minbase", "bookworm", str(root)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        pytest.skip(
            f"cannot make a clean Debian 12 root on this machine (debootstrap): {result.stdout[-500:]}"
        )
    shutil.copy2("/etc/resolv.conf", root / "etc/resolv.conf")
    yield root
    if not mounted_below(root):  # never delete through a mount point; the root takes ~700 MB
        shutil.rmtree(root, ignore_errors=True)


def test_apt_installs_runs_and_removes_the_package_keeping_user_data(deb: Path, clean_debian: Path) -> None:
    root = clean_debian
    shutil.copy2(deb, root / "tmp" / deb.name)
    with proc_mounted(root):
        chroot(root, "apt-get update -qq")
        chroot(root, f"apt-get install -y -qq --no-install-recommends /tmp/{deb.name}")
        assert chroot(root, "command -v inspector; command -v inspector-app").split() == [
            "/usr/bin/inspector",
            "/usr/bin/inspector-app",
        ]

        # Every shared library resolves from the installed Depends (only the optional GTK theme plugin may not).
        unresolved = chroot(
            root,
            "find /usr/lib/inspector-app -type f -name '*.so*' | while read f; do "
            'ldd "$f" 2>/dev/null | grep "not found" | sed "s|^|$f: |"; done',
        )
        optional = {f"/usr/lib/inspector-app/_internal/{name}" for name in build_deb.OPTIONAL_PLUGINS}
        assert [line for line in unresolved.splitlines() if line.split(":")[0] not in optional] == []

        chroot(root, f"useradd --create-home {USER}")
        version = chroot(root, "inspector --version", user=USER).strip()
        assert version == f"inspector {build_deb.project_version()}"
        chroot(root, "inspector demo --businesses 20 && inspector report --all --out ~/pdf", user=USER)
        data = root / f"home/{USER}/.local/share/inspector_app"
        assert (data / "inspector.sqlite3").is_file()
        assert list((root / f"home/{USER}/pdf").glob("*.pdf"))
        gui = "QT_LOGGING_RULES=qt.widgets.showhide=true inspector-app --quit-after 8"
        shown = chroot(root, f"QT_QPA_PLATFORM=offscreen {gui} --home ~/gui-offscreen 2>&1", user=USER)
        assert shown_windows(shown)[:1] == ["LoginDialog"], shown[-2000:]
        assert (root / f"home/{USER}/gui-offscreen/inspector.sqlite3").is_file()

        # A real X server, installed only now so that its own dependencies could not stand in for ours.
        chroot(root, "apt-get install -y -qq --no-install-recommends xvfb")
        xvfb = subprocess.Popen(
            [
                "chroot",
                str(root),
                "Xvfb",
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "1366x768x24",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert xvfb.stdout is not None
            display = xvfb.stdout.readline().strip()
            assert display.isdigit(), "Xvfb did not start in the Debian 12 root"
            shown = chroot(
                root, f"DISPLAY=:{display} QT_QPA_PLATFORM=xcb {gui} --home ~/gui-x11 2>&1", user=USER
            )
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=30)
        windows = shown_windows(shown)
        assert windows[:1] == ["LoginDialog"] and "FirstAdminDialog" in windows, shown[-2000:]

        chroot(root, "apt-get remove -y -qq inspector-app")
        assert not (root / "usr/lib/inspector-app").exists()
        assert not (root / "usr/bin/inspector").exists()
        assert (data / "inspector.sqlite3").is_file(), "removing the package must keep each user's data"
        chroot(root, f"apt-get install -y -qq --no-install-recommends /tmp/{deb.name}")
        chroot(root, "apt-get purge -y -qq inspector-app")
        assert not (root / "usr/lib/inspector-app").exists()
        assert (data / "inspector.sqlite3").is_file(), "purging the package must keep each user's data"
