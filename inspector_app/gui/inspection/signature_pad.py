"""A signature pad: smooth ink from mouse, pen (tablet events with pressure) or touch; exported as PNG bytes.

Strokes are kept as point lists (position + pressure) and drawn as quadratic curves through the midpoints of
successive samples, so a jittery mouse still gives a smooth line. Export trims to the ink and renders at 2×
for a crisp print on the PDF record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor(20, 30, 90)
BASE_WIDTH = 2.6


@dataclass
class Stroke:
    """One continuous line: sample points and their pressure (1.0 for mouse and touch)."""

    points: list[QPointF] = field(default_factory=list)
    pressures: list[float] = field(default_factory=list)

    def add(self, point: QPointF, pressure: float) -> None:
        if self.points and (self.points[-1] - point).manhattanLength() < 0.5:
            return  # ignore repeats: they only make the curve lumpy
        self.points.append(QPointF(point))
        self.pressures.append(max(0.1, min(1.0, pressure)))


def _width(pressure: float) -> float:
    return BASE_WIDTH * (0.45 + 0.9 * pressure)


def paint_strokes(painter: QPainter, strokes: list[Stroke]) -> None:
    """Draw ``strokes`` with round caps; each segment is a quadratic curve between sample midpoints."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for stroke in strokes:
        pts = stroke.points
        if not pts:
            continue
        if len(pts) == 1:  # a dot
            w = _width(stroke.pressures[0])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            painter.drawEllipse(pts[0], w / 2, w / 2)
            continue
        start = pts[0]
        for i in range(1, len(pts)):
            end = (pts[i] + pts[i + 1]) / 2 if i + 1 < len(pts) else pts[i]
            path = QPainterPath(start)
            path.quadTo(pts[i], end)
            pen = QPen(INK, _width(stroke.pressures[i]), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            start = end


def ink_bounds(strokes: list[Stroke]) -> QRectF:
    """The rectangle covering all ink, pen width included (a null rectangle when there is no ink)."""
    points = [p for stroke in strokes for p in stroke.points]
    if not points:
        return QRectF()
    xs = [p.x() for p in points]
    ys = [p.y() for p in points]
    pad = BASE_WIDTH * 1.5
    return QRectF(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)


class SignaturePad(QWidget):
    """A drawing surface for one signature.

    Signals: ``changed()`` after every finished stroke and after :meth:`clear`.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, placeholder: str = "请在此处签名") -> None:
        super().__init__(parent)
        self._strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._placeholder = placeholder
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 110)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName("签名板")

    def sizeHint(self) -> QSize:
        return QSize(360, 150)

    # ---- state -------------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not any(s.points for s in self._strokes)

    def stroke_count(self) -> int:
        return len(self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self.update()
        self.changed.emit()

    # ---- input -------------------------------------------------------------------------------------
    def _begin(self, pos: QPointF, pressure: float) -> None:
        self._current = Stroke()
        self._current.add(pos, pressure)
        self._strokes.append(self._current)
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is not None:
            self._current.add(pos, pressure)
            self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.update()
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), 1.0)
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), 1.0)
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position(), 1.0)
            self._end()
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        pressure = event.pressure() if event.pressure() > 0 else 0.5
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()  # accepted: Qt does not also synthesise mouse events

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(pos, 1.0)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(pos, 1.0)
                else:
                    self._extend(pos, 1.0)
                    self._end()
            event.accept()
            return True
        if kind == QEvent.Type.TouchCancel:
            self._end()
            event.accept()
            return True
        return super().event(event)

    # ---- painting ----------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        baseline_y = self.height() - 28
        painter.setPen(QPen(QColor(190, 190, 200), 1, Qt.PenStyle.DashLine))
        painter.drawLine(16, baseline_y, self.width() - 16, baseline_y)
        if self.is_empty():
            painter.setPen(QColor(150, 150, 160))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._placeholder)
        paint_strokes(painter, self._strokes)
        border = self.palette().highlight().color() if self.hasFocus() else QColor(170, 170, 180)
        painter.setPen(QPen(border, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    # ---- export ------------------------------------------------------------------------------------
    def to_image(self, *, white: bool = False, trim: bool = True, scale: float = 2.0) -> QImage:
        """Render the ink to an image: trimmed to the ink (plus a small margin) or the whole pad."""
        area = ink_bounds(self._strokes) if trim else QRectF(self.rect())
        if area.isEmpty():
            area = QRectF(0, 0, 1, 1)
        size = QSize(max(1, round(area.width() * scale)), max(1, round(area.height() * scale)))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white") if white else Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.scale(scale, scale)
        painter.translate(-area.topLeft())
        paint_strokes(painter, self._strokes)
        painter.end()
        return image

    def to_png(self, *, white: bool = False, trim: bool = True, scale: float = 2.0) -> bytes:
        """PNG bytes of :meth:`to_image`; raises ``ValueError`` when nothing has been drawn."""
        if self.is_empty():
            raise ValueError("signature pad is empty")
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image = self.to_image(white=white, trim=trim, scale=scale)
        # PySide6's stub types the format as bytes, but the binding accepts only str.
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        buffer.close()
        return bytes(data.data())
