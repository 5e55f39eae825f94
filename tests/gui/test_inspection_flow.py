"""The whole visit through the GUI, driven by page objects: log in → search a business → 开始检查 → answer every
item (some failing, with notes and a photo) → order with a deadline → sign → finalize → read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.core.checklist import AnswerType, Result
from inspector_app.core.clock import local_today
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.gui.inspection.start_dialog import StartDialog
from inspector_app.gui.login import LoginDialog
from inspector_app.gui.main_window import MainWindow
from tests.builders import make_jpeg
from tests.gui.inspection_pages import EditorPage, StartPage, click
from tests.gui.pages import LoginPage, RegistryPage
from tests.shell import PASSWORD

pytestmark = pytest.mark.gui

#: Items that fail in this visit: a general item and a key item that needs a photo.
FAILING = {"SP03": "Expired price tags", "CY05": "Fridge at 12 C", "SP04": "Health certificate expired"}


def log_in(qtbot, shell, username: str):
    dialog = LoginDialog(shell.services.accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    user = LoginPage(qtbot, dialog).log_in(username, PASSWORD)
    assert user is not None
    return user


def start_through_dialog(qtbot, business_page) -> None:
    """Press 开始检查 and drive the modal dialog from inside its event loop."""
    driven = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, StartDialog):
            QTimer.singleShot(20, drive)
            return
        page = StartPage(qtbot, dialog)
        assert page.checklists() == ["food.small_catering"]
        driven.append(page.start())

    QTimer.singleShot(0, drive)
    click(business_page.start_button)
    assert driven and driven[0]


def test_a_visit_from_login_to_a_read_only_finalized_record(qtbot, shell, tmp_path):
    user = log_in(qtbot, shell, "zhangwei")
    window = MainWindow(shell.services, user, "测试")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # real focus moves: a hidden focused button must not make the window switch pages
    qtbot.waitUntil(window.isActiveWindow)

    registry = RegistryPage(qtbot, window.show_page("registry"))
    assert registry.search("红山") == ["荆门市东宝区红山小吃店"]
    registry.open_result()
    qtbot.waitUntil(lambda: registry.business_name().startswith("荆门市东宝区红山小吃店"), timeout=5000)
    start_through_dialog(qtbot, registry.page.business)

    host = window.page("editor")
    assert window.current_key() == "editor" and host.editor is not None
    page = EditorPage(qtbot, host.editor)
    session = host.editor.session
    photo = tmp_path / "fridge.jpg"
    photo.write_bytes(make_jpeg(3000, 2000, color="gray"))

    # Answer every item, the conditional ones included (CY09 是 makes CY10/CY11 appear).
    page.answer("CY09", "是")
    while unanswered := [i for i in session.visible_items() if not session.is_answered(i)]:
        for item in unanswered:
            if item.code in FAILING:
                page.answer(item.code, Result.NONCOMPLIANT.value)
                page.fill_note(item.code, FAILING[item.code])
                if item.photo_when_fail:
                    page.add_photo(item.code, photo)
            elif item.type is AnswerType.TRI:
                page.answer(
                    item.code, Result.COMPLIANT.value if item.code != "CY04" else Result.NOT_APPLICABLE.value
                )
            else:
                page.answer(item.code, (item.allowed_values() or ("",))[0])
    assert session.progress()[0] == session.progress()[1]
    assert host.editor.header.verdict.text().startswith("预判结果：不符合")

    deadline = local_today(shell.clock) + timedelta(days=7)
    for code in FAILING:
        page.add_order(code, "Fix within a week", deadline)
    assert window.current_key() == "editor"
    page.sign("张伟")
    page.sign("李娜")
    page.sign("party")
    page.choose_handling("限期整改")
    assert page.missing() == []
    page.finalize()
    assert window.current_key() == "editor"  # still on the record after all those clicks

    stored = page.stored()
    assert stored.status is RecordStatus.FINALIZED
    assert (stored.verdict, stored.handling) == ("不符合", "限期整改")
    assert {o.item_code for o in stored.orders} == set(FAILING)
    assert {c: stored.answers[c].note for c in FAILING} == FAILING
    assert len(stored.answers["CY05"].photos) == 1
    assert stored.answers["CY04"].value == "不适用"
    assert page.is_read_only()
    assert not page.card("SP01").control.isEnabled()
    assert page.card("SP03").details.note.isReadOnly()
    assert page.orders_panel().cards["SP03"].form.isHidden()
    assert shell.services.inspections.followups_due(days=30)  # the orders became 回头看 tasks


def test_moving_between_sections_keeps_the_main_window_on_the_record(qtbot, shell, window_for):
    """Hiding a focused item (section switch, conditional item, signed pad) must not hand the focus to the
    window's page list, which would switch pages under the inspector."""
    record_id = shell.start_draft()
    window = window_for("zhangwei")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_inspection(record_id)
    editor = window.page("editor").editor
    page = EditorPage(qtbot, editor)
    last = editor.session.checklist.sections[0].items[-1].code
    page.press(last, Qt.Key.Key_1)  # answers and moves on into the next section
    assert window.current_key() == "editor"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "editor"
    page.answer("CY09", "是")
    page.press("CY10", Qt.Key.Key_1)
    page.answer("CY09", "否")  # CY10 disappears while it holds the focus
    assert window.current_key() == "editor"
    page.sign("张伟")
    assert window.current_key() == "editor"
