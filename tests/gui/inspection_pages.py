"""Page objects for the inspection editor: tests say *what* the inspector does, these say *how* (mouse, keys).

``EditorPage(qtbot, editor)`` wraps an :class:`~inspector_app.gui.inspection.editor.InspectionEditor`;
``StartPage(qtbot, dialog)`` wraps the 开始检查 dialog.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDateEdit, QWidget

from inspector_app.core.records import FiveImplementations
from inspector_app.gui.inspection.answers import ButtonsControl, ComboControl, FieldControl
from inspector_app.gui.inspection.editor import InspectionEditor
from inspector_app.gui.inspection.finalize import FinalizePanel
from inspector_app.gui.inspection.items import ItemCard
from inspector_app.gui.inspection.navigation import PageKind
from inspector_app.gui.inspection.orders import OrdersPanel
from inspector_app.gui.inspection.signature_pad import SignaturePad
from inspector_app.gui.inspection.signatures import SignaturesPanel
from tests.gui.pages import type_text

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier

#: A few strokes that look like a short signature (pad coordinates).
SIGNATURE_STROKES = (
    [(30, 80), (50, 40), (70, 90), (90, 45), (110, 85)],
    [(140, 50), (150, 95), (175, 60), (200, 92)],
)


def click(widget: QWidget, pos: QPoint | None = None) -> None:
    QTest.mouseClick(widget, LEFT, NONE, pos if pos is not None else widget.rect().center())


def draw_strokes(pad: SignaturePad, strokes=SIGNATURE_STROKES) -> None:
    """Draw with real mouse events: press, moves, release per stroke."""
    for stroke in strokes:
        points = [QPoint(x, y) for x, y in stroke]
        QTest.mousePress(pad, LEFT, NONE, points[0])
        for point in points[1:]:
            QTest.mouseMove(pad, point)
        QTest.mouseRelease(pad, LEFT, NONE, points[-1])


class EditorPage:
    """Drives one editor the way an inspector would."""

    def __init__(self, qtbot, editor: InspectionEditor) -> None:
        self.qtbot = qtbot
        self.editor = editor

    @classmethod
    def shown(cls, qtbot, editor: InspectionEditor) -> EditorPage:
        """Show the editor at laptop size as the active window (keys go to the focused item)."""
        editor.resize(1190, 690)
        editor.show()
        qtbot.waitExposed(editor)
        editor.activateWindow()
        qtbot.waitUntil(editor.isActiveWindow)
        return cls(qtbot, editor)

    @property
    def services(self):
        return self.editor.services

    @property
    def record_id(self) -> str:
        return self.editor.session.record_id

    def stored(self):
        """The record as the service has it now (what would survive a crash)."""
        return self.services.inspections.get(self.record_id)

    # ---- items -------------------------------------------------------------------------------------
    def card(self, code: str) -> ItemCard:
        card = self.editor.go_to_item(code)
        assert card is not None, f"no item {code}"
        return card

    def answer(self, code: str, value: str) -> None:
        """Answer with the mouse (segments) or by typing (number/date/text fields)."""
        card = self.card(code)
        control = card.control
        if isinstance(control, ButtonsControl):
            click(control, control.segment_rect(value).center())
        elif isinstance(control, ComboControl):
            combo = control._combo
            combo.setCurrentIndex(combo.findData(value))
            combo.activated.emit(combo.currentIndex())
        elif isinstance(control, FieldControl):
            if value == "不适用":
                click(control._na)
            else:
                field = control._field_widget()
                field.setFocus()
                if hasattr(field, "selectAll"):
                    field.selectAll()
                if isinstance(field, QDateEdit):
                    field.setDate(QDate.fromString(value, "yyyy-MM-dd"))
                else:
                    type_text(field, value)
                control.flush()
        else:  # pragma: no cover - a new control type needs a page-object method
            raise AssertionError(type(control))

    def press(self, code: str, key: Qt.Key) -> None:
        """Focus an item card and press a key on it."""
        card = self.card(code)
        card.setFocus()
        QTest.keyClick(card, key)

    def fill_note(self, code: str, text: str) -> None:
        card = self.card(code)
        note = card.details.note
        note.setFocus()
        note.selectAll()
        type_text(note, text)
        card.flush_note()

    def add_photo(self, code: str, path: Path) -> None:
        """Add a photo file (what the file dialog and drag-and-drop do) and wait until it is stored."""
        before = len(self._photos(code))
        self.card(code)
        self.editor.add_photos(code, [path])
        self.qtbot.waitUntil(lambda: len(self._photos(code)) > before, timeout=10000)

    def drop_photo(self, code: str, path: Path) -> None:
        """Drop a file on the item card with a real drop event and wait until it is stored."""
        card = self.card(code)
        before = len(self._photos(code))
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, LEFT, NONE)
        QApplication.sendEvent(card, enter)
        assert enter.isAccepted(), "the item refused the dragged file"
        QApplication.sendEvent(card, QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, LEFT, NONE))
        self.qtbot.waitUntil(lambda: len(self._photos(code)) > before, timeout=10000)

    def _photos(self, code: str) -> list[str]:
        answer = self.editor.session.answer_of(code)
        return list(answer.photos) if answer else []

    def thumbnails(self, code: str) -> list[str]:
        return self.card(code).details.photos.shas()

    def error_text(self) -> str:
        header = self.editor.header
        return header.error.text() if not header.error.isHidden() else ""

    # ---- orders, signatures, finalizing ------------------------------------------------------------
    def orders_panel(self) -> OrdersPanel:
        page = self.editor.show_page(PageKind.ORDERS)
        assert isinstance(page, OrdersPanel)
        return page

    def add_order(
        self, code: str, requirement: str, deadline: date, hazard: FiveImplementations | None = None
    ) -> None:
        card = self.orders_panel().cards[code]
        card.requirement.setFocus()
        type_text(card.requirement, requirement)
        card.deadline.setDate(QDate(deadline.year, deadline.month, deadline.day))
        if hazard is not None:
            assert card.hazard is not None, "this checklist has no 五落实 fields"
            for name in ("responsible", "measures", "funds", "emergency_plan"):
                type_text(getattr(card.hazard, name), getattr(hazard, name))
            card.hazard.deadline.setDate(
                QDate(hazard.deadline.year, hazard.deadline.month, hazard.deadline.day)
            )
        click(card.issue)

    def signatures_panel(self) -> SignaturesPanel:
        page = self.editor.show_page(PageKind.SIGNATURES)
        assert isinstance(page, SignaturesPanel)
        return page

    def sign(self, who: str, strokes=SIGNATURE_STROKES) -> None:
        """``who`` is an inspector's name or ``"party"`` (the inspected party, under its responsible person)."""
        panel = self.signatures_panel()
        card = panel.party_card if who == "party" else panel.inspector_cards[who]
        draw_strokes(card.pad, strokes)
        click(card.sign_button)

    def refuse(self, reason: str, witness: str) -> None:
        box = self.signatures_panel().refusal
        type_text(box.reason, reason)
        type_text(box.witness, witness)
        click(box.record_button)

    def finalize_panel(self) -> FinalizePanel:
        page = self.editor.show_page(PageKind.FINALIZE)
        assert isinstance(page, FinalizePanel)
        page.refresh()
        return page

    def missing(self) -> list[str]:
        panel = self.finalize_panel()
        return [panel.missing_list.item(i).text() for i in range(panel.missing_list.count())]

    def choose_handling(self, handling: str) -> None:
        panel = self.finalize_panel()
        button = next(b for b in panel._handling_buttons if b.property("handling") == handling)
        click(button)

    def finalize(self) -> None:
        """定稿… then 确认定稿."""
        panel = self.finalize_panel()
        assert panel.finalize_button.isEnabled(), f"finalizing is blocked: {self.missing()}"
        click(panel.finalize_button)
        click(panel.confirm_button)

    def is_read_only(self) -> bool:
        return not self.editor.session.editable


class StartPage:
    """Drives the 开始检查 dialog."""

    def __init__(self, qtbot, dialog) -> None:
        self.qtbot = qtbot
        self.dialog = dialog

    def checklists(self) -> list[str]:
        combo = self.dialog.checklist
        return [combo.itemData(i) for i in range(combo.count())]

    def choose(self, combo_name: str, data: object) -> None:
        combo = getattr(self.dialog, combo_name)
        index = combo.findData(data)
        assert index >= 0, f"{data!r} not offered in {combo_name}"
        combo.setCurrentIndex(index)

    def start(self) -> str:
        click(self.dialog.start_button)
        return self.dialog.record_id

    def error_text(self) -> str:
        return self.dialog.error.text()
