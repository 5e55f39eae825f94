"""Answering while another process holds the database's write lock (issue 12, defect 1).

Before: the answer clicked in the editor stayed on screen as if saved, ``database is locked`` escaped as a
traceback and the UI thread waited the whole busy timeout. Now an answer is either stored, or shown as
waiting (card marked, header saying why and that it is retried) and stored as soon as the lock is released.
"""

from __future__ import annotations

import pytest

from inspector_app.gui.inspection.editor import InspectionEditor
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.storage import db as db_module
from tests.builders import CHEAP_HASHER
from tests.gui.inspection_pages import EditorPage
from tests.lockholder import hold_write_lock

pytestmark = [pytest.mark.gui, pytest.mark.timeout(90)]


@pytest.fixture
def patient_services(shell, monkeypatch):
    """Services whose ordinary writes would wait 10 minutes for a lock: a UI that waited would hang the test."""
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 600_000)
    services = Services(DataHome(shell.services.home.root), shell.clock, hasher=CHEAP_HASHER)
    yield services
    services.close()


@pytest.fixture
def page(qtbot, shell, patient_services):
    record_id = shell.start_draft()
    editor = InspectionEditor(patient_services, shell.users["zhangwei"], record_id)
    qtbot.addWidget(editor)
    return EditorPage.shown(qtbot, editor)


def _tri_items(page: EditorPage, count: int) -> list[str]:
    session = page.editor.session
    return [i.code for i in session.visible_items() if "不符合" in i.allowed_values()][:count]


def _stored_value(page: EditorPage, code: str) -> str | None:
    answer = page.stored().answers.get(code)
    return answer.value if answer else None


def test_an_answer_given_during_a_long_write_waits_visibly_and_is_stored_after(qtbot, page):
    first, second = _tri_items(page, 2)
    header = page.editor.header
    with hold_write_lock(page.services.home.db_path, what="名录导入 big.xlsx"):
        page.answer(first, "符合")
        page.answer(second, "不符合")
        assert _stored_value(page, first) is None and _stored_value(page, second) is None
        assert page.card(first).pending and page.card(second).pending
        shown = header.saved.text()
        assert "已自动保存" not in shown
        assert "2 项修改尚未保存" in shown and "名录导入 big.xlsx" in shown and "自动重试" in shown
    qtbot.waitUntil(lambda: _stored_value(page, second) == "不符合", timeout=20000)
    assert _stored_value(page, first) == "符合"
    qtbot.waitUntil(lambda: "已自动保存" in header.saved.text(), timeout=5000)
    assert not page.card(first).pending and not page.card(second).pending
    assert page.card(second).answer is not None and page.card(second).answer.value == "不符合"


def test_finalizing_waits_for_answers_still_waiting_and_says_why(qtbot, page):
    [code] = _tri_items(page, 1)
    session = page.editor.session
    with hold_write_lock(page.services.home.db_path):
        page.answer(code, "符合")
        assert not session.finalize(None)
        assert "尚未保存" in page.error_text()
    assert page.stored().status.value == "draft"
    qtbot.waitUntil(lambda: _stored_value(page, code) == "符合", timeout=20000)


def test_a_note_typed_during_a_long_write_is_stored_after(qtbot, page):
    [code] = _tri_items(page, 1)
    page.answer(code, "不符合")
    with hold_write_lock(page.services.home.db_path):
        page.fill_note(code, "地面积水")
        assert page.stored().answers[code].note == ""
        assert page.card(code).pending
    qtbot.waitUntil(lambda: page.stored().answers[code].note == "地面积水", timeout=20000)


def test_quitting_while_changes_wait_asks_and_keeps_the_window_when_told_to_wait(qtbot, shell, window_for):
    window = window_for("zhangwei")
    record_id = shell.start_draft()
    window.open_inspection(record_id)
    host = window.page("editor")
    editor = EditorPage(qtbot, host.editor)
    [code] = _tri_items(editor, 1)
    asked: list[str] = []
    host.ask_discard = lambda message: asked.append(message) or False  # "继续等待"
    with hold_write_lock(shell.services.home.db_path, what="名录导入 big.xlsx"):
        editor.answer(code, "符合")
        window.close()
        assert window.isVisible(), "the window closed over an unsaved answer"
        assert host.editor is not None, "the record stays open while its answer waits"
        assert asked and "1 项修改尚未保存" in asked[0]
    qtbot.waitUntil(lambda: len(host.autosave) == 0, timeout=20000)
    assert shell.services.inspections.get(record_id).answers[code].value == "符合"
    window.close()
    assert not window.isVisible()
