"""Screenshots of the inspection editor for docs/screenshots/: checklist filling, signatures, finalize summary.

Run under a virtual display at laptop size::

    Xvfb :98 -screen 0 1366x768x24 &
    QT_QPA_PLATFORM=xcb DISPLAY=:98 .venv/bin/python scripts/inspection_screenshots.py docs/screenshots

Builds a throw-away demo data home, logs in as the demo inspector 张伟, starts a visit to a small restaurant
and fills part of it the way an inspector would (clicks, a failing item with its note and photo, strokes on
the signature pad), saving ``checklist.png``, ``signature.png`` and ``finalize.png`` (1366×768 window).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.core.records import InspectionType, Inspector
from inspector_app.core.registry import BusinessKind
from inspector_app.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from inspector_app.demo.fill import fill_demo
from inspector_app.demo.scenarios import demo_photo
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
        window.close()
        settle(app)
        QThreadPool.globalInstance().waitForDone(10000)  # background page loads finish before the DB closes
        window.deleteLater()
        settle(app, 0.2)
        services.close()
    print("已保存：checklist.png、signature.png、finalize.png")


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


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
