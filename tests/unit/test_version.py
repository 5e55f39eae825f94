"""One version number: ``[project] version`` in pyproject.toml, read by ``app_version()`` everywhere."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from click.testing import CliRunner

import inspector_app
from inspector_app.cli.main import cli
from inspector_app.version import _pyproject_version, app_version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
RELEASE = re.compile(r"## (\d+\.\d+\.\d+\S*) — (\d{4}-\d{2}-\d{2})")


def test_the_running_version_is_the_one_in_pyproject():
    # A stale editable install (pyproject bumped, bootstrap not rerun) fails here.
    assert app_version() == PYPROJECT_VERSION
    assert inspector_app.__version__ == PYPROJECT_VERSION


def test_no_module_holds_a_version_number_of_its_own():
    for path in (ROOT / "inspector_app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"__version__\s*=\s*['\"]", text), path


def test_inspector_version_prints_it():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"inspector {PYPROJECT_VERSION}"


def test_a_source_tree_without_an_installed_package_reads_its_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "3.1.4rc2"\n', encoding="utf-8"
    )
    assert _pyproject_version(tmp_path / "pyproject.toml") == "3.1.4rc2"
    assert _pyproject_version(tmp_path / "missing.toml") is None


def test_the_changelog_is_organised_per_release():
    """``## Unreleased`` on top, then ``## X.Y.Z — YYYY-MM-DD``, newest first; pyproject's version is not
    older than the newest release (after a release, the next version is set before new entries land)."""
    headings = [
        line
        for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    ]
    assert headings and headings[0] == "## Unreleased", headings[:1]
    releases = []
    for heading in headings[1:]:
        match = RELEASE.fullmatch(heading)
        assert match, f"CHANGELOG.md: 版本标题应为 “## X.Y.Z — YYYY-MM-DD”：{heading!r}"
        releases.append(tuple(int(n) for n in re.findall(r"\d+", match[1])[:3]))
    assert releases == sorted(releases, reverse=True), "releases must be listed newest first"
    current = tuple(int(n) for n in re.findall(r"\d+", PYPROJECT_VERSION)[:3])
    assert not releases or current >= releases[0]
