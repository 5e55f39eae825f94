"""The .deb's size, and the start time of the bundled app against the development install (.venv).

Unpacks the package (``dpkg-deb -x``) into a temporary root and times, from spawning to done:

- ``inspector --version`` and ``inspector forms list --json`` (the command line: import, parse, load forms);
- ``inspector-app`` until its login dialog is mapped on a real X server (a private Xvfb; the window is found by
  title with ``xdotool``, polled every 10 ms), then the process is killed.

The same commands run from ``.venv/bin`` for the development figures (with byte-code caches, as an installed
app has them). Runs alternate bundle/dev; medians are printed.

Usage: ``python benches/package_startup.py [--deb dist/inspector-app_….deb] [--runs 7] [--display N]`` (default: the newest
.deb in dist/; build one with ``bash scripts/package.sh``). Needs Xvfb and xdotool (bootstrap.sh installs them).
Last line: ``{"bench":"package_startup","deb_mib":..,"installed_mib":..,"cli_bundle_s":..,"cli_dev_s":..,...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGIN_TITLE = "登录 — 市场监管现场检查"
PYCACHE = Path(tempfile.gettempdir()) / "inspector-bench-pycache"


def newest_deb() -> Path:
    found = sorted((ROOT / "dist").glob("inspector-app_*.deb"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise SystemExit("dist/ 中没有 .deb：先运行 bash scripts/package.sh")
    return found[-1]


def start_xvfb(number: str | None) -> tuple[subprocess.Popen[str], str]:
    """A private X server on display ``number``, or on a free one (``-displayfd``)."""
    where = [f":{number.lstrip(':')}", "-displayfd", "1"] if number else ["-displayfd", "1"]
    xvfb = subprocess.Popen(
        ["Xvfb", *where, "-noreset", "-nolisten", "tcp", "-screen", "0", "1366x768x24"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert xvfb.stdout is not None
    display = xvfb.stdout.readline().strip()
    if not display.isdigit():
        raise SystemExit("Xvfb 未能启动")
    return xvfb, f":{display}"


def env_for(home: Path, display: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("INSPECTOR_HOME", "PYTHONDONTWRITEBYTECODE")}
    env.update(HOME=str(home), DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPYCACHEPREFIX=str(PYCACHE))
    return env


def time_command(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def login_window_visible(env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", LOGIN_TITLE], env=env, capture_output=True, text=True
    )
    return bool(found.stdout.strip())


def time_to_login(app: str, home: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen(
        [app, "--home", str(home)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        while not login_window_visible(env):
            if child.poll() is not None:
                raise SystemExit(f"{app} 退出（{child.returncode}）：{child.stderr.read().decode()[-800:]}")  # type: ignore[union-attr]
            if time.perf_counter() - start > 60:
                raise SystemExit(f"{app}：60 秒内未出现登录窗口")
            time.sleep(0.01)
        return time.perf_counter() - start
    finally:
        child.kill()
        child.wait()


def medians(runs: int, measures: dict[str, Callable[[], float]]) -> dict[str, float]:
    for measure in measures.values():
        measure()  # warm the file cache and the byte-code cache
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            samples[name].append(measure())
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", help="the package (default: the newest dist/inspector-app_*.deb)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--display", help="start the private Xvfb on this display number (default: a free one)"
    )
    args = parser.parse_args()
    deb = Path(args.deb) if args.deb else newest_deb()
    for tool in ("dpkg-deb", "Xvfb", "xdotool"):
        if not shutil.which(tool):
            raise SystemExit(f"缺少 {tool}：运行 bash scripts/bootstrap.sh")
    dev_bin = ROOT / ".venv/bin"
    with tempfile.TemporaryDirectory() as tmp:
        root, home = Path(tmp) / "root", Path(tmp) / "home"
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        installed = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file())
        files = sum(1 for p in root.rglob("*") if p.is_file())
        xvfb, display = start_xvfb(args.display)
        try:
            env = env_for(home, display)
            bundle_bin = root / "usr/bin"
            subprocess.run([str(bundle_bin / "inspector"), "--home", str(home / "data"), "init"], env=env, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            forms = ["forms", "list", "--json"]
            med = medians(
                args.runs,
                {
                    "cli_bundle": lambda: time_command([str(bundle_bin / "inspector"), "--version"], env),
                    "cli_dev": lambda: time_command([str(dev_bin / "inspector"), "--version"], env),
                    "forms_bundle": lambda: time_command([str(bundle_bin / "inspector"), *forms], env),
                    "forms_dev": lambda: time_command([str(dev_bin / "inspector"), *forms], env),
                    "login_bundle": lambda: time_to_login(
                        str(bundle_bin / "inspector-app"), home / "data", env
                    ),
                    "login_dev": lambda: time_to_login(str(dev_bin / "inspector-app"), home / "data", env),
                },
            )
        finally:
            xvfb.terminate()
            xvfb.wait()
    deb_mib, installed_mib = deb.stat().st_size / 2**20, installed / 2**20
    print(f"{deb.name}: {deb_mib:.1f} MiB; installed {installed_mib:.1f} MiB in {files} files")
    for name, label in (
        ("cli", "inspector --version"),
        ("forms", "inspector forms list"),
        ("login", "登录窗口"),
    ):
        bundle, dev = med[f"{name}_bundle"], med[f"{name}_dev"]
        print(f"{label}: bundle {bundle:.3f} s, dev install {dev:.3f} s (ratio {bundle / dev:.2f})")
    print(
        json.dumps(
            {
                "bench": "package_startup",
                "deb": deb.name,
                "deb_mib": round(deb_mib, 1),
                "installed_mib": round(installed_mib, 1),
                "files": files,
                **{f"{key}_s": round(value, 4) for key, value in med.items()},
                "runs": args.runs,
            }
        )
    )


if __name__ == "__main__":
    main()
