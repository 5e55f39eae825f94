"""The status bar's sync line, for every user: when the laptop last synced and how many items wait for HQ.

It also runs the automatic sync: every :data:`AUTO_SYNC_MINUTES`, when the laptop is enrolled, a push of the
items whose retry time has come and a pull, off the UI thread. A run that finds HQ unreachable only changes
the line (the error is kept for the 同步 page); the admin's 同步 page is where runs are started by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from inspector_app.core.clock import CHINA_TZ
from inspector_app.core.outbox import SyncStatus
from inspector_app.gui import theme
from inspector_app.gui.workers import run_task

if TYPE_CHECKING:
    from inspector_app.services.app import Services

#: How often the status line is re-read (it is one small query) and how often the automatic sync runs.
REFRESH_SECONDS = 60
AUTO_SYNC_MINUTES = 10


def _short(moment: datetime) -> str:
    return moment.astimezone(CHINA_TZ).strftime("%m-%d %H:%M")


def status_text(status: SyncStatus) -> tuple[str, str, bool]:
    """``(text, tool tip, needs attention)`` of the status line."""
    if status.last_success_at is not None:
        text = f"上次同步 {_short(status.last_success_at)}"
    elif status.enrolled:
        text = "尚未同步"
    else:
        text = "未登记总部"
    text += f" · 待上传 {status.waiting} 项"
    problems = status.failed + status.conflict
    if problems:
        text += f"（{problems} 项出错）"
    failing = bool(status.last_error) and (
        status.last_success_at is None
        or (status.last_error_at is not None and status.last_error_at >= status.last_success_at)
    )
    tip = (
        f"总部：{status.hq_name}（{status.hq_url}）"
        if status.enrolled
        else "本机尚未登记到总部（管理员在“同步”页登记）"
    )
    if failing:
        text += " · 上次同步失败"
        tip += f"\n最后错误：{status.last_error}"
    return text, tip, bool(problems) or failing


class SyncStatusLabel(QLabel):
    """The line in the status bar (see the module docstring).

    Setters: :meth:`refresh`. Signals: ``synced()`` after an automatic sync run finished (records may have
    changed), ``loaded(text)`` each time the line was updated.
    """

    synced = Signal()
    loaded = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None, *, auto_sync: bool = True) -> None:
        super().__init__("同步状态读取中…", parent)
        self.services = services
        self.setObjectName("syncStatus")
        self._reading = False
        self._syncing = False
        self._enrolled = False
        self._failure = ""
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_SECONDS * 1000)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start()
        self._auto_timer = QTimer(self)
        self._auto_timer.setInterval(AUTO_SYNC_MINUTES * 60 * 1000)
        self._auto_timer.timeout.connect(self.sync_now)
        if auto_sync:
            self._auto_timer.start()
        self.refresh()

    def refresh(self) -> None:
        if self._reading:
            return
        self._reading = True
        run_task(self.services.sync.status, on_finished=self._show, on_failed=self._failed)

    def _show(self, status: SyncStatus) -> None:
        self._reading = False
        self._enrolled = status.enrolled
        text, tip, attention = status_text(status)
        if self._syncing:
            text = "正在同步… · " + text
        if self._failure:
            text, tip, attention = text + " · 自动同步出错", f"{tip}\n自动同步出错：{self._failure}", True
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet(f"color: {theme.DANGER.name()};" if attention else "")
        self.loaded.emit(text)

    def _failed(self, message: str) -> None:
        self._reading = False
        self.setText("同步状态无法读取")
        self.setToolTip(message)

    def sync_now(self) -> None:
        """One automatic run (items due for a retry, then a pull), if enrolled and none is running."""
        if not self._enrolled or self._syncing or self.services.sync.busy:
            return
        self._syncing = True
        run_task(
            self.services.sync.sync, due_only=True, on_finished=self._synced, on_failed=self._sync_failed
        )
        self.refresh()

    def _synced(self, _result: Any) -> None:
        self._syncing = False
        self._failure = ""
        self.refresh()
        self.synced.emit()

    def _sync_failed(self, message: str) -> None:
        """A run that could not even start (e.g. the device key is damaged): shown, never swallowed."""
        self._syncing = False
        self._failure = message
        self.refresh()
