"""Kill the app mid-draft with SIGKILL (no chance to clean up) and reopen it: nothing answered is lost.

A child process runs the real inspection editor on a draft and fills it from its event loop, printing each
change after the service stored it; the test kills it part-way, reopens the data home and checks every
printed answer and note is there — in the database and in a freshly opened editor.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from inspector_app.gui.inspection.editor import InspectionEditor
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from tests.shell import make_shell

CHILD = Path(__file__).with_name("crash_child.py")
REPO = Path(__file__).resolve().parents[2]
KILL_AFTER = 12  # answers; the checklist has more, so the draft is half done


def run_child_and_kill(home: Path, record_id: str, user_id: str) -> tuple[dict[str, str], dict[str, str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(home), record_id, user_id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    saved: dict[str, str] = {}
    notes: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        kind, code, value = line.split(maxsplit=2) if line.count(" ") >= 2 else (line.strip(), "", "")
        if kind == "SAVED":
            saved[code] = value.strip()
        elif kind == "NOTE":
            notes[code] = value.strip()
        if len(saved) >= KILL_AFTER or kind == "DONE":
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    stderr = proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == -signal.SIGKILL, stderr
    assert len(saved) >= KILL_AFTER, f"child stopped early: {stderr}"
    return saved, notes


@pytest.mark.gui
def test_a_draft_killed_mid_way_reopens_with_every_saved_answer(tmp_path, qtbot):
    home = tmp_path / "home"
    shell = make_shell(home)
    record_id = shell.start_draft()
    user = shell.users["zhangwei"]
    shell.services.close()

    saved, notes = run_child_and_kill(home, record_id, user.id)

    services = Services(DataHome(home))
    try:
        record = services.inspections.get(record_id)
        assert {code: record.answers[code].value for code in saved} == saved
        assert {code: record.answers[code].note for code in notes} == notes
        assert notes, "some answers were failures with notes"
        in_flight = set(record.answers) - set(saved)
        assert len(in_flight) <= 1  # at most the answer being written when the process died
        editor = InspectionEditor(services, user, record_id)
        qtbot.addWidget(editor)
        for code, value in saved.items():
            card = editor.card(code)
            assert card.answer is not None and card.answer.value == value
        for code, note in notes.items():
            assert editor.card(code).details.note.text() == note
    finally:
        services.close()
