"""Background workers: results and errors come back on the UI thread; only the newest search result is shown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from inspector_app.core.errors import ValidationError
from inspector_app.gui.workers import LatestOnlyRunner, run_task

pytestmark = pytest.mark.gui


def test_result_arrives_on_the_ui_thread(qtbot):
    seen = {}

    def work(x):
        seen["worker"] = QThread.currentThread()
        return x * 2

    results = []
    run_task(work, 21, on_finished=lambda r: results.append((r, QThread.currentThread())))
    qtbot.waitUntil(lambda: len(results) == 1, timeout=5000)
    assert results[0] == (42, QThread.currentThread())
    assert seen["worker"] is not QThread.currentThread()


def test_domain_error_is_reported_with_its_chinese_message(qtbot):
    def work():
        raise ValidationError("执法证号重复")

    failures = []
    run_task(work, on_failed=failures.append)
    qtbot.waitUntil(lambda: len(failures) == 1, timeout=5000)
    assert failures == ["执法证号重复"]


def test_progress_is_reported_and_cancel_stops_the_task(qtbot):
    release = threading.Event()
    steps = []

    def work(progress):
        progress(1, 3)
        release.wait(5)
        progress(2, 3)  # raises CancelledError once cancelled
        steps.append("after cancel")
        return "done"

    task = run_task(work, with_progress=True, on_progress=lambda d, t: steps.append((d, t)))
    qtbot.waitUntil(lambda: (1, 3) in steps, timeout=5000)
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        task.cancel()
        release.set()
    assert "after cancel" not in steps


def test_latest_only_runner_drops_results_overtaken_by_a_newer_query(qtbot):
    gate = threading.Event()

    def search(query):
        if query == "slow":
            gate.wait(5)
        return query

    runner = LatestOnlyRunner(search)
    results = []
    runner.resulted.connect(results.append)
    runner.submit("slow")
    runner.submit("fast")
    gate.set()
    qtbot.waitUntil(lambda: results == ["fast"], timeout=5000)
    assert runner.wait_idle()
    qtbot.wait(50)
    assert results == ["fast"]
