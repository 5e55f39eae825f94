"""The checklist editor: rendering every form, answering by mouse and keyboard, autosave, conditional items,
notes and photos on failures, orders, signatures, finalizing and the read-only view."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from inspector_app.core.checklist import AnswerType, Choice
from inspector_app.core.clock import local_today
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import FiveImplementations, InspectionType, Inspector, SignerRole
from inspector_app.core.registry import Business, BusinessKind, Equipment, EquipmentType
from inspector_app.forms.library import load_library
from inspector_app.gui.inspection.answers import (
    ButtonsControl,
    ComboControl,
    DateControl,
    NumberControl,
    TextControl,
)
from inspector_app.gui.inspection.editor import InspectionEditor, SectionPage
from tests.builders import make_checklist, make_item, make_jpeg
from tests.gui.inspection_pages import EditorPage, draw_strokes
from tests.shell import uscc_of

pytestmark = pytest.mark.gui


@pytest.fixture
def open_editor(qtbot, shell):
    """``open_editor(record_id, user="zhangwei")`` → an EditorPage on a shown editor."""

    def make(record_id: str, user: str = "zhangwei", **kwargs) -> EditorPage:
        editor = InspectionEditor(shell.services, shell.users[user], record_id, **kwargs)
        qtbot.addWidget(editor)
        editor.resize(1190, 690)
        return EditorPage.shown(qtbot, editor)

    return make


@pytest.fixture
def catering(shell, open_editor):
    return open_editor(shell.start_draft(0, form_id="food.small_catering"))


def answer_all(page: EditorPage, value_for=lambda item: None) -> None:
    """Answer every visible item through the service (setup), ``value_for(item)`` overriding 符合/the first
    choice; items that become visible on the way are answered too."""
    services, session = page.services, page.editor.session
    values: dict[str, str | None] = dict(session.values())
    while True:
        todo = [
            i for i in session.checklist.visible_items(values, session.attributes) if not values.get(i.code)
        ]
        if not todo:
            break
        for item in todo:
            value = value_for(item) or (item.allowed_values() or ("1",))[0]
            if item.type is AnswerType.DATE:
                value = "2026-06-01"
            services.inspections.answer(session.actor, session.record_id, item.code, value)
            values[item.code] = value
    page.editor.refresh()


# ---- rendering ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("form_id", [c.id for c in load_library().all()])
def test_every_shipped_form_renders_every_item_with_a_fitting_control(shell, qtbot, form_id):
    checklist = shell.services.forms.get(form_id)
    uscc = uscc_of(5)
    shell.services.registry.upsert(
        Business(uscc, "荆门市测试主体", BusinessKind(checklist.business_kinds[0]), address="荆门市", area="东宝区",
                 responsible="王五", phone="13800000000", licence_no="JY14208020000001")
    )  # fmt: skip
    code = ""
    if checklist.equipment_types:
        code = "31104208002019000009"
        shell.services.registry.upsert_equipment(
            [Equipment(code, uscc, EquipmentType(checklist.equipment_types[0]))]
        )
    crew = [Inspector("张伟", "42080220230012"), Inspector("李娜", "42080220230027")]
    record = shell.services.inspections.start(
        shell.users["zhangwei"], uscc, form_id, crew, "日常检查", "", code
    )
    editor = InspectionEditor(shell.services, shell.users["zhangwei"], record.id)
    qtbot.addWidget(editor)
    expected = {
        AnswerType.TRI: ButtonsControl, AnswerType.YESNO: ButtonsControl, AnswerType.CHOICE: (ButtonsControl, ComboControl),
        AnswerType.NUMBER: NumberControl, AnswerType.DATE: DateControl, AnswerType.TEXT: TextControl,
    }  # fmt: skip
    for item in checklist.items:
        assert isinstance(editor.card(item.code).control, expected[item.type]), item.code
    assert editor.nav_model.rowCount() == len(checklist.sections) + 3


def test_all_answer_types_render_and_save(shell, qtbot):
    items = [
        make_item("T1"),
        make_item("Y1", type=AnswerType.YESNO),
        make_item("N1", type=AnswerType.NUMBER, unit="℃", min=0.0, max=8.0),
        make_item("D1", type=AnswerType.DATE, note_when_fail=False),
        make_item("X1", type=AnswerType.TEXT, note_when_fail=False),
        make_item("C1", type=AnswerType.CHOICE, choices=(Choice("已公示"), Choice("未公示", fail=True))),
    ]
    page = _builder_editor(shell, qtbot, items)
    page.answer("T1", "符合")
    page.answer("Y1", "否")
    page.answer("N1", "12.5")
    page.answer("D1", "2026-06-30")
    page.answer("X1", "abc")
    page.answer("C1", "未公示")
    stored = page.stored().answers
    assert {c: stored[c].value for c in stored} == {
        "T1": "符合", "Y1": "否", "N1": "12.5", "D1": "2026-06-30", "X1": "abc", "C1": "未公示"
    }  # fmt: skip
    assert [stored[c].result.value for c in ("Y1", "N1", "C1")] == ["不符合", "不符合", "不符合"]
    assert stored["D1"].result is None


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen popups cannot grab or raise
def test_an_unset_date_opens_its_calendar_on_the_current_month(shell, qtbot):
    page = _builder_editor(shell, qtbot, [make_item("D1", type=AnswerType.DATE, note_when_fail=False)])
    edit = page.card("D1").control._field_widget()
    assert edit.text() == "未填写"
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(edit.width() - 6, edit.height() // 2))  # fmt: skip
    calendar = edit.calendarWidget()
    today = QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.window().close()
    assert page.stored().answers.get("D1") is None  # looking is not answering


def test_number_item_shows_unit_and_passing_range(shell, qtbot):
    page = _builder_editor(
        shell, qtbot, [make_item("N1", type=AnswerType.NUMBER, unit="℃", min=0.0, max=8.0)]
    )
    labels = [w.text() for w in page.card("N1").control.findChildren(type(page.editor.header.title))]
    assert any("℃" in t and "0–8" in t for t in labels)


def _builder_editor(shell, qtbot, items) -> EditorPage:
    """An editor on a checklist built in the test (any item types), for the small-catering fixture business."""
    checklist = make_checklist("food.gui_types", items=items)
    library = shell.services.forms
    library.checklists[(checklist.id, checklist.version)] = checklist
    record_id = shell.start_draft(0, form_id=checklist.id)
    editor = InspectionEditor(shell.services, shell.users["zhangwei"], record_id)
    qtbot.addWidget(editor)
    return EditorPage.shown(qtbot, editor)


def test_navigation_lists_sections_then_orders_signatures_and_finalize(catering, qtmodeltester):
    model = catering.editor.nav_model
    qtmodeltester.check(model)
    titles = [model.index(r).data() for r in range(model.rowCount())]
    sections = catering.editor.session.checklist.sections
    assert titles[0].startswith(sections[0].title)
    assert titles[-3:] == ["▸ 整改要求", "▸ 签名", "▸ 定稿"]


def test_item_card_shows_code_key_mark_guidance_and_basis(catering):
    card = catering.card("CY01")
    name, info = card.text_view.accessibleName(), card.text_view.accessibleDescription()
    assert name.startswith("CY01（重点项）")
    assert "检查方法：" in info and "依据：《食品安全法》" in info


def test_a_local_key_item_and_a_reference_note_are_shown_as_such(catering):
    card = catering.card("SP01")
    name, info = card.text_view.accessibleName(), card.text_view.accessibleDescription()
    assert name.startswith("SP01（本地建议重点项）")
    assert "依据：《食品安全法》第三十五条、第三十六条；《湖北省食品安全条例》" in info
    assert (
        "参照（非本次检查依据）：《浙江省食品小作坊小餐饮店小食杂店和食品摊贩管理规定》第八条、第九条" in info
    )
    basis_line = next(line for line in info.splitlines() if line.startswith("依据："))
    assert "浙江" not in basis_line and "待核实" not in info


def test_only_the_first_section_is_built_when_the_editor_opens(catering):
    built = [p for p in catering.editor._pages.values() if isinstance(p, SectionPage)]
    assert len(built) == 1


# ---- answering and autosave --------------------------------------------------------------------------


def test_clicking_an_answer_saves_it_at_once(catering):
    catering.answer("SP01", "符合")
    assert catering.stored().answers["SP01"].value == "符合"
    catering.answer("SP01", "不适用")
    assert catering.stored().answers["SP01"].value == "不适用"


def test_keys_1_and_3_answer_and_move_to_the_next_item(catering):
    catering.press("SP01", Qt.Key.Key_1)
    assert catering.stored().answers["SP01"].value == "符合"
    assert catering.editor.focusWidget() is catering.editor.card("SP02")
    QTest.keyClick(catering.editor.card("SP02"), Qt.Key.Key_3)
    assert catering.stored().answers["SP02"].value == "不适用"


def test_key_2_marks_a_failure_and_puts_the_cursor_in_the_required_note(catering):
    catering.press("SP01", Qt.Key.Key_2)
    card = catering.editor.card("SP01")
    assert catering.stored().answers["SP01"].value == "不符合"
    assert card.has_visible_details()
    assert card.details.note.property("required") == "true"
    assert card.details.note.hasFocus()
    QTest.keyClicks(card.details.note, "expired food")
    QTest.keyClick(card.details.note, Qt.Key.Key_Return)
    assert catering.stored().answers["SP01"].note == "expired food"
    assert card.details.note.property("required") == "false"
    assert catering.editor.focusWidget() is catering.editor.card("SP02")


def test_a_note_is_saved_shortly_after_typing_stops(catering, qtbot):
    catering.answer("SP01", "不符合")
    card = catering.card("SP01")
    card.details.note.setFocus()
    QTest.keyClicks(card.details.note, "dirty")
    qtbot.waitUntil(lambda: catering.stored().answers["SP01"].note == "dirty", timeout=3000)


def test_photo_required_on_failure_is_flagged_until_a_photo_is_added(catering, tmp_path):
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(make_jpeg(4000, 3000, exif_orientation=6))
    catering.answer("SP01", "不符合")
    card = catering.card("SP01")
    assert not card.details.photo_hint.isHidden()
    catering.add_photo("SP01", photo)
    stored = catering.stored()
    sha = stored.answers["SP01"].photos[0]
    attachment = stored.attachments[sha]
    assert max(attachment.width, attachment.height) == 1600
    assert (attachment.width, attachment.height) == (1200, 1600)  # EXIF orientation 6 applied: portrait
    assert card.details.photo_hint.isHidden()
    assert catering.thumbnails("SP01") == [sha]


def test_dropping_a_photo_file_on_an_item_attaches_it(catering, tmp_path):
    photo = tmp_path / "drop.png"
    photo.write_bytes(make_jpeg(80, 60, color="blue"))  # JPEG bytes under a .png name still decode
    catering.answer("SP02", "不符合")
    catering.drop_photo("SP02", photo)
    assert len(catering.stored().answers["SP02"].photos) == 1


def test_removing_a_photo_updates_the_record(catering, tmp_path, qtbot):
    photo = tmp_path / "p.jpg"
    photo.write_bytes(make_jpeg())
    catering.answer("SP01", "不符合")
    catering.add_photo("SP01", photo)
    sha = catering.stored().answers["SP01"].photos[0]
    catering.card("SP01").details.photos.remove_requested.emit(sha)
    assert catering.stored().answers["SP01"].photos == []
    assert catering.thumbnails("SP01") == []


def test_a_bad_photo_file_shows_an_error_in_the_header_not_a_dialog(catering, tmp_path, qtbot):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not an image")
    catering.answer("SP01", "不符合")
    catering.editor.add_photos("SP01", [bad])
    qtbot.waitUntil(lambda: bool(catering.error_text()), timeout=5000)
    assert "图片" in catering.error_text()


def test_arrow_keys_and_j_k_move_between_items_across_sections(catering):
    first_section = catering.editor.session.checklist.sections[0]
    last = first_section.items[-1].code
    following = catering.editor.session.checklist.sections[1].items[0].code
    catering.press(last, Qt.Key.Key_Down)
    assert catering.editor.focusWidget() is catering.editor.card(following)
    QTest.keyClick(catering.editor.card(following), Qt.Key.Key_K)
    assert catering.editor.focusWidget() is catering.editor.card(last)
    QTest.keyClick(catering.editor.card(last), Qt.Key.Key_J)
    assert catering.editor.focusWidget() is catering.editor.card(following)


def test_ctrl_page_down_goes_to_the_next_section(catering):
    catering.card("SP01").setFocus()
    QTest.keyClick(catering.editor.focusWidget(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert catering.editor.nav.currentIndex().row() == 1
    second = catering.editor.session.checklist.sections[1].items[0].code
    assert catering.editor.focusWidget() is catering.editor.card(second)


def test_typing_on_a_number_item_goes_into_its_field_and_is_saved(shell, qtbot):
    page = _builder_editor(shell, qtbot, [make_item("N1", type=AnswerType.NUMBER, unit="℃", max=8.0)])
    page.press("N1", Qt.Key.Key_1)
    QTest.keyClicks(QApplication.focusWidget(), "2")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    stored = page.stored().answers["N1"]
    assert (stored.value, stored.result.value) == ("12", "不符合")


def test_enter_in_the_section_list_moves_into_the_items(catering):
    nav = catering.editor.nav
    nav.setFocus()
    QTest.keyClick(nav, Qt.Key.Key_Down)
    QTest.keyClick(nav, Qt.Key.Key_Return)
    second = catering.editor.session.checklist.sections[1].items[0].code
    assert catering.editor.focusWidget() is catering.editor.card(second)


def test_focusing_the_editor_focuses_the_first_item(catering):
    catering.editor.setFocus()
    assert catering.editor.focusWidget() is catering.editor.card("SP01")


def test_y_and_n_answer_yes_no_items(shell, qtbot):
    page = _builder_editor(
        shell, qtbot, [make_item("Y1", type=AnswerType.YESNO), make_item("Y2", type=AnswerType.YESNO)]
    )
    page.press("Y1", Qt.Key.Key_Y)
    assert page.stored().answers["Y1"].value == "是"
    page.press("Y2", Qt.Key.Key_N)
    assert page.stored().answers["Y2"].value == "否"


def test_conditional_items_appear_and_disappear_with_the_answer(catering):
    editor = catering.editor
    assert editor.card("CY10").isHidden() and editor.card("CY11").isHidden()
    answered, visible = editor.session.progress()
    catering.answer("CY09", "是")
    assert not editor.card("CY10").isHidden() and not editor.card("CY11").isHidden()
    assert editor.session.progress() == (answered + 1, visible + 2)
    assert editor.header.progress.maximum() == visible + 2
    catering.answer("CY09", "否")
    assert editor.card("CY10").isHidden()


def test_verdict_preview_follows_the_answers(catering):
    answer_all(catering)
    assert catering.editor.header.verdict.text().startswith("预判结果：符合")
    catering.answer("SP03", "不符合")  # a general item
    assert catering.editor.header.verdict.text().startswith("预判结果：基本符合")
    catering.answer("CY01", "不符合")  # a key item: the catering pass-rate rule allows one
    assert catering.editor.header.verdict.text().startswith("预判结果：基本符合")
    catering.answer("SP04", "不符合")  # a second key item
    assert catering.editor.header.verdict.text().startswith("预判结果：不符合")


def test_section_counts_in_the_navigation(catering):
    section = catering.editor.session.checklist.sections[0]
    catering.answer(section.items[0].code, "符合")
    text = catering.editor.nav_model.index(0).data()
    assert text.endswith(f"1/{len(section.items)}")


def test_a_rejected_answer_shows_the_message_and_keeps_what_is_stored(catering, shell):
    shell.services.inspections.answer(shell.users["zhangwei"], catering.record_id, "SP01", "符合")
    catering.editor.refresh()
    shell.services.inspections.delete_draft(shell.users["zhangwei"], catering.record_id)
    catering.answer("SP02", "符合")
    assert "找不到" in catering.error_text()


# ---- orders ------------------------------------------------------------------------------------------


def test_orders_page_lists_failed_items_and_stores_an_order(catering, shell):
    catering.answer("SP01", "不符合")
    panel = catering.orders_panel()
    assert list(panel.cards) == ["SP01"]
    today = local_today(shell.clock)
    assert panel.cards["SP01"].deadline.minimumDate() == QDate(today.year, today.month, today.day)
    catering.add_order("SP01", "立即整改", today + timedelta(days=10))
    orders = catering.stored().orders
    assert [(o.item_code, o.requirement, o.deadline) for o in orders] == [
        ("SP01", "立即整改", today + timedelta(days=10))
    ]
    assert panel.cards["SP01"].form.isHidden()


def test_an_order_left_on_an_item_that_no_longer_fails_can_be_removed(catering, shell):
    catering.answer("SP01", "不符合")
    catering.add_order("SP01", "Fix it", local_today(shell.clock))
    catering.answer("SP01", "符合")
    card = catering.orders_panel().cards["SP01"]
    assert not card.orphan_note.isHidden()
    remove = next(b for b in card.findChildren(QPushButton) if b.text() == "删除")
    remove.click()
    assert catering.stored().orders == []
    assert "SP01" not in catering.orders_panel().cards


def test_an_order_without_a_requirement_is_refused_with_a_message(catering):
    catering.answer("SP01", "不符合")
    panel = catering.orders_panel()
    assert not panel.issue("SP01")
    assert "整改要求" in catering.error_text()
    assert catering.stored().orders == []


def test_equipment_orders_carry_the_five_implementations(shell, open_editor):
    crew = [Inspector("张伟", "42080220230012"), Inspector("李娜", "42080220230027")]
    record = shell.services.inspections.start(shell.users["zhangwei"], uscc_of(3), "equipment.elevator", crew,
                                              "日常检查", "", "31104208002019000001")  # fmt: skip
    page = open_editor(record.id)
    page.answer("DT02", "不符合")
    today = local_today(shell.clock)
    hazard = FiveImplementations(
        "物业经理", "更换报警装置", today + timedelta(days=3), "物业维修基金", "专人值守"
    )
    page.add_order("DT02", "立即修复报警装置", today + timedelta(days=3), hazard)
    orders = page.stored().orders
    assert orders and orders[0].hazard == hazard


# ---- signatures --------------------------------------------------------------------------------------


def test_signing_with_the_pad_stores_each_inspector_signature(catering):
    catering.sign("张伟")
    catering.sign("李娜")
    signatures = catering.stored().signatures
    assert {s.signer_name for s in signatures if s.role is SignerRole.INSPECTOR} == {"张伟", "李娜"}
    assert all(s.image_sha256 for s in signatures)
    card = catering.signatures_panel().inspector_cards["张伟"]
    assert not card.image.isHidden() and card.pad.isHidden()


def test_the_party_signs_under_the_responsible_person(catering):
    catering.sign("party")
    party = [s for s in catering.stored().signatures if s.role is SignerRole.PARTY]
    assert [p.signer_name for p in party] == ["王红山"]


def test_the_party_may_refuse_with_reason_and_witness(catering):
    catering.refuse("拒绝签字", "赵六")
    party = next(s for s in catering.stored().signatures if s.role is SignerRole.PARTY)
    assert (party.refused, party.refusal_reason, party.witness_name) == (True, "拒绝签字", "赵六")
    assert "已记录拒签" in catering.signatures_panel().refusal.state.text()


def test_the_confirm_button_waits_for_ink(catering):
    card = catering.signatures_panel().inspector_cards["张伟"]
    assert not card.sign_button.isEnabled()
    draw_strokes(card.pad)
    assert card.sign_button.isEnabled()


# ---- finalizing and read-only ------------------------------------------------------------------------


def test_finalize_is_blocked_and_lists_what_is_missing(catering):
    missing = catering.missing()
    assert any(m.startswith("SP01 尚未作答") for m in missing)
    assert any("签名" in m for m in missing)
    assert not catering.finalize_panel().finalize_button.isEnabled()


def test_activating_a_missing_item_jumps_to_it(catering):
    panel = catering.finalize_panel()
    panel.missing_list.itemActivated.emit(panel.missing_list.item(0))
    assert catering.editor.focusWidget() is catering.editor.card("SP01")


def test_noncompliant_result_needs_a_handling_choice_then_finalizes_read_only(catering, qtbot):
    answer_all(catering, lambda item: "不符合" if item.code in ("CY01", "SP04") else None)
    for code in ("CY01", "SP04"):  # two key items: 不符合 under the catering pass-rate rule
        catering.fill_note(code, "no manager")
        catering.editor.session.services.inspections.attach_photo(
            catering.editor.session.actor, catering.record_id, code, make_jpeg()
        )
    catering.editor.refresh()
    catering.sign("张伟")
    catering.sign("李娜")
    catering.sign("party")
    assert any("处理措施" in m for m in catering.missing())
    catering.choose_handling("立即停止生产经营并调查处理")
    assert catering.missing() == []
    with qtbot.waitSignal(catering.editor.finalized):
        catering.finalize()
    stored = catering.stored()
    assert stored.status is RecordStatus.FINALIZED
    assert (stored.verdict, stored.handling) == ("不符合", "立即停止生产经营并调查处理")
    assert catering.is_read_only()
    assert not catering.card("SP01").control.isEnabled()
    assert not catering.editor.header.new_version_button.isHidden()


def test_a_finalized_record_opens_read_only_and_can_get_a_new_version(catering, shell, open_editor, qtbot):
    _finalize_quickly(catering)
    page = open_editor(catering.record_id)
    assert page.is_read_only()
    assert "只读" in page.editor.header.status.text()
    with qtbot.waitSignal(page.editor.version_created) as signal:
        page.editor.header.new_version_button.click()
    new_record = shell.services.inspections.get(signal.args[0])
    assert (new_record.version, new_record.previous_id, new_record.status) == (
        2,
        catering.record_id,
        RecordStatus.DRAFT,
    )


def test_pdf_button_writes_the_report_and_reports_the_path(catering, open_editor, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr("inspector_app.gui.inspection.editor.QDesktopServices.openUrl", opened.append)
    _finalize_quickly(catering)
    page = open_editor(catering.record_id)
    with qtbot.waitSignal(page.editor.pdf_ready, timeout=30000) as signal:
        page.editor.header.pdf_button.click()
    path = signal.args[0]
    assert path.endswith(".pdf")
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert opened and opened[0].toLocalFile() == path


def test_a_supervisor_sees_a_draft_read_only(catering, open_editor):
    page = open_editor(catering.record_id, user="chenjing")
    assert page.is_read_only()
    assert not page.card("SP01").control.isEnabled()


def _finalize_quickly(page: EditorPage) -> None:
    """Fill the record through the service and finalize it through the editor."""
    answer_all(page)
    page.sign("张伟")
    page.sign("李娜")
    page.refuse("拒绝签字", "赵六")
    page.finalize()
    assert page.stored().status is RecordStatus.FINALIZED


# ---- start dialog ------------------------------------------------------------------------------------


def test_start_dialog_offers_the_checklists_of_the_business_kind(shell, qtbot):
    from inspector_app.gui.inspection.start_dialog import StartDialog
    from tests.gui.inspection_pages import StartPage

    dialog = StartDialog(shell.services, shell.users["zhangwei"], uscc_of(0))
    qtbot.addWidget(dialog)
    page = StartPage(qtbot, dialog)
    assert page.checklists() == ["food.small_catering"]
    assert dialog.place.text() == "湖北省荆门市东宝区1号"
    assert dialog.co_inspector.currentData().username == "lina"
    with qtbot.waitSignal(dialog.inspection_started) as signal:
        page.start()
    record = shell.services.inspections.get(signal.args[0])
    assert [i.name for i in record.inspectors] == ["张伟", "李娜"]
    assert record.form_id == "food.small_catering"


def test_start_dialog_for_an_equipment_unit_picks_the_checklist_by_equipment_type(shell, qtbot):
    from inspector_app.gui.inspection.start_dialog import StartDialog
    from tests.gui.inspection_pages import StartPage

    dialog = StartDialog(shell.services, shell.users["zhangwei"], uscc_of(3))
    qtbot.addWidget(dialog)
    page = StartPage(qtbot, dialog)
    assert page.checklists() == ["equipment.elevator", "equipment.unit"]
    page.choose("kind", InspectionType.SPECIAL)
    record_id = page.start()
    record = shell.services.inspections.get(record_id)
    assert (record.equipment_code, record.form_id, record.inspection_type.value) == (
        "31104208002019000001", "equipment.elevator", "专项检查"
    )  # fmt: skip


def test_start_dialog_refuses_without_a_second_inspector(shell, qtbot):
    from inspector_app.gui.inspection.start_dialog import StartDialog

    shell.services.accounts.set_active(shell.users["admin"], shell.users["lina"].id, False)
    dialog = StartDialog(shell.services, shell.users["zhangwei"], uscc_of(0))
    qtbot.addWidget(dialog)
    assert not dialog.start_button.isEnabled()
    assert "两名执法人员" in dialog.error.text()


def test_start_dialog_is_refused_to_a_supervisor(shell, qtbot):
    from inspector_app.gui.inspection.start_dialog import StartDialog

    dialog = StartDialog(shell.services, shell.users["chenjing"], uscc_of(0))
    qtbot.addWidget(dialog)
    assert not dialog.start_button.isEnabled()


# ---- equipment: a 严重事故隐患 fixed on the spot --------------------------------------------------------


def test_a_hazard_fixed_on_the_spot_is_chosen_recorded_and_finalized(shell, open_editor, qtbot):
    users = shell.users
    crew = [Inspector(u.display_name, u.badge_no, u.id) for u in (users["zhangwei"], users["lina"])]
    record = shell.services.inspections.start(
        users["zhangwei"], uscc_of(3), "equipment.elevator", crew, "日常检查", "1号楼", "31104208002019000001"
    )
    page = open_editor(record.id)
    answer_all(page, lambda item: "不符合" if item.code == "DT08" else ("5" if item.code == "DT11" else None))
    page.fill_note("DT08", "光幕遮挡后门不重开")
    page.services.inspections.attach_photo(page.editor.session.actor, record.id, "DT08", make_jpeg())
    page.editor.refresh()
    page.sign("张伟")
    page.sign("李娜")
    page.sign("party")
    panel = page.finalize_panel()
    options = [b.property("handling") for b in panel._handling_buttons]
    assert options == ["责令立即停止使用，依法查封扣押", "责令立即停止使用；当场整改完毕，依法不予查封、扣押"]
    assert panel._handling_buttons[0].isChecked() and panel.fix.isHidden()  # 查封扣押 unless chosen otherwise
    assert "判定规则：特种设备两级处置" in panel.extra.text()
    page.choose_handling("责令立即停止使用；当场整改完毕，依法不予查封、扣押")
    panel = page.finalize_panel()
    assert not panel.fix.isHidden()
    assert any("须记录当场整改情况" in m for m in page.missing())
    from tests.gui.pages import type_text

    panel.fix.setFocus()
    type_text(panel.fix, "更换光幕后复测有效")
    qtbot.waitUntil(lambda: page.missing() == [], timeout=3000)
    page.finalize()
    stored = page.stored()
    assert (stored.verdict, stored.verdict_rule) == ("立即停止使用", "equipment_hazard")
    assert stored.handling == "责令立即停止使用；当场整改完毕，依法不予查封、扣押"
    assert stored.on_spot_fix == "更换光幕后复测有效"
    assert page.finalize_panel().fix.isReadOnly()
