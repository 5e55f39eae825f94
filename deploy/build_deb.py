"""Build ``inspector-app_<version>_<arch>.deb`` from this checkout (``scripts/package.sh`` runs it in the build venv).

Steps: PyInstaller bundles the installed app with its own Python and Qt (``deploy/inspector-app.spec``); the
bundle goes to ``/usr/lib/inspector-app`` with ``inspector`` and ``inspector-app`` linked from ``/usr/bin``; the
desktop entry, icons (rendered from ``resources/icons/inspector-app.svg``) and documentation are added;
``dpkg-shlibdeps`` turns the system libraries the bundle links to into ``Depends``; ``dpkg-deb`` packs it.

The version comes from ``pyproject.toml`` alone. Nothing is fetched except the PyPI packages the build venv
installed; ``SOURCE_DATE_EPOCH`` (default: the last commit's time) fixes the file times in the package.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
PACKAGE = "inspector-app"
INSTALL_DIR = Path("usr/lib") / PACKAGE
COMMANDS = ("inspector", "inspector-app")  # both run the one frozen executable (deploy/frozen_main.py)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
MAINTAINER = "inspector_app team <inspector-app@localhost>"

#: Qt plugins that only add integration with a desktop (GTK's theme and file dialogs): the system libraries
#: only they need go to ``Recommends`` (apt installs them by default; Qt skips a plugin whose libraries are
#: missing), so a machine without GTK need not install ~100 MB of it. Everything else is ``Depends``.
OPTIONAL_PLUGINS = ("PySide6/Qt/plugins/platformthemes/libqgtk3.so",)

DESCRIPTION = """\
市场监管现场检查 — offline inspection checklists and records
 Desktop app for market-supervision field inspectors: offline checklists for
 food "三小" businesses, special equipment and cosmetics trade; inspection
 records with photos, rectification orders and signatures; PDF inspection
 records; supervisor review. Bundles its own Python and Qt.
 .
 Commands: inspector-app (desktop), inspector (command line). Each user's
 data lives in ~/.local/share/inspector_app and is kept when the package is
 removed."""


class BuildError(RuntimeError):
    """A build step failed; the message says which and how to fix it."""


def project_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The one version number, from ``[project] version``."""
    with pyproject.open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def debian_version(version: str) -> str:
    """PEP 440 → Debian: pre-releases and dev builds sort before the release (``1.0rc1`` → ``1.0~rc1``)."""
    match = re.fullmatch(
        r"(?P<release>\d+(?:\.\d+)*)(?:[-_.]?(?P<pre>a|b|rc|alpha|beta|c)[-_.]?(?P<pre_n>\d*))?"
        r"(?:[-_.]?post[-_.]?(?P<post>\d+))?(?:[-_.]?dev[-_.]?(?P<dev>\d*))?(?:\+(?P<local>[a-z0-9.]+))?",
        version.strip().lower(),
    )
    if match is None:
        raise BuildError(
            f"版本号 {version!r} 不是 PEP 440 格式（pyproject.toml 的 [project] version），请改为如 1.2.0"
        )
    out = match["release"]
    if match["pre"]:
        pre = {"alpha": "a", "beta": "b", "c": "rc"}.get(match["pre"], match["pre"])
        out += f"~{pre}{match['pre_n'] or 0}"
    if match["post"]:
        out += f".post{match['post']}"
    if match["dev"] is not None:
        out += f"~dev{match['dev'] or 0}"
    if match["local"]:
        out += f"+{match['local']}"
    return out


def deb_name(version: str, arch: str) -> str:
    return f"{PACKAGE}_{debian_version(version)}_{arch}.deb"


