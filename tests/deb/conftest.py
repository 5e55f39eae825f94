"""Fixtures for the package tests: the .deb, built once per session (``scripts/package.sh``, a few minutes).

``INSPECTOR_TEST_DEB=path/to.deb`` tests an existing package instead (a release check, or a second run while
developing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deb.support import ROOT


@pytest.fixture(scope="session")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prebuilt = os.environ.get("INSPECTOR_TEST_DEB")
    if prebuilt:
        return Path(prebuilt).resolve()
    if not shutil.which("dpkg-deb"):
        pytest.skip("dpkg-deb is missing: the package can only be built on a Debian-based system")
    out = tmp_path_factory.mktemp("deb")
    result = subprocess.run(
        ["bash", "scripts/package.sh", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, (
        f"scripts/package.sh failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    (built,) = out.glob("*.deb")
    return built
