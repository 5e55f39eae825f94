"""The editor's autosave queue: every answer and note is stored, or visibly waits and is retried.

Why a queue (issue 12, defect 1): while another process holds the database's write lock — a registry import
takes it for the whole file — a write cannot be stored. It used to be tried on the UI thread with the
store's 5-second busy timeout, so the window froze, the clicked answer stayed on screen as if saved and
``database is locked`` escaped as a traceback.

The design: the editor writes through a *second* connection whose busy timeout is short
(:data:`~inspector_app.services.app.AUTOSAVE_BUSY_TIMEOUT_MS`), so the UI thread waits at most that long. A
write refused because the database is busy (:class:`~inspector_app.storage.db.DatabaseBusy`) stays in this
queue, in order, and is retried on a timer (0.25 s, doubling to 4 s); the next change to the same item
replaces the waiting one. While anything waits, ``waiting(message)`` says how many changes are unsaved,
why, and that they are retried; each change is reported by ``stored`` once it is in the database, or by
``refused`` if it can no longer be stored (e.g. the record was finalized elsewhere). Writes run on the UI
thread in the normal case, as before: they are single-row upserts of a few milliseconds, and the second
connection never waits on a lock held by this process's own background work (an import in a worker
thread holds the main connection's lock, which the autosave connection sees as busy and queues).

The queue outlives the editor that filled it (the editor host owns it), so closing a record never drops a
waiting change; the main window asks before quitting while any change still waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from inspector_app.core.errors import InspectorError
from inspector_app.services.errors import DatabaseBusy

#: Retry delays in milliseconds (the last repeats).
RETRY_MS = (250, 500, 1000, 2000, 4000)

Key = tuple[str, str, str]  # (record id, kind, item code)


@dataclass
class _Waiting:
    key: Key
    write: Callable[[], object]


class AutosaveQueue(QObject):
    """Stores changes in order; a change refused by a busy database waits here and is retried.

    Signals: ``stored(record_id, kind, code)`` (a waiting change is now in the database),
    ``refused(record_id, kind, code, message)`` (a waiting change can no longer be stored),
    ``waiting(message)`` (why changes wait; ``""`` once nothing waits).
    """

    stored = Signal(str, str, str)
    refused = Signal(str, str, str, str)
    waiting = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: list[_Waiting] = []
        self._attempt = 0
        self._reason = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._retry)

    # ---- state ---------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._queue)

    def is_waiting(self, record_id: str, code: str) -> bool:
        return any(w.key[0] == record_id and w.key[2] == code for w in self._queue)

    def message(self) -> str:
        """What the user is told while changes wait ('' when none do)."""
        if not self._queue:
            return ""
        return f"⚠ {len(self._queue)} 项修改尚未保存：{self._reason}。正在自动重试，请勿关闭程序。"

    # ---- writing -------------------------------------------------------------------------------------
    def submit(self, key: Key, write: Callable[[], object]) -> bool:
        """Store now (True), or queue behind a busy database (False). Other errors raise, nothing queued.

        While earlier changes wait, a new one queues behind them (replacing a waiting change of the same
        item), so changes are stored in the order they were made.
        """
        for waiting in self._queue:
            if waiting.key == key:
                waiting.write = write
                self._announce()
                return False
        if self._queue:
            self._queue.append(_Waiting(key, write))
            self._announce()
            return False
        try:
            write()
        except DatabaseBusy as exc:
            self._queue.append(_Waiting(key, write))
            self._wait(exc)
            return False
        return True

    def flush(self) -> bool:
        """Try every waiting change now; True when nothing waits any more."""
        self._drain()
        return not self._queue

    def _retry(self) -> None:
        self._drain()

    def _drain(self) -> None:
        while self._queue:
            head = self._queue[0]
            try:
                head.write()
            except DatabaseBusy as exc:
                self._wait(exc)
                return
            except InspectorError as exc:
                self._queue.pop(0)
                self.refused.emit(*head.key, str(exc))
                continue
            self._queue.pop(0)
            self.stored.emit(*head.key)
        self._timer.stop()
        self._attempt = 0
        self._reason = ""
        self.waiting.emit("")

    def _wait(self, exc: DatabaseBusy) -> None:
        who = "；".join(exc.writers)
        self._reason = f"数据库正被占用（{who}）" if who else "数据库正被另一程序占用"
        delay = RETRY_MS[min(self._attempt, len(RETRY_MS) - 1)]
        self._attempt += 1
        self._timer.start(delay)
        self._announce()

    def _announce(self) -> None:
        self.waiting.emit(self.message())