def run(cmd: list[str], what: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a build tool; on failure raise with its output and the step that failed."""
    try:
        return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs)  # type: ignore[call-overload, no-any-return]
    except FileNotFoundError as exc:
        raise BuildError(
            f"{what}：找不到命令 {cmd[0]}（运行 bash scripts/bootstrap.sh 安装构建工具）"
        ) from exc
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"{what}失败（{' '.join(cmd[:3])} …）：\n{exc.stdout}\n{exc.stderr}") from exc


def check_build_venv(version: str) -> None:
    """The build venv must hold this checkout's version of the app (``scripts/package.sh`` installs it)."""
    try:
        installed = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed != version:
        raise BuildError(
            f"构建环境 {sys.prefix} 中的 inspector-app 版本为 {installed}，pyproject.toml 为 {version}："
            "请用 bash scripts/package.sh 构建（它会先安装当前源码）"
        )


def bundle(work: Path) -> Path:
    """Run PyInstaller; returns the bundle folder."""
    dist = work / "bundle"
    shutil.rmtree(dist, ignore_errors=True)
    run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--workpath",
         str(work / "pyinstaller"), "--distpath", str(dist), str(DEPLOY / "inspector-app.spec")],
        "PyInstaller 打包",
        cwd=ROOT,
    )  # fmt: skip
    return dist / PACKAGE


def stage(bundle_dir: Path, root: Path) -> None:
    """Lay out the package tree under ``root``."""
    shutil.rmtree(root, ignore_errors=True)
    install = root / INSTALL_DIR
    shutil.copytree(bundle_dir, install, symlinks=True)
    (install / "inspector").symlink_to("inspector-app")
    (root / "usr/bin").mkdir(parents=True)
    for command in COMMANDS:
        (root / "usr/bin" / command).symlink_to(Path("../lib") / PACKAGE / command)
    applications = root / "usr/share/applications"
    applications.mkdir(parents=True)
    shutil.copy2(DEPLOY / f"{PACKAGE}.desktop", applications / f"{PACKAGE}.desktop")
    icons = root / "usr/share/icons/hicolor"
    svg = ROOT / "resources/icons" / f"{PACKAGE}.svg"
    (icons / "scalable/apps").mkdir(parents=True)
    shutil.copy2(svg, icons / "scalable/apps" / svg.name)
    render_icons(svg, {size: icons / f"{size}x{size}/apps/{PACKAGE}.png" for size in ICON_SIZES})
    doc = root / "usr/share/doc" / PACKAGE
    doc.mkdir(parents=True)
    shutil.copy2(DEPLOY / "copyright", doc / "copyright")
    with gzip.GzipFile(doc / "CHANGELOG.md.gz", "wb", compresslevel=9, mtime=0) as out:
        out.write((ROOT / "CHANGELOG.md").read_bytes())


def render_icons(svg: Path, targets: dict[int, Path]) -> None:
    """PNG icons at each size, drawn from the SVG by Qt (the build venv has PySide6)."""
    code = (
        "import sys\nfrom PySide6.QtCore import Qt\nfrom PySide6.QtGui import QGuiApplication, QImage, QPainter\n"
        "from PySide6.QtSvg import QSvgRenderer\napp = QGuiApplication(sys.argv[:1])\n"
        "renderer = QSvgRenderer(sys.argv[1])\nassert renderer.isValid(), sys.argv[1]\n"
        "for arg in sys.argv[2:]:\n    size, path = arg.split('=', 1)\n"
        "    image = QImage(int(size), int(size), QImage.Format.Format_ARGB32)\n"
        "    image.fill(Qt.GlobalColor.transparent)\n    painter = QPainter(image)\n"
        "    renderer.render(painter)\n    painter.end()\n    assert image.save(path, 'PNG'), path\n"
    )
    for path in targets.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run(
        [sys.executable, "-c", code, str(svg), *(f"{s}={p}" for s, p in targets.items())], "绘制图标", env=env
    )


