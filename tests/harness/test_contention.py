"""A writer and readers from several processes at once (issue 12, the harness).

Two writers (a registry import looping over 300-row files, and the editor's autosave of answers) and three
readers (each reopening the data home now and then, searching, listing and loading records) run at once on
one data home. Readers never fail — not busy, never "corrupt"; a write is either stored or refused as busy
(a clean refusal the editor retries); every confirmed answer is in the database afterwards and the file
passes the integrity check and ``verify``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from tests.harness.figures import record
from tests.review_support import FORM, LI, ZHANG, add_business, crew

REPO = Path(__file__).resolve().parents[2]
READERS = 3


def _spawn(role: str, home: Path, seconds: float, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.harness.contention_child", role, str(home), str(seconds), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )  # fmt: skip


def run_contention(tmp_path: Path, seconds: float) -> None:
    home = DataHome(tmp_path / "home")
    services = Services(home)
    record_id = services.inspections.start(
        ZHANG, add_business(services), FORM, crew(ZHANG, LI), "日常检查", "店内"
    ).id
    services.close()
    procs = {
        "import": _spawn("import", home.root, seconds),
        "answers": _spawn("answers", home.root, seconds, record_id),
    }
    procs |= {f"reader{n}": _spawn("reader", home.root, seconds) for n in range(READERS)}
    outputs = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=seconds + 120)
        assert proc.returncode == 0, f"{name}: {err}"
        outputs[name] = [line.split(" ", 2) for line in out.splitlines()]
    errors = [line for lines in outputs.values() for line in lines if line[0] == "ERROR"]
    assert errors == []
    reads = sum(int(lines[-1][1]) for name, lines in outputs.items() if name.startswith("reader"))
    busy = sum(1 for lines in outputs.values() for line in lines if line[0] == "BUSY")
    confirmed = sum(1 for lines in outputs.values() for line in lines if line[0] == "OK")
    last: dict[str, str] = {}
    for line in outputs["answers"]:
        if line[0] == "OK":
            last[line[1]] = line[2]
    services = Services(home)
    try:
        stored = {code: answer.value for code, answer in services.inspections.get(record_id).answers.items()}
        lost = [code for code, value in last.items() if stored.get(code) != value]
        assert lost == []
        assert services.verify.verify().ok
    finally:
        services.close()
    record("contention processes", len(procs))
    record("contention reads", reads)
    record("contention writes confirmed", confirmed)
    record("contention writes refused as busy", busy)
    record("contention errors", len(errors))
    record("lost", len(lost))
    assert reads > 0 and confirmed > 0


def test_writers_and_readers_in_several_processes_at_once(tmp_path):
    run_contention(tmp_path, seconds=3)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_soak_writers_and_readers_in_several_processes_at_once(tmp_path):
    run_contention(tmp_path, seconds=45)
