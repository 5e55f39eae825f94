"""Background work for the GUI: run a function off the UI thread, get progress and the result back as signals.

The UI thread only paints; anything that may take more than a few milliseconds (search, import, PDF batch,
sync, photo downscaling) goes through here.

Quick use::

    from inspector_app.gui.workers import run_task

    task = run_task(
        services.reports.render_batch, ids,          # fn and its positional args
        on_finished=self._show_done,                 # called on the UI thread with fn's return value
        on_failed=self._show_error,                  # called on the UI thread with a Chinese message
        on_progress=self._bar.setValue2,             # optional: (done, total) on the UI thread
        with_progress=True,                          # pass ``progress=callback`` into fn
    )
    task.cancel()                                    # optional: fn sees ``task.cancelled`` / CancelledError

For search-as-you-type use :class:`LatestOnlyRunner`: every ``submit`` bumps a generation counter and only
the result of the newest submission is delivered (stale results are silently dropped).

Rules: pass callbacks to ``run_task`` (they are connected *before* the task starts; connecting to
``task.signals`` afterwards can miss a fast result). The function must not touch widgets (Qt objects belong to the UI thread); it may call services.
Exceptions never escape: an :class:`~inspector_app.core.errors.InspectorError` is reported with its own
Chinese message, anything else as "内部错误：…" (and logged with its traceback).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from inspector_app.core.errors import InspectorError

log = logging.getLogger(__name__)


class CancelledError(Exception):
    """Raised inside a worker function that noticed its task was cancelled (reported as nothing)."""


def error_message(exc: BaseException) -> str:
    """The Chinese message to show for ``exc``."""
    if isinstance(exc, InspectorError):
        return str(exc)
    if isinstance(exc, OSError):
        from inspector_app.services.errors import os_error_message

        return os_error_message(exc)
    return f"内部错误：{type(exc).__name__}: {exc}。请重试；如果问题反复出现，请联系技术支持。"


class TaskSignals(QObject):
    """Signals of one :class:`Task` (lives on the UI thread so connected slots run there).

    Signals: ``progressed(done, total)``, ``finished(result)``, ``failed(message)``, ``cancelled()``.
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


#: Tasks still running: keeps their signal objects alive until the last signal has been delivered.
_LIVE: set[Task] = set()


class Task(QRunnable):
    """A function run once on a :class:`QThreadPool` thread; results come back through :attr:`signals`."""

    def __init__(
        self, fn: Callable[..., Any], *args: Any, with_progress: bool = False, **kwargs: Any
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it (kept in _LIVE until done)
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.signals = TaskSignals()
        self._cancelled = False
        if with_progress:
            self.kwargs["progress"] = self._progress

    @property
    def is_cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Ask the task to stop: progress callbacks raise :class:`CancelledError`; no result is delivered."""
        self._cancelled = True

    def _progress(self, done: int, total: int) -> None:
        if self._cancelled:
            raise CancelledError
        self.signals.progressed.emit(int(done), int(total))

    def run(self) -> None:  # runs on a pool thread
        try:
            result = self.fn(*self.args, **self.kwargs)
        except CancelledError:
            _emit(self.signals.cancelled)
        except Exception as exc:  # reported to the UI, never lost
            if not isinstance(exc, InspectorError):
                log.exception("background task %s failed", getattr(self.fn, "__qualname__", self.fn))
            _emit(self.signals.failed, error_message(exc))
        else:
            if self._cancelled:
                _emit(self.signals.cancelled)
            else:
                _emit(self.signals.finished, result)


def _emit(signal: Any, *args: Any) -> None:
    """Emit unless the receiving side is already gone (the window was closed while the task ran)."""
    try:
        signal.emit(*args)
    except RuntimeError:
        log.debug("task result dropped: its receiver was deleted")


def _release(task: Task) -> None:
    _LIVE.discard(task)


def run_task(
    fn: Callable[..., Any],
    *args: Any,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    with_progress: bool = False,
    pool: QThreadPool | None = None,
    **kwargs: Any,
) -> Task:
    """Start ``fn(*args, **kwargs)`` on ``pool`` (the global pool by default) and return the task.

    Callbacks run on the UI thread. Call this from the UI thread only.
    """
    task = Task(fn, *args, with_progress=with_progress, **kwargs)
    if on_finished is not None:
        task.signals.finished.connect(on_finished)
    if on_failed is not None:
        task.signals.failed.connect(on_failed)
    if on_progress is not None:
        task.signals.progressed.connect(on_progress)
    for signal in (task.signals.finished, task.signals.failed, task.signals.cancelled):
        signal.connect(lambda *_a, t=task: _release(t))
    _LIVE.add(task)
    (pool or shared_pool()).start(task)
    return task


MIN_POOL_THREADS = 4


def shared_pool() -> QThreadPool:
    """The process-wide pool, with enough threads that a slow render never starves a search."""
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < MIN_POOL_THREADS:
        pool.setMaxThreadCount(MIN_POOL_THREADS)
    return pool


class LatestOnlyRunner(QObject):
    """Runs one function repeatedly in the background and delivers only the newest result.

    Each :meth:`submit` increments a generation counter; a result whose generation is not the latest is
    dropped. Good for search-as-you-type, where the user types faster than queries finish.

    Signals: ``resulted(result)`` (newest result only), ``failed(message)``, ``busy_changed(bool)``.
    """

    resulted = Signal(object)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self, fn: Callable[..., Any], parent: QObject | None = None, pool: QThreadPool | None = None
    ):
        super().__init__(parent)
        self._fn = fn
        self._generation = 0
        self._running = 0
        # The shared pool, never a private child pool: deleting a QThreadPool waits for its threads, and when
        # that happens on the UI thread (holding the GIL) while a task still needs the GIL, both hang forever.
        self._pool = pool or shared_pool()

    @property
    def generation(self) -> int:
        return self._generation

    def submit(self, *args: Any, **kwargs: Any) -> int:
        """Queue ``fn(*args, **kwargs)``; returns its generation number."""
        self._generation += 1
        generation = self._generation
        self._set_running(+1)
        run_task(
            self._run_if_current,
            generation,
            *args,
            on_finished=partial(self._deliver, generation),
            on_failed=partial(self._fail, generation),
            pool=self._pool,
            **kwargs,
        )
        return generation

    def _run_if_current(self, generation: int, *args: Any, **kwargs: Any) -> Any:
        # Runs on the pool thread: a query overtaken while queued is skipped without touching the database.
        if generation != self._generation:
            return None
        return self._fn(*args, **kwargs)

    def invalidate(self) -> None:
        """Drop whatever is in flight (e.g. the query box was cleared)."""
        self._generation += 1

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Block until queued work finished (tests and shutdown)."""
        return bool(self._pool.waitForDone(msecs)) if self._pool is not None else True

    def _set_running(self, delta: int) -> None:
        before = self._running > 0
        self._running = max(0, self._running + delta)
        if (self._running > 0) != before:
            _emit(self.busy_changed, self._running > 0)

    def _deliver(self, generation: int, result: Any) -> None:
        self._set_running(-1)
        if generation == self._generation:
            _emit(self.resulted, result)

    def _fail(self, generation: int, message: str) -> None:
        self._set_running(-1)
        if generation == self._generation:
            _emit(self.failed, message)
