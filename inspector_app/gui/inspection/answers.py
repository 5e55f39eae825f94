"""Answer inputs for every item type: segmented buttons (tri / yesno / choice), number, date and text fields.

Each control shows an answer with :meth:`set_value` (no signal) and reports the user's answer through
``committed(value)``; ``""`` means "cleared". Controls are light: a handful of child widgets each, so a
60-item checklist builds quickly.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDoubleValidator,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from inspector_app.core.checklist import NO, YES, AnswerType, Item, Result

NA = Result.NOT_APPLICABLE.value
#: Debounce for typed answers (number/text): saved this long after the last keystroke, or on leaving the field.
TYPING_SAVE_MS = 400
#: QDateEdit cannot be empty: its minimum date shows as "未填写" and means "no answer".
DATE_UNSET = QDate(1900, 1, 1)


def _fmt(number: float) -> str:
    return f"{number:g}"


def range_hint(item: Item) -> str:
    """ "合格范围 a–b 单位" style text for number items ('' when unbounded)."""
    unit = item.unit
    if item.min is not None and item.max is not None:
        return f"合格范围 {_fmt(item.min)}–{_fmt(item.max)}{unit}"
    if item.min is not None:
        return f"合格：不低于 {_fmt(item.min)}{unit}"
    if item.max is not None:
        return f"合格：不高于 {_fmt(item.max)}{unit}"
    return ""


class AnswerControl(QWidget):
    """Base of the inputs. Signals: ``committed(value)`` when the user gives (or clears) an answer."""

    committed = Signal(str)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item

    def _row(self) -> QHBoxLayout:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        return layout

    def set_value(self, value: str | None) -> None:
        raise NotImplementedError

    def value_for_key(self, event: QKeyEvent) -> str | None:
        """The answer a key press on the item means (``None``: not an answer key for this control)."""
        return None

    def start_editing(self) -> bool:
        """Move focus into a text field, if the control has one."""
        return False

    def flush(self) -> None:
        """Commit a value still being typed."""

    def set_editable(self, editable: bool) -> None:
        self.setEnabled(editable)


#: Segment colours when chosen: (background, border).
TONES = {
    "ok": ("#2e7d32", "#1b5e20"),
    "fail": ("#c62828", "#8e0000"),
    "na": ("#616161", "#424242"),
    "plain": ("#1565c0", "#0d47a1"),
}
SEGMENT_HEIGHT = 28
SEGMENT_PAD = 14
SEGMENT_GAP = 6


class ButtonsControl(AnswerControl):
    """Segmented choice painted as one widget (cheap to create); digits 1…n pick a segment, Y/N pick 是/否.

    Segments show their shortcut digit. The control takes no focus: the item card handles the keys.
    """

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._values = list(item.allowed_values() or ())
        self._labels = [f"{i + 1} {v}" if i < 9 else v for i, v in enumerate(self._values)]
        self._tones = [self._tone(item, v) for v in self._values]
        self._value: str | None = None
        self._hover = -1
        self._rects: list[QRect] = []
        self._font_key = ""
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(f"{item.code} 检查结论")
        self.setToolTip("　".join(f"{i + 1} = {v}" for i, v in enumerate(self._values[:9])))
        self._layout_segments()

    @staticmethod
    def _tone(item: Item, value: str) -> str:
        if value == NA:
            return "na"
        if item.type is AnswerType.CHOICE:
            return "fail" if any(c.fail and c.value == value for c in item.choices) else "plain"
        return "fail" if value in (Result.NONCOMPLIANT.value, NO) else "ok"

    def _layout_segments(self) -> None:
        key = self.font().key()
        if key == self._font_key:
            return
        self._font_key = key
        metrics = QFontMetrics(self.font())
        x = 0
        self._rects = []
        for label in self._labels:
            width = metrics.horizontalAdvance(label) + 2 * SEGMENT_PAD
            self._rects.append(QRect(x, 1, width, SEGMENT_HEIGHT - 2))
            x += width + SEGMENT_GAP
        self._width = max(0, x - SEGMENT_GAP) + 1

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._layout_segments()
            self.updateGeometry()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(self._width, SEGMENT_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def values(self) -> list[str]:
        return list(self._values)

    def value(self) -> str | None:
        return self._value

    def segment_rect(self, value: str) -> QRect:
        """Where the segment of ``value`` is drawn (for tests that click it)."""
        return QRect(self._rects[self._values.index(value)])

    def set_value(self, value: str | None) -> None:
        self._value = value
        self.setAccessibleDescription(value or "未作答")
        self.update()

    def _hit(self, pos: QPoint) -> int:
        return next((i for i, rect in enumerate(self._rects) if rect.contains(pos)), -1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._hit(event.position().toPoint())
        if index < 0 or not self.isEnabled() or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        value = self._values[index]
        self.set_value(value)
        self.committed.emit(value)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hover = self._hit(event.position().toPoint())
        if hover != self._hover:
            self._hover = hover
            self.setCursor(Qt.CursorShape.PointingHandCursor if hover >= 0 else Qt.CursorShape.ArrowCursor)
            self.update()

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = -1
        self.update()
        super().leaveEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        enabled = self.isEnabled()
        for index, rect in enumerate(self._rects):
            chosen = self._values[index] == self._value
            if chosen:
                background, border = (QColor(c) for c in TONES[self._tones[index]])
                if not enabled:
                    background = background.lighter(125)
                text = QColor("white")
            else:
                background = QColor("#e3e8ed" if index == self._hover and enabled else "#f7f8fa")
                border = QColor("#9aa5b1" if enabled else "#c5cbd1")
                text = QColor("#263238" if enabled else "#9e9e9e")
            painter.setPen(QPen(border, 1))
            painter.setBrush(background)
            painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
            painter.setPen(text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._labels[index])
        painter.end()

    def value_for_key(self, event: QKeyEvent) -> str | None:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            index = key - Qt.Key.Key_1
            return self._values[index] if index < len(self._values) else None
        if key == Qt.Key.Key_Y and YES in self._values:
            return YES
        if key == Qt.Key.Key_N and NO in self._values:
            return NO
        return None


class FieldControl(AnswerControl):
    """A typed answer (number/date/text) with an optional 不适用 toggle; saved after a short pause."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._na: QPushButton | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_SAVE_MS)
        self._timer.timeout.connect(self.flush)
        self._last = ""
        self._layout = self._row()
        self._build_field()
        if item.allow_na:
            self._na = QPushButton(NA, self)
            self._na.setCheckable(True)
            self._na.setToolTip("本项不适用（合理缺项）")
            self._na.toggled.connect(self._na_toggled)
            self._layout.addWidget(self._na)
        self._layout.addStretch(1)

    def _build_field(self) -> None:
        raise NotImplementedError

    def _field_value(self) -> str:
        raise NotImplementedError

    def _show_field_value(self, value: str) -> None:
        raise NotImplementedError

    def _field_widget(self) -> QWidget:
        raise NotImplementedError

    def set_value(self, value: str | None) -> None:
        self._timer.stop()
        is_na = value == NA
        self._last = value or ""
        if self._na is not None:
            self._na.blockSignals(True)
            self._na.setChecked(is_na)
            self._na.blockSignals(False)
        self._field_widget().setEnabled(not is_na)
        self._show_field_value("" if is_na else (value or ""))

    def _na_toggled(self, checked: bool) -> None:
        self._field_widget().setEnabled(not checked)
        value = NA if checked else self._field_value()
        if not checked:
            self._field_widget().setFocus()
        self._emit(value)

    def _edited(self, *_args: object) -> None:
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._na is not None and self._na.isChecked():
            return
        self._emit(self._field_value())

    def _emit(self, value: str) -> None:
        if value != self._last:
            self._last = value
            self.committed.emit(value)

    def start_editing(self) -> bool:
        field = self._field_widget()
        if field.isEnabled():
            field.setFocus()
            return True
        return False


