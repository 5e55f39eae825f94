"""The 审核 page: queue of finalized records, the in-app PDF viewer, approve, and return → correct → approve."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QInputMethodEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import Inspector
from inspector_app.gui.models.base import ID_ROLE
from inspector_app.gui.review import PdfViewer, ReviewPage
from tests.review_support import FORM, answer_all, corrected_version, finalized_record, sign_all
from tests.shell import uscc_of

pytestmark = pytest.mark.gui
WAIT_MS = 15000


def three_page_pdf() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for number in range(1, 4):
        pdf.drawString(72, 720, f"Page {number}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture
def record_id(shell) -> str:
    return finalized_record(shell.services, uscc_of(0), shell.users["zhangwei"], shell.users["lina"])


@pytest.fixture
def page(qtbot, shell):
    def make(username: str = "chenjing") -> ReviewPage:
        widget = ReviewPage(shell.services, shell.users[username])
        qtbot.addWidget(widget)
        widget.resize(1190, 700)
        widget.show()
        with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
            widget.refresh()
        return widget

    return make


def wait_for_page(qtbot, viewer: PdfViewer, index: int) -> None:
    qtbot.waitUntil(
        lambda: viewer.current_page() == index and not viewer.canvas.pixmap().isNull(), timeout=WAIT_MS
    )


def queue_ids(page: ReviewPage) -> list[str]:
    model = page.model
    return [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]


def type_chinese(edit, text: str) -> None:
    """Chinese text arrives through the input method, not as key codes: commit it as an IME would."""
    edit.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)


def decide(qtbot, page: ReviewPage, button, comment: str) -> None:
    """Click a decision button, type the comment in the dialog and confirm; wait until the queue reloaded."""
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    type_chinese(dialog.comment_edit, comment)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


# -- the queue and the viewer -------------------------------------------------------------------------------


def test_queue_model_passes_the_model_tester(qtmodeltester, page, record_id):
    review = page()
    assert review.model.rowCount() == 1
    qtmodeltester.check(review.model)


def test_queue_shows_a_finalized_record_and_the_viewer_shows_page_one(qtbot, page, record_id):
    review = page()
    assert queue_ids(review) == [record_id]
    assert review.model.index(0, 1).data() == "荆门市东宝区红山小吃店"
    assert review.model.index(0, 3).data() == "符合"
    assert review.model.index(0, 6).data() == "小餐饮监督检查要点表"
    wait_for_page(qtbot, review.viewer, 0)
    count = review.viewer.page_count()
    assert count >= 2, "a 31-item record spans several pages"
    assert review.viewer.page_label.text() == f"第 1 页 共 {count} 页"
    assert "张伟、李娜" in review.details.text()
    assert review.approve_button.isEnabled()


def test_viewer_navigates_with_keys_and_buttons(qtbot):
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(700, 600)
    viewer.show()
    with qtbot.waitSignal(viewer.opened, timeout=WAIT_MS):
        viewer.set_pdf(three_page_pdf())
    wait_for_page(qtbot, viewer, 0)
    assert not viewer.prev_button.isEnabled()
    viewer.setFocus()
    QTest.keyClick(viewer, Qt.Key.Key_PageDown)
    wait_for_page(qtbot, viewer, 1)
    assert viewer.page_label.text() == "第 2 页 共 3 页"
    QTest.keyClick(viewer, Qt.Key.Key_End)
    wait_for_page(qtbot, viewer, 2)
    assert not viewer.next_button.isEnabled()
    QTest.keyClick(viewer, Qt.Key.Key_PageDown)  # past the end: stays
    assert viewer.current_page() == 2
    QTest.keyClick(viewer, Qt.Key.Key_PageUp)
    wait_for_page(qtbot, viewer, 1)
    QTest.mouseClick(viewer.prev_button, Qt.MouseButton.LeftButton)
    wait_for_page(qtbot, viewer, 0)
    assert viewer.page_label.text() == "第 1 页 共 3 页"


def test_viewer_zooms_with_keys_wheel_and_fits_width(qtbot):
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    viewer.resize(700, 600)
    viewer.show()
    with qtbot.waitSignal(viewer.opened, timeout=WAIT_MS):
        viewer.set_pdf(three_page_pdf())
    wait_for_page(qtbot, viewer, 0)
    assert viewer.is_fit_width()
    fitted_width = viewer.canvas.pixmap().deviceIndependentSize().width()
    assert fitted_width <= viewer.scroll_area.viewport().width()
    viewer.setFocus()
    QTest.keyClick(viewer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert not viewer.is_fit_width()
    zoomed = viewer.zoom()
    qtbot.waitUntil(
        lambda: viewer.canvas.pixmap().deviceIndependentSize().width() > fitted_width, timeout=WAIT_MS
    )
    assert viewer.zoom_label.text() == f"{round(zoomed * 100)}%"
    wheel = QWheelEvent(
        QPointF(50, 50), QPointF(50, 50), QPoint(0, 0), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(viewer.scroll_area.viewport(), wheel)
    assert viewer.zoom() < zoomed
    QTest.keyClick(viewer, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.is_fit_width()
    qtbot.waitUntil(
        lambda: viewer.canvas.pixmap().deviceIndependentSize().width() == fitted_width, timeout=WAIT_MS
    )


def test_viewer_reports_a_broken_pdf_in_chinese(qtbot):
    viewer = PdfViewer()
    qtbot.addWidget(viewer)
    with qtbot.waitSignal(viewer.failed, timeout=WAIT_MS) as failed:
        viewer.set_pdf(b"%PDF-1.4 this is not really a pdf")
    assert "无法打开 PDF" in failed.args[0]
    assert "无法打开 PDF" in viewer.canvas.text()
    assert viewer.page_count() == 0


# -- decisions -----------------------------------------------------------------------------------------------


def test_approve_with_optional_comment(qtbot, shell, page, record_id):
    review = page()
    wait_for_page(qtbot, review.viewer, 0)
    with qtbot.waitSignal(review.decided, timeout=WAIT_MS) as decided:
        decide(qtbot, review, review.approve_button, "记录完整")
    assert decided.args == [record_id, "approved"]
    assert queue_ids(review) == []
    assert "没有待审核" in review.viewer.canvas.text()
    assert shell.services.inspections.get(record_id).status is RecordStatus.APPROVED
    [event] = shell.services.review.events(record_id)
    assert (event.actor_name, event.comment) == ("陈静", "记录完整")


def test_return_needs_a_comment_before_the_dialog_accepts(qtbot, page, record_id):
    review = page()
    QTest.mouseClick(review.return_button, Qt.MouseButton.LeftButton)
    dialog = review.dialog
    assert not dialog.ok_button.isEnabled()
    QTest.keyClicks(dialog.comment_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    assert dialog.problem.text() == "请填写退回意见"
    QTest.keyClick(dialog.comment_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible()
    dialog.reject()
    assert queue_ids(review) == [record_id]


def test_return_home_new_version_approve(qtbot, shell, page, record_id):
    from inspector_app.gui.pages.home import HomePage

    review = page()
    wait_for_page(qtbot, review.viewer, 0)
    decide(qtbot, review, review.return_button, "请补拍后厨照片")
    assert queue_ids(review) == []

    # The inspector's home shows the returned record with the comment.
    home = HomePage(shell.services, shell.users["zhangwei"])
    qtbot.addWidget(home)
    with qtbot.waitSignal(home.loaded, timeout=WAIT_MS):
        home.refresh()
    assert [home.returned_model.index(r, 0).data(ID_ROLE) for r in range(home.returned_model.rowCount())] == [
        record_id
    ]
    assert home.returned_model.index(0, 3).data() == "请补拍后厨照片"

    # The inspector corrects it as a new version; once finalized it is back in the queue.
    second = corrected_version(shell.services, record_id, shell.users["zhangwei"])
    with qtbot.waitSignal(review.loaded, timeout=WAIT_MS):
        review.refresh()
    assert queue_ids(review) == [second]
    assert review.model.index(0, 5).data() == "第2版（更正）"
    assert review.previous_comment.text() == "上一版退回意见：请补拍后厨照片"
    qtbot.waitUntil(lambda: "退回修改：请补拍后厨照片" in review.details.text(), timeout=WAIT_MS)
    decide(qtbot, review, review.approve_button, "")
    assert shell.services.inspections.get(second).status is RecordStatus.APPROVED


def test_supervisor_cannot_decide_on_a_record_he_inspected(qtbot, shell, page):
    users = shell.users
    crew = [Inspector(u.display_name, u.badge_no, u.id) for u in (users["zhangwei"], users["chenjing"])]
    draft = shell.services.inspections.start(users["zhangwei"], uscc_of(0), FORM, crew, "日常检查", "店内")
    answer_all(shell.services, users["zhangwei"], draft.id)
    sign_all(shell.services, users["zhangwei"], draft.id)
    shell.services.inspections.finalize(users["zhangwei"], draft.id)
    review = page()
    assert queue_ids(review) == [draft.id]
    assert not review.approve_button.isEnabled()
    assert not review.return_button.isEnabled()
    assert "其他审核人" in review.own_hint.text()
    review.approve_current()
    assert review.dialog is None


def test_open_record_button_emits_record_activated(qtbot, page, record_id):
    review = page()
    with qtbot.waitSignal(review.record_activated, timeout=WAIT_MS) as opened:
        QTest.mouseClick(review.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [record_id]


def test_main_window_shows_the_review_page_to_supervisors_only(window_for):
    supervisor = window_for("chenjing")
    assert "review" in supervisor.page_keys()
    assert isinstance(supervisor.show_page("review"), ReviewPage)
    assert "review" not in window_for("zhangwei").page_keys()


def test_going_back_to_a_record_reuses_its_rendered_pdf(qtbot, shell, page, record_id, monkeypatch):
    other = finalized_record(shell.services, uscc_of(0), shell.users["lina"], shell.users["zhangwei"])
    rendered: list[str] = []
    real_render = shell.services.reports.render
    monkeypatch.setattr(
        shell.services.reports, "render", lambda rid: rendered.append(rid) or real_render(rid)
    )
    review = page()
    assert sorted(queue_ids(review)) == sorted([record_id, other])
    first, second = queue_ids(review)
    qtbot.waitUntil(lambda: rendered == [first] and review.viewer.page_count() > 0, timeout=WAIT_MS)
    review.table.setCurrentIndex(review.model.index(1, 0))
    qtbot.waitUntil(lambda: rendered == [first, second] and review.viewer.page_count() > 0, timeout=WAIT_MS)
    review.table.setCurrentIndex(review.model.index(0, 0))
    wait_for_page(qtbot, review.viewer, 0)
    assert review.current_id() == first
    assert rendered == [first, second]
