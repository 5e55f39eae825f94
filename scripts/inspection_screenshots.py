"""Screenshots of the inspection editor for docs/screenshots/: checklist filling, signatures, finalize summary.

Run under a virtual display at laptop size::

    Xvfb :98 -screen 0 1366x768x24 &
    QT_QPA_PLATFORM=xcb DISPLAY=:98 .venv/bin/python scripts/inspection_screenshots.py docs/screenshots

Builds a throw-away demo data home, logs in as the demo inspector 张伟, starts a visit to a small restaurant
and fills part of it the way an inspector would (clicks, a failing item with its note and photo, strokes on
the signature pad), saving ``checklist.png``, ``signature.png`` and ``finalize.png`` (1366×768 window).

Then the legal screens (docs/LEGAL-REVIEW.md): ``legal-items.png`` (★ / ★☆ marks, 依据 and the 参照 note of
小餐饮 items), ``legal-stop-use.png`` (the 定稿 page of an elevator record with a 严重事故隐患 fixed on the spot)
and ``legal-business.png`` (a small restaurant's page with its 量化分级 annual grade).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.core.checklist import AnswerType
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import InspectionType, Inspector
from inspector_app.core.registry import BusinessKind, EquipmentType
from inspector_app.core.summaries import InspectionQuery
from inspector_app.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from inspector_app.demo.fill import fill_demo
from inspector_app.demo.scenarios import demo_photo, demo_signature
from inspector_app.gui.inspection.navigation import PageKind
from inspector_app.gui.main_window import MainWindow
from inspector_app.gui.theme import apply_style
from inspector_app.paths import DataHome
from inspector_app.services.app import Services

SIZE = (1366, 768)


def settle(app: QApplication, seconds: float = 0.6) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def draw(pad, strokes) -> None:
    for stroke in strokes:
        points = [QPoint(x, y) for x, y in stroke]
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
        for point in points[1:]:
            QTest.mouseMove(pad, point)
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def signature_strokes(offset: int) -> list[list[tuple[int, int]]]:
    """A cursive-looking scribble (two strokes)."""
    first = [(40 + i * 6, 70 + int(22 * ((-1) ** (i // 3)) * (i % 3) / 2)) for i in range(24)]
    second = [(200 + offset + i * 5, 55 + (i * 7) % 35) for i in range(14)]
    return [first, second]


def main(out: Path) -> None:
    app = QApplication(sys.argv[:1])
    apply_style(app)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(DataHome(Path(tmp) / "home").ensure())
        fill_demo(services, businesses=300)
        ensure_demo_accounts(services)
        user = services.accounts.authenticate("zhangwei", DEMO_PASSWORD)
        lina = services.accounts.authenticate("lina", DEMO_PASSWORD)
        business = next(b for b in services.registry.list(300) if b.kind is BusinessKind.SMALL_CATERING)
        crew = [Inspector(u.display_name, u.badge_no, u.id) for u in (user, lina)]
        record = services.inspections.start(user, business.uscc, "food.small_catering", crew,
                                            InspectionType.ROUTINE, business.address)  # fmt: skip
        window = MainWindow(services, user, str(Path(tmp) / "home"))
        window.setGeometry(0, 0, *SIZE)
        window.show()
        window.activateWindow()
        window.open_inspection(record.id)
        editor = window.page("editor").editor
        settle(app)
        _fill_some(app, editor, services, user, record.id)
        window.grab().save(str(out / "checklist.png"))
        _signatures(app, editor)
        window.grab().save(str(out / "signature.png"))
        editor.show_page(PageKind.FINALIZE)
        settle(app)
        window.grab().save(str(out / "finalize.png"))
        _legal_screens(app, window, services, [user, lina], out)
        window.close()
        settle(app)
        QThreadPool.globalInstance().waitForDone(10000)  # background page loads finish before the DB closes
        window.deleteLater()
        settle(app, 0.2)
        services.close()
    print(
        "已保存：checklist.png、signature.png、finalize.png、legal-items.png、legal-stop-use.png、legal-business.png"
    )


def _fill_some(app: QApplication, editor, services, user, record_id: str) -> None:
    """Answer the first two sections and a failure in the third (note typed, photo added; one note left)."""
    sections = editor.session.checklist.sections
    for section in sections[:2]:
        for item in section.items:
            card = editor.go_to_item(item.code)
            QTest.keyClick(card, Qt.Key.Key_1)
    third = sections[2].items
    card = editor.go_to_item(third[0].code)
    QTest.keyClick(card, Qt.Key.Key_1)
    failing = editor.go_to_item(third[1].code)
    QTest.keyClick(failing, Qt.Key.Key_2)
    failing.details.note.setText("消毒柜未通电，餐具未消毒即使用")
    failing.flush_note()
    editor.session.attach_photo(third[1].code, demo_photo(3, (1600, 1200)))
    key_fail = editor.go_to_item(third[2].code)
    QTest.keyClick(key_fail, Qt.Key.Key_2)
    editor.go_to_item(third[0].code)
    settle(app, 1.0)
    page = editor.stack.currentWidget()
    page.verticalScrollBar().setValue(0)
    editor.card(third[2].code).setFocus()
    settle(app, 0.6)


def _signatures(app: QApplication, editor) -> None:
    panel = editor.show_page(PageKind.SIGNATURES)
    settle(app)
    names = list(panel.inspector_cards)
    draw(panel.inspector_cards[names[0]].pad, signature_strokes(0))
    panel.inspector_cards[names[0]].sign_button.click()
    settle(app)
    draw(panel.inspector_cards[names[1]].pad, signature_strokes(30))
    draw(panel.party_card.pad, signature_strokes(60))
    settle(app)


def answer_all(services, user, record_id: str, failing: dict[str, str]) -> None:
    record = services.inspections.get(record_id)
    checklist = services.inspections.checklist_of(record)
    values: dict[str, str] = {}
    for item in checklist.items:
        if not checklist.is_visible(item, values, record.attributes):
            continue
        value = failing.get(item.code)
        if value is None:
            if item.type is AnswerType.CHOICE:
                value = item.choices[0].value if item.code != "CY20" else item.choices[-1].value
            elif item.type is AnswerType.NUMBER:
                value = "5"
            elif item.type is AnswerType.DATE:
                value = "2027-06-30"
            else:
                value = "符合"
        values[item.code] = value
        services.inspections.answer(user, record_id, item.code, value)


def sign(services, user, record_id: str, names: list[str]) -> None:
    for n, name in enumerate(names):
        services.inspections.sign(user, record_id, "inspector", name, demo_signature(n))
    services.inspections.sign(user, record_id, "party", "负责人", demo_signature(7))


def _legal_screens(app: QApplication, window: MainWindow, services: Services, crew_users, out: Path) -> None:
    """★/★☆ and 参照 on item cards; an elevator 严重事故隐患 fixed on the spot; the annual grade."""
    user = crew_users[0]
    crew = [Inspector(u.display_name, u.badge_no, u.id) for u in crew_users]
    names = [u.display_name for u in crew_users]
    businesses = services.registry.list(300)
    query = InspectionQuery(form_prefix="food.small_catering", status=RecordStatus.FINALIZED)
    restaurant = services.registry.get(services.inspections.list(query)[0].uscc)
    draft = services.inspections.start(user, restaurant.uscc, "food.small_catering", crew,
                                       InspectionType.ROUTINE, restaurant.address)  # fmt: skip
    window.open_inspection(draft.id)
    editor = window.page("editor").editor
    settle(app)
    editor.go_to_item("SP02")
    editor.card("SP01").setFocus()
    settle(app, 1.0)
    window.grab().save(str(out / "legal-items.png"))

    unit, elevator = next(
        (b, e)
        for b in businesses
        if b.kind is BusinessKind.EQUIPMENT_UNIT
        for e in services.registry.equipment_of(b.uscc)
        if e.type is EquipmentType.ELEVATOR
    )
    record = services.inspections.start(user, unit.uscc, "equipment.elevator", crew,
                                        InspectionType.RANDOM, unit.address, elevator.code)  # fmt: skip
    answer_all(services, user, record.id, {"DT08": "不符合"})
    services.inspections.set_note(user, record.id, "DT08", "遮挡光幕后层门未重新开启")
    services.inspections.attach_photo(user, record.id, "DT08", demo_photo(5))
    sign(services, user, record.id, names)
    services.inspections.set_handling(user, record.id, "责令立即停止使用；当场整改完毕，依法不予查封、扣押")
    services.inspections.set_details(
        user, record.id, on_spot_fix="维保单位到场更换光幕，复测防夹保护有效后恢复使用"
    )
    window.open_inspection(record.id)
    window.page("editor").editor.show_page(PageKind.FINALIZE)
    settle(app, 1.0)
    window.grab().save(str(out / "legal-stop-use.png"))

    window.show_page("registry").open_business(restaurant.uscc)
    settle(app, 1.0)
    window.grab().save(str(out / "legal-business.png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
