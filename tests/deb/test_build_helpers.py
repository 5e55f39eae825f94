"""The pieces of the .deb build that need no build: versions, the bundle plan, the desktop entry, the icon."""

from __future__ import annotations

import configparser
import importlib.metadata
import shutil
import subprocess

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from deploy import build_deb, bundle_plan
from inspector_app.paths import APP_ICON

DESKTOP = build_deb.DEPLOY / "inspector-app.desktop"


@pytest.mark.parametrize(
    ("pep440", "debian"),
    [
        ("0.1.0", "0.1.0"),
        ("1.2", "1.2"),
        ("1.0rc1", "1.0~rc1"),
        ("1.0.0b2", "1.0.0~b2"),
        ("2.0.0.dev3", "2.0.0~dev3"),
        ("1.0.post1", "1.0.post1"),
        ("1.0+jingmen.1", "1.0+jingmen.1"),
    ],
)
def test_debian_version_keeps_pep440_order(pep440, debian):
    assert build_deb.debian_version(pep440) == debian


def test_pre_releases_sort_before_the_release_in_dpkg():
    if not shutil.which("dpkg"):
        pytest.skip("dpkg is not installed")
    lower, higher = build_deb.debian_version("1.0rc1"), build_deb.debian_version("1.0")
    assert subprocess.run(["dpkg", "--compare-versions", lower, "lt", higher]).returncode == 0


def test_a_version_that_is_not_pep440_is_refused_with_a_message():
    with pytest.raises(build_deb.BuildError, match="pyproject.toml"):
        build_deb.debian_version("一.二")


def test_package_file_name_carries_the_pyproject_version():
    name = build_deb.deb_name(build_deb.project_version(), "amd64")
    assert name == f"inspector-app_{build_deb.debian_version(build_deb.project_version())}_amd64.deb"


def _base_requirements() -> set[str]:
    requirements = (Requirement(r) for r in importlib.metadata.requires(bundle_plan.APP_DISTRIBUTION) or [])
    return {canonicalize_name(r.name) for r in requirements if r.marker is None}


def test_the_bundle_takes_every_runtime_requirement_and_none_of_the_test_tools():
    closure = {canonicalize_name(d.name): d for d in bundle_plan.runtime_closure()}
    assert _base_requirements() <= set(closure)
    assert "rl-accel" in closure  # reached through reportlab[accel]: requested extras are followed
    for tool in ("pytest", "mypy", "ruff", "hypothesis", "pyinstaller"):
        assert tool not in closure, tool
    for server in ("starlette", "uvicorn", "sqlalchemy", "psycopg"):  # the hq extra: headquarters only
        assert server not in closure, server
    assert "PySide6" in bundle_plan.hidden_imports(closure.values())
    assert "PySide6" not in bundle_plan.data_packages(closure.values())
    assert "reportlab" in bundle_plan.data_packages(closure.values())


def test_every_runtime_distribution_names_an_importable_top_level_package():
    for dist in bundle_plan.runtime_closure():
        assert dist.top_level, (
            f"{dist.name} has no importable top-level package; the bundle could not include it"
        )


def test_the_headquarters_service_stays_out_of_the_laptop_bundle():
    assert not bundle_plan.laptop_module("inspector_app.hq")
    assert not bundle_plan.laptop_module("inspector_app.hq.api")
    assert bundle_plan.laptop_module("inspector_app.sync.client")
    assert bundle_plan.laptop_module("inspector_app.hqx")


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_has_a_chinese_name_our_icon_and_the_gui_command():
    entry = _desktop_entry()
    assert entry["Name"] == "市场监管现场检查"
    assert entry["Exec"].split()[0] == "inspector-app" and "inspector-app" in build_deb.COMMANDS
    assert entry["Icon"] == APP_ICON.stem
    assert entry["Terminal"] == "false"


def test_desktop_entry_is_valid():
    if not shutil.which("desktop-file-validate"):
        pytest.skip("desktop-file-validate missing (bash scripts/bootstrap.sh installs desktop-file-utils)")
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_icon_is_a_square_svg_qt_can_draw():
    svg = pytest.importorskip("PySide6.QtSvg")
    renderer = svg.QSvgRenderer(str(APP_ICON))
    assert renderer.isValid()
    size = renderer.defaultSize()
    assert size.width() == size.height() >= 128


def test_package_names_are_split_from_their_version_constraints():
    assert build_deb.package_name("libc6 (>= 2.35)") == "libc6"
    assert build_deb.package_name("libx11-6") == "libx11-6"
