"""Screenshots of the main screens for docs/screenshots/: login, home, registry search, business, records.

Run under a virtual display at laptop size::

    Xvfb :98 -screen 0 1366x768x24 &
    QT_QPA_PLATFORM=xcb DISPLAY=:98 .venv/bin/python scripts/app_screenshots.py docs/screenshots

Starts the real app on a throw-away demo data home (as ``inspector-app --demo``), logs in through the login
dialog as the demo inspector and saves 1366×768 PNGs (``scripts/inspection_screenshots.py`` does the
editor's screens). The walk is a generator of steps; each step yields a condition (a callable) and the next
step runs once it holds, polled from a timer, so the event loop keeps running and every screen is painted as
a user would see it.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QApplication

from inspector_app.demo.accounts import DEMO_PASSWORD
from inspector_app.gui.app import create_app
from inspector_app.gui.startup import LoginFlow
from inspector_app.paths import DataHome

SCREEN = (1366, 768)
POLL_MS = 50
STEP_TIMEOUT_S = 60

Wait = Callable[[], bool]


def grab_screen() -> QPixmap:
    """The whole screen (what a user sees: dialogs included)."""
    screen = QGuiApplication.primaryScreen()
    return screen.grabWindow(0)


class Tour(QObject):
    """Logs in as the demo inspector and saves one PNG per main screen, then quits."""

    def __init__(self, flow: LoginFlow, out_dir: str | Path) -> None:
        super().__init__()
        self.flow = flow
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.saved: list[Path] = []
        self._steps: Iterator[Wait] | None = None
        self._waiting: Wait | None = None
        self._waited = 0
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._tick)

    def dialog_shown(self, dialog: Any) -> None:
        if self._steps is None:
            self._steps = self._walk(dialog)
            self._timer.start()

    def _tick(self) -> None:
        assert self._steps is not None
        if self._waiting is not None:
            self._waited += POLL_MS
            if self._waited > STEP_TIMEOUT_S * 1000:
                print(f"截图步骤超时（已保存 {len(self.saved)} 张）")
                QApplication.instance().exit(1)
                return
            if not self._waiting():
                return
        try:
            self._waiting, self._waited = next(self._steps), 0
        except StopIteration:
            self._timer.stop()
            print("已保存截图：" + "、".join(p.name for p in self.saved))
            QApplication.instance().quit()

    def save(self, pixmap: QPixmap, name: str) -> None:
        path = self.out / name
        pixmap.save(str(path), "PNG")
        self.saved.append(path)

    def _settle(self, ms: int = 400) -> Iterator[Wait]:
        """Let the event loop paint for ``ms`` milliseconds."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.start(ms)
        yield lambda: not timer.isActive()

    def _walk(self, dialog: Any) -> Iterator[Wait]:
        yield lambda: dialog.login_button.isEnabled()
        dialog.username.setText("zhangwei")
        dialog.password.setText(DEMO_PASSWORD)
        yield from self._settle()
        self.save(grab_screen(), "login.png")
        dialog.login_button.click()
        yield lambda: self.flow.window is not None
        window = self.flow.window
        window.setGeometry(0, 0, *SCREEN)
        home = window.page("home")
        yield lambda: not home.is_loading
        yield from self._settle()
        self.save(window.grab(), "home.png")
        registry = window.show_page("registry")
        registry.focus_search()
        yield lambda: registry.search.count_label.text() != ""
        registry.search.set_query("荆门")
        yield lambda: registry.search.shown_query() == "荆门"
        yield from self._settle()
        self.save(window.grab(), "registry-search.png")
        registry.search.set_query("jmyp")
        yield lambda: registry.search.shown_query() == "jmyp"
        yield from self._settle()
        self.save(window.grab(), "registry-pinyin.png")
        yield from self._business(window, registry)
        records = window.show_page("inspections")
        records.set_filters(mine=False)
        yield from self._settle()
        self.save(window.grab(), "inspections.png")

    def _business(self, window: Any, registry: Any) -> Iterator[Wait]:
        """The page of a business with inspection records (an equipment unit if there is one)."""
        records = window.page("inspections")
        records.set_filters(mine=False)
        summaries = [records.model.row_object(n) for n in range(records.model.rowCount())]
        if not summaries:
            return
        chosen = next((s for s in summaries if s.family == "equipment" and s.verdict), summaries[0])
        window.open_business(chosen.uscc)
        yield from self._settle()
        self.save(window.grab(), "business.png")
        registry.show_search()


def main(out: Path) -> int:
    app = create_app()
    with tempfile.TemporaryDirectory() as tmp:
        flow = LoginFlow(DataHome(Path(tmp) / "home"), demo=True)
        tour = Tour(flow, out)
        flow.dialog_shown.connect(tour.dialog_shown)
        flow.start()
        code = app.exec()
        if flow.services is not None:
            flow.services.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")))
