"""Cold start of the desktop app to an interactive main window (demo data) vs a bare PySide6 window.

Each start runs in a fresh Python process; the parent measures from spawning it to the child's "ready" line,
printed from the first event-loop turn after the window was shown (the window is then painted and takes
input). The app child logs in without the password dialog (the password check is deliberately slow scrypt
and is not start-up), builds the real :class:`MainWindow` on a demo data home and, as a second figure,
reports when the home page's lists have loaded in the background.

Usage: ``python benches/startup.py [--runs 7] [--home DIR]``. The demo home is created once (≈10 s) in a
temporary folder unless ``--home`` names one. Last line: ``{"bench":"startup","app_s":..,"bare_s":..,"ratio":..}``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("hello"))
window.resize(1366, 768)
window.show()
QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
app.exec()
"""

LOGIN = """
import os, sys
from PySide6.QtCore import QTimer
import inspector_app.gui.startup as startup
import inspector_app.gui.login as login
_start, _set_accounts = startup.LoginFlow.start, login.LoginDialog.set_accounts
def start(self):
    self.dialog_shown.connect(lambda _d: QTimer.singleShot(0, lambda: print("ready", flush=True)))
    _start(self)
def set_accounts(self, accounts):
    _set_accounts(self, accounts)
    QTimer.singleShot(0, lambda: (print("accounts", flush=True), os._exit(0)))
startup.LoginFlow.start, login.LoginDialog.set_accounts = start, set_accounts
from inspector_app.gui.app import main
main(["--home", sys.argv[1]])
"""

APP = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from inspector_app.gui.theme import apply_style
app = QApplication(sys.argv[:1])
apply_style(app)
from inspector_app.gui.app import open_services
from inspector_app.paths import DataHome
from inspector_app.core.accounts import SYSTEM_USER
home = DataHome(Path(sys.argv[1]))
services = open_services(home)
user = next(u for u in services.accounts.list_users(SYSTEM_USER) if u.username == "zhangwei")
from inspector_app.gui.main_window import MainWindow
window = MainWindow(services, user, str(home.root))
window.show()
home_page = window.page("home")
home_page.loaded.connect(lambda: (print("home", flush=True), app.quit()))
QTimer.singleShot(0, lambda: print("ready", flush=True))
app.exec()
"""

UNLAZY = ("reportlab", "openpyxl", "pypinyin")


def make_demo_home(root: Path) -> None:
    code = (
        "import sys\nfrom pathlib import Path\nfrom PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\nfrom inspector_app.gui.app import open_services, prepare_demo_home\n"
        "from inspector_app.paths import DataHome\n"
        "print(prepare_demo_home(open_services(DataHome(Path(sys.argv[1])))))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(root)], check=True, cwd=ROOT, env=_env())


#: Byte-code cache for the children: an installed app has its .pyc files, so the runs must not recompile
#: every module (this environment sets PYTHONDONTWRITEBYTECODE); a private prefix keeps the tree clean.
PYCACHE = Path(tempfile.gettempdir()) / "inspector-bench-pycache"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def time_child(code: str, *args: str) -> dict[str, float]:
    """Seconds from spawn to each line the child prints (``ready``, ``home``)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=_env()
    )
    marks: dict[str, float] = {}
    assert child.stdout is not None
    for line in child.stdout:
        marks[line.strip()] = time.perf_counter() - start
    if child.wait() != 0:
        raise SystemExit(f"child failed with {child.returncode}")
    return marks


def lazy_modules_loaded(home: Path) -> list[str]:
    """Heavy libraries imported by the time the home page loaded (should be none)."""
    loaded = f'print("mods", *sorted({{m.split(".")[0] for m in sys.modules}} & set({UNLAZY!r})))'
    probe = APP.replace('print("home", flush=True)', f'print("home", flush=True), {loaded}')
    out = subprocess.run(
        [sys.executable, "-c", probe, str(home)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        check=True,
    ).stdout
    line = next((x for x in out.splitlines() if x.startswith("mods")), "mods")
    return line.split()[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--home", help="an existing demo data home (default: build one in a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(args.home) if args.home else Path(tmp) / "demo"
        if not args.home:
            make_demo_home(home)
        time_child(BARE)  # warm the OS file cache and the byte-code cache
        time_child(APP, str(home))
        time_child(LOGIN, str(home))
        runs: dict[str, list[float]] = {"bare": [], "app": [], "home": [], "login": [], "login_ready": []}
        for run in range(args.runs):
            runs["bare"].append(time_child(BARE)["ready"])
            marks = time_child(APP, str(home))
            runs["app"].append(marks["ready"])
            runs["home"].append(marks.get("home", float("nan")))
            login = time_child(LOGIN, str(home))
            runs["login"].append(login["ready"])
            runs["login_ready"].append(login.get("accounts", float("nan")))
            print(
                f"run {run + 1}: bare {runs['bare'][-1]:.3f}s  main window {marks['ready']:.3f}s "
                f"(home lists {runs['home'][-1]:.3f}s)  login dialog {login['ready']:.3f}s "
                f"(登录 enabled {runs['login_ready'][-1]:.3f}s)"
            )
        heavy = lazy_modules_loaded(home)
    med = {key: statistics.median(values) for key, values in runs.items()}
    ratio, login_ratio = med["app"] / med["bare"], med["login"] / med["bare"]
    print(
        f"median: bare window {med['bare']:.3f}s; main window with demo data {med['app']:.3f}s "
        f"(ratio {ratio:.2f}, goal ≤ 1.6), its home lists at {med['home']:.3f}s; "
        f"inspector-app to its login dialog {med['login']:.3f}s (ratio {login_ratio:.2f}), "
        f"登录 usable at {med['login_ready']:.3f}s; heavy modules at start: {heavy or 'none'}; "
        f"platform {_env()['QT_QPA_PLATFORM']}"
    )
    print(
        json.dumps(
            {
                "bench": "startup",
                "app_s": round(med["app"], 4),
                "bare_s": round(med["bare"], 4),
                "ratio": round(ratio, 3),
                "home_loaded_s": round(med["home"], 4),
                "login_dialog_s": round(med["login"], 4),
                "login_ratio": round(login_ratio, 3),
                "login_usable_s": round(med["login_ready"], 4),
                "heavy_modules": heavy,
                "platform": _env()["QT_QPA_PLATFORM"],
                "runs": args.runs,
            }
        )
    )


if __name__ == "__main__":
    main()
