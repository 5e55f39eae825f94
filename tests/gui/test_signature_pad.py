"""The signature pad: mouse, pen and touch input draw strokes; export gives trimmed PNG bytes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.gui.inspection.signature_pad import SignaturePad, ink_bounds

pytestmark = pytest.mark.gui


def draw(pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """One mouse stroke through ``points`` (press, moves, release)."""
    first, *rest = [QPoint(x, y) for x, y in points]
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, first)
    for point in rest:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(
        pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rest[-1] if rest else first
    )


@pytest.fixture
def pad(qtbot):
    widget = SignaturePad()
    widget.resize(400, 180)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_pad_starts_empty_and_refuses_to_export(pad):
    assert pad.is_empty()
    with pytest.raises(ValueError):
        pad.to_png()


def test_mouse_stroke_draws_ink_and_emits_changed(qtbot, pad):
    with qtbot.waitSignal(pad.changed):
        draw(pad, [(40, 60), (80, 90), (120, 70), (160, 100)])
    assert not pad.is_empty()
    assert pad.stroke_count() == 1
    assert len(pad._strokes[0].points) == 4


def test_png_is_trimmed_to_the_ink_with_transparent_background(pad):
    draw(pad, [(100, 50), (150, 80), (200, 60)])
    image = QImage.fromData(pad.to_png())
    bounds = ink_bounds(pad._strokes)
    assert image.width() == round(bounds.width() * 2)
    assert image.height() == round(bounds.height() * 2)
    assert image.width() < pad.width() * 2  # trimmed, not the whole pad
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0
    ink = [image.pixelColor(x, y).alpha() for x in range(image.width()) for y in range(image.height())]
    assert max(ink) == 255  # there is solid ink in it


def test_png_with_white_background_is_opaque(pad):
    draw(pad, [(30, 30), (90, 90)])
    image = QImage.fromData(pad.to_png(white=True))
    corner = image.pixelColor(0, 0)
    assert (corner.red(), corner.green(), corner.blue(), corner.alpha()) == (255, 255, 255, 255)


def test_untrimmed_png_covers_the_whole_pad(pad):
    draw(pad, [(30, 30), (90, 90)])
    image = QImage.fromData(pad.to_png(trim=False, scale=1.0))
    assert (image.width(), image.height()) == (pad.width(), pad.height())


def test_clear_removes_all_strokes(qtbot, pad):
    draw(pad, [(30, 30), (90, 90)])
    draw(pad, [(130, 30), (190, 90)])
    assert pad.stroke_count() == 2
    with qtbot.waitSignal(pad.changed):
        pad.clear()
    assert pad.is_empty()


def test_a_click_without_moving_leaves_a_dot(pad):
    draw(pad, [(50, 50)])
    assert not pad.is_empty()
    assert QImage.fromData(pad.to_png()).width() > 0


def _pen() -> QPointingDevice:
    return QPointingDevice(
        "pen",
        1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        3,
    )


def _tablet(device: QPointingDevice, kind: QEvent.Type, pos: QPointF, pressure: float) -> QTabletEvent:
    buttons = Qt.MouseButton.LeftButton if kind != QEvent.Type.TabletRelease else Qt.MouseButton.NoButton
    return QTabletEvent(
        kind,
        device,
        pos,
        pos,
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        Qt.KeyboardModifier.NoModifier,
        Qt.MouseButton.LeftButton,
        buttons,
    )


def test_pen_input_records_pressure(qtbot, pad):
    device = _pen()  # must outlive the events that point at it
    with qtbot.waitSignal(pad.changed):
        for kind, x, pressure in [
            (QEvent.Type.TabletPress, 40, 0.2),
            (QEvent.Type.TabletMove, 80, 0.6),
            (QEvent.Type.TabletMove, 120, 0.9),
            (QEvent.Type.TabletRelease, 120, 0.0),
        ]:
            QApplication.sendEvent(pad, _tablet(device, kind, QPointF(x, 60), pressure))
    assert pad.stroke_count() == 1
    assert pad._strokes[0].pressures == [0.2, 0.6, 0.9]


def test_touch_input_draws_a_stroke(qtbot, pad):
    device = QTest.createTouchDevice()
    with qtbot.waitSignal(pad.changed):
        QTest.touchEvent(pad, device).press(0, QPoint(40, 40))
        QTest.touchEvent(pad, device).move(0, QPoint(90, 70))
        QTest.touchEvent(pad, device).move(0, QPoint(140, 50))
        QTest.touchEvent(pad, device).release(0, QPoint(140, 50))
    assert pad.stroke_count() == 1
    assert len(pad._strokes[0].points) >= 3
