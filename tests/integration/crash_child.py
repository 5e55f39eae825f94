"""Child process of ``test_crash_recovery``: opens the inspection editor on a draft and fills it item by item
from the running event loop (as a user would), printing ``SAVED code value`` / ``NOTE code text`` after each
change the service has stored. The parent kills it with SIGKILL part-way through.

Usage: ``python tests/integration/crash_child.py HOME RECORD_ID USER_ID``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from inspector_app.core.checklist import AnswerType
from inspector_app.gui.inspection.editor import InspectionEditor
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from tests.gui.inspection_pages import EditorPage

STEP_MS = 15


def value_for(position: int, item) -> str:
    if item.type is AnswerType.TRI:
        return ("符合", "不符合", "不适用")[position % 3]
    return (item.allowed_values() or ("1",))[0]


def main(home: str, record_id: str, user_id: str) -> None:
    app = QApplication([])
    services = Services(DataHome(Path(home)))
    editor = InspectionEditor(services, services.accounts.get(user_id), record_id)
    editor.resize(1190, 690)
    editor.show()
    page = EditorPage(None, editor)
    session = editor.session
    position = 0

    def step() -> None:
        nonlocal position
        todo = [i for i in session.visible_items() if not session.is_answered(i)]
        if not todo:
            print("DONE", flush=True)
            return
        item = todo[0]
        value = value_for(position, item)
        page.answer(item.code, value)
        print(f"SAVED {item.code} {value}", flush=True)
        if value == "不符合":
            note = f"note-{item.code}"
            page.fill_note(item.code, note)
            print(f"NOTE {item.code} {note}", flush=True)
        position += 1
        QTimer.singleShot(STEP_MS, step)

    QTimer.singleShot(0, step)
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:4])
