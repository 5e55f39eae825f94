"""The built .deb, unpacked with ``dpkg-deb -x`` into a temporary root and run from there.

Slow (it builds the package: a few minutes). ``.ci/run`` runs it after the default suite. Each user command
runs once in the ``ran`` fixture, on a fresh HOME with no INSPECTOR_HOME, with PATH pointing at the unpacked
``usr/bin`` first, as a user would start them; the tests then check what those runs produced.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from deploy import build_deb
from tests.deb.support import ROOT, control_field, relation_names, shown_windows

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

INSTALL = Path("usr/lib/inspector-app")
SHIPPED = Path("_internal/inspector_app/_data")


@dataclass
class Ran:
    root: Path
    home: Path
    results: dict[str, subprocess.CompletedProcess[str]]
    before: dict[str, tuple[int, int]]
    after: dict[str, tuple[int, int]]
    pdf_dir: Path
    gui_home: Path


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def root(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(target)], check=True)
    return target


@pytest.fixture(scope="module")
def ran(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Ran:
    home = tmp_path_factory.mktemp("home")
    work = tmp_path_factory.mktemp("out")
    env = {
        "PATH": f"{root / 'usr/bin'}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }

    def run(name: str, *argv: str) -> None:
        results[name] = subprocess.run(list(argv), env=env, capture_output=True, text=True, timeout=600)

    results: dict[str, subprocess.CompletedProcess[str]] = {}
    before = snapshot(root)
    run("help", "inspector", "--help")
    run("version", "inspector", "--version")
    run("gui_help", "inspector-app", "--help")
    run("demo", "inspector", "demo", "--businesses", "30")
    run("list", "inspector", "inspections", "list", "--json")
    run("report", "inspector", "report", "--all", "--out", str(work / "pdf"), "--json")
    # The desktop app offscreen on its own fresh data home, with Qt reporting each widget shown or hidden: the
    # login dialog appears at once, the home opens behind it and, as it has no account yet, the first-admin
    # dialog follows. --quit-after ends the run.
    env["QT_LOGGING_RULES"] = "qt.widgets.showhide=true"
    run("gui", "inspector-app", "--home", str(work / "gui-home"), "--quit-after", "8")
    return Ran(root, home, results, before, snapshot(root), work / "pdf", work / "gui-home")


def ok(ran: Ran, name: str) -> str:
    result = ran.results[name]
    assert result.returncode == 0, (
        f"{name}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def test_package_name_version_and_architecture(deb):
    version = build_deb.project_version()
    assert deb.name == build_deb.deb_name(version, "amd64")
    assert control_field(deb, "Package") == "inspector-app"
    assert control_field(deb, "Version") == build_deb.debian_version(version)
    assert control_field(deb, "Architecture") == "amd64"


def test_depends_name_the_system_libraries_qt_and_python_need(deb):
    depends = relation_names(control_field(deb, "Depends"))
    # The xcb platform plugin's libraries, fonts, GL, and what Python's sqlite3/ssl modules link to.
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libfontconfig1", "libegl1",
                    "libsqlite3-0", "libssl3", "libc6"):  # fmt: skip
        assert package in depends, package
    assert "libgtk-3-0" not in depends  # only the optional GTK theme plugin needs it: a Recommends
    assert "libgtk-3-0" in relation_names(control_field(deb, "Recommends"))


def _ldconfig() -> dict[str, str]:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found: dict[str, str] = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and "x86-64" in match[2]:
            found.setdefault(match[1], match[3])
    return found


@functools.cache
def _owner(path: str) -> str:
    for candidate in (path, re.sub(r"^/usr/lib/", "/lib/", path), re.sub(r"^/lib/", "/usr/lib/", path)):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0]
    return ""


def test_every_library_the_bundle_links_to_is_bundled_or_comes_from_a_declared_package(deb, root):
    """Checked independently of dpkg-shlibdeps: ELF NEEDED entries → ldconfig → ``dpkg -S`` → Depends."""
    if not shutil.which("objdump"):
        pytest.skip("objdump missing (bash scripts/bootstrap.sh installs binutils)")
    allowed = relation_names(control_field(deb, "Depends"))
    recommended = relation_names(control_field(deb, "Recommends"))
    optional = {root / INSTALL / "_internal" / name for name in build_deb.OPTIONAL_PLUGINS}
    elves = build_deb.elf_files(root / INSTALL)
    bundled = {p.name for p in (root / INSTALL).rglob("*")}
    system = _ldconfig()
    problems = []
    for elf in elves:
        dump = subprocess.run(["objdump", "-p", str(elf)], capture_output=True, text=True, check=True).stdout
        for soname in re.findall(r"NEEDED\s+(\S+)", dump):
            if soname in bundled:
                continue
            owner = _owner(system.get(soname, ""))
            declared = allowed | (recommended if elf in optional else set())
            if owner not in declared:
                problems.append(f"{elf.relative_to(root)} needs {soname} (package {owner or '?'})")
    assert not problems, "\n".join(problems[:30])


def test_commands_on_path_are_relative_links_into_the_bundle(root):
    for command in build_deb.COMMANDS:
        link = root / "usr/bin" / command
        assert link.is_symlink() and not os.readlink(link).startswith("/"), command
        assert link.resolve() == (root / INSTALL / "inspector-app").resolve()


def test_desktop_entry_icons_font_and_forms_are_installed(root):
    desktop = root / "usr/share/applications/inspector-app.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert "\nName=市场监管现场检查\n" in text and "\nIcon=inspector-app\n" in text
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout
    icons = root / "usr/share/icons/hicolor"
    assert (icons / "scalable/apps/inspector-app.svg").read_bytes() == (
        ROOT / "resources/icons/inspector-app.svg"
    ).read_bytes()
    for size in build_deb.ICON_SIZES:
        with Image.open(icons / f"{size}x{size}/apps/inspector-app.png") as image:
            assert image.size == (size, size)
            assert len(image.convert("RGBA").getcolors(maxcolors=100_000) or ()) > 8  # drawn, not blank
    shipped = root / INSTALL / SHIPPED
    font = "resources/fonts/wqy-microhei.ttc"
    assert (shipped / font).read_bytes() == (ROOT / font).read_bytes()
    for form in (ROOT / "forms").rglob("*.yaml"):
        assert (shipped / "forms" / form.relative_to(ROOT / "forms")).read_bytes() == form.read_bytes(), form
    assert (root / "usr/share/doc/inspector-app/copyright").is_file()


def test_help_lists_the_commands_and_version_is_the_pyproject_one(ran):
    help_text = ok(ran, "help")
    for command in ("demo", "report", "registry", "inspections", "forms", "users"):
        assert re.search(rf"^\s+{command}\s", help_text, re.M), command
    assert ok(ran, "version").strip() == f"inspector {build_deb.project_version()}"
    assert "市场监管现场检查" in ok(ran, "gui_help")


def test_demo_and_reports_land_in_the_users_data_home(ran):
    ok(ran, "demo")
    data_home = ran.home / ".local/share/inspector_app"
    assert (data_home / "inspector.sqlite3").is_file()
    records = json.loads(ok(ran, "list"))
    assert len(records) >= 10 and any(r["status"] == "finalized" for r in records)


def test_report_prints_pdfs_with_the_embedded_font_and_the_version_in_the_footer(ran):
    files = json.loads(ok(ran, "report"))["files"]
    assert files
    reader = PdfReader(io.BytesIO(Path(files[0]).read_bytes()))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert f"软件版本：{build_deb.project_version()}" in text
    assert "现场检查" in text or "检查记录" in text
    fonts = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert fonts and all("WenQuanYiMicroHei" in name for name in fonts)


def test_the_desktop_app_starts_offscreen_to_its_login_dialog(ran):
    ok(ran, "gui")
    windows = shown_windows(ran.results["gui"].stderr)
    assert windows[:1] == ["LoginDialog"], windows
    assert "FirstAdminDialog" in windows, windows  # the data home opened behind the login: no account yet
    assert (ran.gui_home / "inspector.sqlite3").is_file()


def test_running_wrote_nothing_into_the_install_tree(ran):
    assert ran.after == ran.before