class NumberControl(FieldControl):
    """A measured number with its unit and the passing range; outside the range counts as 不符合."""

    def _build_field(self) -> None:
        self._edit = QLineEdit(self)
        self._edit.setPlaceholderText("输入数值")
        self._edit.setFixedWidth(120)
        validator = QDoubleValidator(self._edit)
        validator.setLocale(QLocale.c())
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        self._edit.setValidator(validator)
        self._edit.textEdited.connect(self._edited)
        self._edit.editingFinished.connect(self.flush)
        self._layout.addWidget(self._edit)
        hint = " ".join(x for x in (self.item.unit, range_hint(self.item)) if x)
        if hint:
            label = QLabel(hint, self)
            label.setProperty("role", "hint")
            self._layout.addWidget(label)

    def _field_value(self) -> str:
        text = self._edit.text().strip()
        try:
            float(text)
        except ValueError:
            return ""
        return text

    def _show_field_value(self, value: str) -> None:
        self._edit.setText(value)

    def _field_widget(self) -> QWidget:
        return self._edit


class TextControl(FieldControl):
    """Free text, recorded but not judged."""

    def _build_field(self) -> None:
        self._edit = QLineEdit(self)
        self._edit.setPlaceholderText("填写检查情况")
        self._edit.setMinimumWidth(360)
        self._edit.textEdited.connect(self._edited)
        self._edit.editingFinished.connect(self.flush)
        self._layout.addWidget(self._edit, 1)

    def _field_value(self) -> str:
        return self._edit.text().strip()

    def _show_field_value(self, value: str) -> None:
        self._edit.setText(value)

    def _field_widget(self) -> QWidget:
        return self._edit


