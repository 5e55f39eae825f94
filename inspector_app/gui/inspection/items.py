"""One checklist item as a card: code, ★ 重点 (or ★☆ 本地重点) mark, text, 检查方法, 依据, a 参照 note when the
item has one (other provinces' rules — shown as a note, never as the basis), the answer input, and — when the
answer is 不符合 — the inline note field and photo strip the form requires (shown red until filled).

Keys on a focused card: 1/2/3 (and Y/N) answer, ↑/↓ or K/J move, Enter edits the field or note, P adds photos.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.checklist import Item, Result
from inspector_app.core.evaluation import FailureEvidence, failure_evidence
from inspector_app.core.records import Answer
from inspector_app.gui.inspection.answers import TYPING_SAVE_MS, AnswerControl, make_control
from inspector_app.gui.inspection.photos import PhotoStrip, image_paths

KEY_MARK = "★ 重点"
KEY_MARK_LOCAL = "★☆ 本地重点"
REFERENCE_LABEL = "参照（非本次检查依据）"


def key_mark(item: Item) -> str:
    """The mark under the code: official key items ★, local proposals ★☆ (they judge alike)."""
    if not item.key:
        return ""
    return KEY_MARK_LOCAL if item.key_local else KEY_MARK


def hide_keeping_focus(widget: QWidget, fallback: QWidget | None = None) -> None:
    """Hide ``widget``; if it holds the keyboard focus, first hand it to ``fallback`` or the nearest focusable
    ancestor. (Left alone, Qt passes the focus along the window's chain — possibly to the main window's page
    list, which would switch pages under the inspector.)"""
    focus = QApplication.focusWidget() or widget.window().focusWidget()
    if focus is not None and (focus is widget or widget.isAncestorOf(focus)):
        target = fallback or widget.parentWidget()
        while target is not None and (
            target.focusPolicy() == Qt.FocusPolicy.NoFocus or not target.isVisible()
        ):
            target = target.parentWidget()
        if target is not None:
            target.setFocus()
    widget.hide()


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def info_text(item: Item) -> str:
    """检查方法, 依据 and (if any) 参照 lines under the item text; never a 待核实 placeholder."""
    lines = [f"检查方法：{item.guidance}"] if item.guidance else []
    lines.append(f"依据：{item.printed_basis}")
    if item.reference_note:
        lines.append(f"{REFERENCE_LABEL}：{item.reference_note}")
    return "\n".join(lines)


class ItemText(QWidget):
    """Code, ★ 重点, item text and the 检查方法/依据 lines, painted by one widget.

    A checklist shows dozens of these; one painted widget with a cached height-for-width is several times
    cheaper to create and lay out than the equivalent labels.
    """

    GAP = 4

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = item.code
        self._key = item.key
        self._mark = key_mark(item)
        self._local = item.key_local
        self._text = item.text
        self._info = info_text(item)
        self._heights: dict[int, int] = {}  # width → height: layouts ask the same widths again and again
        self._fonts_key = ""
        self._bold_font = QFont()
        self._code_column = 0
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        kind = ("（本地建议重点项）" if item.key_local else "（重点项）") if item.key else ""
        self.setAccessibleName(f"{item.code}{kind} {item.text}")
        self.setAccessibleDescription(self._info)

    def _prepare(self) -> None:
        """Fonts and the code column width, recomputed only when the font really changed."""
        key = self.font().key()
        if key == self._fonts_key:
            return
        self._fonts_key = key
        self._heights.clear()
        self._bold_font = QFont(self.font())
        self._bold_font.setBold(True)
        bold = QFontMetrics(self._bold_font)
        marks = bold.horizontalAdvance(self._mark) if self._key else 0
        self._code_column = max(bold.horizontalAdvance(self._code), marks) + 14

    def _blocks(self, width: int) -> tuple[QRect, QRect]:
        self._prepare()
        column = self._code_column
        text_width = max(40, width - column)
        metrics = QFontMetrics(self.font())
        flags = int(Qt.TextFlag.TextWordWrap)
        text = metrics.boundingRect(QRect(0, 0, text_width, 100000), flags, self._text)
        info = metrics.boundingRect(QRect(0, 0, text_width, 100000), flags, self._info)
        text_rect = QRect(column, 0, text_width, text.height())
        info_rect = QRect(column, text.height() + self.GAP, text_width, info.height())
        return text_rect, info_rect

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self._prepare()
        height = self._heights.get(width)
        if height is None:
            _, info = self._blocks(width)
            code_height = QFontMetrics(self._bold_font).height() * (2 if self._key else 1)
            height = max(info.bottom() + 1, code_height)
            if len(self._heights) > 16:
                self._heights.clear()
            self._heights[width] = height
        return height

    def sizeHint(self) -> QSize:
        return QSize(640, self.heightForWidth(640))

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange and self.font().key() != self._fonts_key:
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text_rect, info_rect = self._blocks(self.width())
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        painter.setFont(self._bold_font)
        painter.setPen(QColor("#263238"))
        line = QFontMetrics(self._bold_font).height()
        painter.drawText(QRect(0, 0, text_rect.left(), line), 0, self._code)
        if self._key:
            painter.setPen(QColor("#b26a00" if self._local else "#c62828"))
            painter.drawText(QRect(0, line, text_rect.left(), line), 0, self._mark)
        painter.setFont(self.font())
        painter.setPen(QColor("#1c2730"))
        painter.drawText(text_rect, flags, self._text)
        painter.setPen(QColor("#5f6b76"))
        painter.drawText(info_rect, flags, self._info)
        painter.end()


class NoteEdit(QLineEdit):
    """The 不符合 note: Enter saves and moves on, Esc returns to the card. Signals: ``leave(step)``."""

    leave = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.editingFinished.emit()
            self.leave.emit(1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.leave.emit(0)
            return
        super().keyPressEvent(event)


class FailDetails(QWidget):
    """The note field and the photo strip of one item (built only when first needed)."""

    def __init__(self, loader: Callable[[str], bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        layout.setSpacing(8)
        column = QVBoxLayout()
        column.setSpacing(2)
        self.note = NoteEdit(self)
        self.note.setAccessibleName("问题说明")
        column.addWidget(self.note)
        self.photo_hint = QLabel("", self)
        self.photo_hint.setProperty("role", "warn")
        column.addWidget(self.photo_hint)
        layout.addLayout(column, 3)
        self.photos = PhotoStrip(loader, self)
        layout.addWidget(self.photos, 2)


class ItemCard(QFrame):
    """A checklist item and its answer.

    Signals: ``answered(code, value, by_key)``, ``note_saved(code, text)``, ``add_photos_requested(code)``,
    ``photos_dropped(code, paths)``, ``photo_remove_requested(code, sha256)``, ``move_requested(step)``.
    """

    answered = Signal(str, str, bool)
    note_saved = Signal(str, str)
    add_photos_requested = Signal(str)
    photos_dropped = Signal(str, list)
    photo_remove_requested = Signal(str, str)
    move_requested = Signal(int)

    def __init__(
        self, item: Item, loader: Callable[[str], bytes], editable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.item = item
        self.code = item.code
        self._loader = loader
        self._editable = editable
        self._answer: Answer | None = None
        self._details: FailDetails | None = None
        self._note_timer: QTimer | None = None
        self._saved_note = ""
        self._state = ""
        self._pending = False
        self.setObjectName("itemCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(editable)
        self.setAccessibleName(f"{item.code} {item.text}")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self._layout.setSpacing(4)
        self.text_view = ItemText(item, self)
        self._layout.addWidget(self.text_view)
        self.control: AnswerControl = make_control(item, self)
        self.control.committed.connect(lambda value: self.answered.emit(self.code, value, False))
        self.control.set_editable(editable)
        self._layout.addWidget(self.control)

    # ---- painting (no style sheet: cards must be cheap) ------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        focused = self.hasFocus()
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        painter.setPen(QPen(QColor("#1565c0" if focused else "#d5d9e0"), 2 if focused else 1))
        painter.setBrush(QColor("#f3f8fd" if focused else "white"))
        painter.drawRoundedRect(rect, 5, 5)
        bar = "#f9a825" if self._pending else {"fail": "#c62828", "done": "#66bb6a"}.get(self._state)
        if bar:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(bar))
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), 5, rect.height()), 2, 2)
        painter.end()

    def focusInEvent(self, event: Any) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        self.update()
        super().focusOutEvent(event)

    # ---- state ---------------------------------------------------------------------------------------
    @property
    def answer(self) -> Answer | None:
        return self._answer

    def result(self) -> Result | None:
        return self.item.judge(self._answer.value if self._answer else None)

    @property
    def pending(self) -> bool:
        """Whether the answer or note shown waits to be stored (the database is busy; it is retried)."""
        return self._pending

    def set_pending(self, pending: bool) -> None:
        """Mark the card (amber bar, tooltip) while its change waits for a busy database."""
        if pending != self._pending:
            self._pending = pending
            self.setToolTip("此项修改尚未保存：数据库正被占用，正在自动重试" if pending else "")
            self.update()

    def evidence(self) -> FailureEvidence:
        """The note and photo the shown answer needs (core's rule)."""
        return failure_evidence(self.item, self._answer)

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.setAcceptDrops(editable)
        self.control.set_editable(editable)
        if self._details is not None:
            self._details.note.setReadOnly(not editable)
            self._details.photos.set_editable(editable)

    def set_answer(self, answer: Answer | None) -> None:
        """Show ``answer`` (no signals) and the note/photo fields the result requires."""
        self._answer = answer
        self.control.set_value(answer.value if answer else None)
        failing = self.result() is Result.NONCOMPLIANT
        note = answer.note if answer else ""
        photos = list(answer.photos) if answer else []
        evidence = self.evidence()
        state = "fail" if failing else ("done" if answer and answer.value else "")
        if state != self._state:
            self._state = state
            self.update()
        if not (failing or note or photos) and self._details is None:
            return
        details = self._ensure_details()
        if failing or note or photos:
            details.show()
        elif not details.isHidden():
            hide_keeping_focus(details, self)
        if details.note.text() != note and not details.note.hasFocus():
            details.note.setText(note)
        self._saved_note = note if not details.note.hasFocus() else self._saved_note
        required = evidence.note_required
        details.note.setPlaceholderText("不符合情况说明（必填）" if required else "情况说明（选填）")
        details.note.setProperty("required", "true" if evidence.note_missing else "false")
        repolish(details.note)
        details.photo_hint.setText("需拍照取证：请添加现场照片" if evidence.photo_missing else "")
        details.photo_hint.setVisible(evidence.photo_missing)
        details.photos.set_photos(photos)

    def _ensure_details(self) -> FailDetails:
        if self._details is None:
            details = FailDetails(self._loader, self)
            details.note.setReadOnly(not self._editable)
            details.photos.set_editable(self._editable)
            details.note.textEdited.connect(self._note_typed)
            details.note.editingFinished.connect(self.flush_note)
            details.note.leave.connect(self._leave_note)
            details.photos.add_requested.connect(lambda: self.add_photos_requested.emit(self.code))
            details.photos.remove_requested.connect(
                lambda sha: self.photo_remove_requested.emit(self.code, sha)
            )
            self._layout.addWidget(details)
            self._details = details
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(TYPING_SAVE_MS)
            timer.timeout.connect(self.flush_note)
            self._note_timer = timer
        return self._details

    @property
    def details(self) -> FailDetails:
        return self._ensure_details()

    def has_visible_details(self) -> bool:
        return self._details is not None and not self._details.isHidden()

    def set_photo_busy(self, delta: int) -> None:
        self._ensure_details().setVisible(True)
        self._ensure_details().photos.set_busy(delta)

    # ---- note ----------------------------------------------------------------------------------------
    def _note_typed(self, _text: str) -> None:
        if self._note_timer is not None:
            self._note_timer.start()

    def flush_note(self) -> None:
        """Save the note if it changed (after a pause in typing, on Enter, or when leaving the field)."""
        if self._details is None or not self._editable:
            return
        if self._note_timer is not None:
            self._note_timer.stop()
        text = self._details.note.text()
        if text != self._saved_note:
            self._saved_note = text
            self.note_saved.emit(self.code, text)

    def flush(self) -> None:
        self.control.flush()
        self.flush_note()

    def _leave_note(self, step: int) -> None:
        self.flush_note()
        if step:
            self.move_requested.emit(step)
        else:
            self.setFocus()

    def focus_note(self) -> None:
        details = self._ensure_details()
        details.setVisible(True)
        details.note.setFocus()

    # ---- keyboard and drops ------------------------------------------------------------------------
    def _keys_are_mine(self) -> bool:
        """Whether a key was typed on the card itself (not bubbled up from its note or field). Asks the
        window's focus widget, which is right even while the window is not the active one."""
        return self.window().focusWidget() in (self, None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not (
            event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        )
        mine = self._keys_are_mine()
        if self._editable and plain and mine:
            value = self.control.value_for_key(event)
            if value is not None:
                self.answered.emit(self.code, value, True)
                return
            if key == Qt.Key.Key_P:
                self.add_photos_requested.emit(self.code)
                return
        # J/K only on the card itself: inside a text field they are letters.
        down = key == Qt.Key.Key_Down or (key == Qt.Key.Key_J and mine)
        up = key == Qt.Key.Key_Up or (key == Qt.Key.Key_K and mine)
        if plain and (down or up):
            self.move_requested.emit(1 if down else -1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mine:
            if self.has_visible_details() and self._editable:
                self.focus_note()
            else:
                self.control.start_editing()
            return
        if mine and plain and self._editable and event.text().isprintable() and event.text().strip():
            # Typing on a number/text item goes straight into its field.
            field = self.focusWidget() if self.control.start_editing() else None
            if field is not None and field is not self:
                QApplication.sendEvent(field, QKeyEvent(event.type(), key, event.modifiers(), event.text()))
                return
        super().keyPressEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._editable and image_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = image_paths(event.mimeData())
        if self._editable and paths:
            event.acceptProposedAction()
            self.photos_dropped.emit(self.code, [str(p) for p in paths])