def elf_files(folder: Path) -> list[Path]:
    """Every ELF file (executables, libraries, Python extensions) below ``folder``."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def shlib_depends(root: Path, files: list[Path]) -> list[str]:
    """The Debian packages (with minimum versions) providing the system libraries ``files`` link to."""
    (root / "DEBIAN").mkdir(exist_ok=True)  # lets dpkg-shlibdeps resolve $ORIGIN rpaths inside the tree
    control_dir = root.parent / "shlibdeps"
    (control_dir / "debian").mkdir(parents=True, exist_ok=True)
    (control_dir / "debian/control").write_text(
        f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n"
    )
    bundled_dirs = sorted({str(p.parent) for p in elf_files(root / INSTALL_DIR) if ".so" in p.name})
    out = run(
        [
            "dpkg-shlibdeps",
            "-O",
            "--ignore-missing-info",
            *(f"-l{d}" for d in bundled_dirs),
            *map(str, files),
        ],
        "计算系统库依赖（dpkg-shlibdeps）",
        cwd=control_dir,
    ).stdout
    line = next((x for x in out.splitlines() if x.startswith("shlibs:Depends=")), "shlibs:Depends=")
    return [dep.strip() for dep in line.split("=", 1)[1].split(",") if dep.strip()]


def dependency_fields(root: Path) -> dict[str, str]:
    """``Depends`` from everything but the optional plugins; ``Recommends`` for what only those add."""
    internal = root / INSTALL_DIR / "_internal"
    optional = {internal / name for name in OPTIONAL_PLUGINS}
    files = elf_files(root / INSTALL_DIR)
    depends = shlib_depends(root, [p for p in files if p not in optional])
    present = [p for p in files if p in optional]
    extra = shlib_depends(root, present) if present else []
    names = {package_name(dep) for dep in depends}
    fields = {"Depends": ", ".join(depends)}
    recommends = [dep for dep in extra if package_name(dep) not in names]
    if recommends:
        fields["Recommends"] = ", ".join(recommends)
    return fields


def package_name(dependency: str) -> str:
    """``libc6 (>= 2.35)`` → ``libc6``."""
    return re.split(r"[\s(]", dependency.strip(), maxsplit=1)[0]


def installed_size_kib(root: Path) -> int:
    total = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() or p.is_symlink())
    return (total + 1023) // 1024


def write_control(root: Path, version: str, arch: str, dependencies: dict[str, str]) -> None:
    relations = "".join(f"{field}: {value}\n" for field, value in dependencies.items())
    control = (
        f"Package: {PACKAGE}\nVersion: {debian_version(version)}\nArchitecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\nInstalled-Size: {installed_size_kib(root)}\n{relations}"
        f"Section: utils\nPriority: optional\nDescription: {DESCRIPTION}\n"
    )
    (root / "DEBIAN/control").write_text(control, encoding="utf-8")


def normalise_modes(root: Path) -> None:
    """Folders and executables 0755, other files 0644 (whatever the builder's umask was)."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or path.stat().st_mode & 0o111
        path.chmod(0o755 if executable else 0o644)


def validate_desktop_entry(path: Path) -> None:
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        if result.returncode or result.stdout.strip():
            raise BuildError(f"桌面启动项 {path.name} 不合规：\n{result.stdout}{result.stderr}")


def source_date_epoch() -> str:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "0"


def build(out_dir: Path, work: Path) -> Path:
    version = project_version()
    check_build_venv(version)
    arch = run(["dpkg", "--print-architecture"], "查询架构").stdout.strip()
    bundle_dir = bundle(work)
    root = work / "root"
    stage(bundle_dir, root)
    validate_desktop_entry(root / "usr/share/applications" / f"{PACKAGE}.desktop")
    write_control(root, version, arch, dependency_fields(root))
    normalise_modes(root)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / deb_name(version, arch)
    env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch()}
    run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(target)],
        "dpkg-deb 打包",
        env=env,
    )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", default=str(ROOT / "dist"), help="folder for the .deb (default: dist/)")
    parser.add_argument("--work", default=str(ROOT / "build/deb"), help="build folder (default: build/deb/)")
    args = parser.parse_args(argv)
    try:
        target = build(Path(args.out).resolve(), Path(args.work).resolve())
    except BuildError as exc:
        print(f"打包失败：{exc}", file=sys.stderr)
        return 1
    print(f"{target} ({target.stat().st_size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