class _DateEdit(QDateEdit):
    """A date edit whose calendar opens on the current month while the date is still 未填写."""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        if self.date() == DATE_UNSET and self.calendarWidget() is not None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())


class DateControl(FieldControl):
    """A date (YYYY-MM-DD), recorded but not judged; the earliest date shows as 未填写."""

    def _build_field(self) -> None:
        self._edit = _DateEdit(self)
        self._edit.setDisplayFormat("yyyy-MM-dd")
        self._edit.setCalendarPopup(True)
        self._edit.setMinimumDate(DATE_UNSET)
        self._edit.setSpecialValueText("未填写")
        self._edit.setDate(DATE_UNSET)
        self._edit.dateChanged.connect(self._edited)
        self._edit.editingFinished.connect(self.flush)
        self._layout.addWidget(self._edit)

    def _field_value(self) -> str:
        chosen = self._edit.date()
        return "" if chosen == DATE_UNSET else chosen.toString("yyyy-MM-dd")

    def _show_field_value(self, value: str) -> None:
        self._edit.blockSignals(True)
        parsed = QDate.fromString(value, "yyyy-MM-dd") if value else DATE_UNSET
        self._edit.setDate(parsed if parsed.isValid() else DATE_UNSET)
        self._edit.blockSignals(False)

    def _field_widget(self) -> QWidget:
        return self._edit


class ComboControl(AnswerControl):
    """A long list of choices as a drop-down (buttons would not fit)."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self._layout = self._row()
        self._combo = QComboBox(self)
        self._combo.addItem("请选择", "")
        for value in item.allowed_values() or ():
            self._combo.addItem(value, value)
        self._combo.activated.connect(lambda i: self.committed.emit(str(self._combo.itemData(i))))
        self._layout.addWidget(self._combo)
        self._layout.addStretch(1)

    def set_value(self, value: str | None) -> None:
        index = self._combo.findData(value or "")
        self._combo.setCurrentIndex(max(index, 0))

    def start_editing(self) -> bool:
        self._combo.setFocus()
        return True


#: Choice items with more options than this use a drop-down.
MAX_CHOICE_BUTTONS = 6


def make_control(item: Item, parent: QWidget | None = None) -> AnswerControl:
    """The input that suits ``item.type``."""
    if item.type in (AnswerType.TRI, AnswerType.YESNO):
        return ButtonsControl(item, parent)
    if item.type is AnswerType.CHOICE:
        many = len(item.allowed_values() or ()) > MAX_CHOICE_BUTTONS
        return ComboControl(item, parent) if many else ButtonsControl(item, parent)
    if item.type is AnswerType.NUMBER:
        return NumberControl(item, parent)
    if item.type is AnswerType.DATE:
        return DateControl(item, parent)
    return TextControl(item, parent)
