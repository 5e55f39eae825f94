"""An in-app PDF viewer: pages rendered with pypdfium2 off the UI thread, zoom, fit-width and page navigation.

Reusable anywhere (the review page, the inspection editor's "生成/打印 PDF")::

    viewer = PdfViewer(parent)
    viewer.set_pdf(pdf_bytes, "JM-3F2A-2026-000001.pdf")   # opens and renders in the background

Keys (while the viewer has focus): PgDn/PgUp next/previous page, Home/End first/last page, Ctrl++ / Ctrl+-
zoom, Ctrl+0 fit width; Ctrl+wheel zooms; the wheel past the end of a page turns the page.
See docs/ARCHITECTURE.md "## PDF viewer" for why pypdfium2 and not QtPdf.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QResizeEvent, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.gui.review.pdf_source import PdfSource, RenderedPage
from inspector_app.gui.workers import LatestOnlyRunner, run_task

#: Zoom steps (1.0 = 100 %: one PDF point is 96/72 screen pixels, i.e. paper size on a 96-dpi screen).
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
POINT_TO_PX = 96 / 72
PAGE_MARGIN = 12
_CACHE_PAGES = 8


def _render(source: PdfSource, index: int, scale: float) -> RenderedPage:
    return source.render(index, scale)


class PdfViewer(QWidget):
    """Shows one page at a time of a PDF given as bytes.

    Setters: :meth:`set_pdf`, :meth:`set_message`, :meth:`clear`; navigation :meth:`go_to`, :meth:`next_page`,
    :meth:`previous_page`; zoom :meth:`zoom_in`, :meth:`zoom_out`, :meth:`set_zoom`, :meth:`fit_width`.
    Signals: ``opened(page_count)`` once a document is open, ``page_changed(index, count)`` (0-based index),
    ``rendered(index)`` when a page image is on screen, ``failed(message)`` (Chinese).
    """

    opened = Signal(int)
    page_changed = Signal(int, int)
    rendered = Signal(int)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, allow_save: bool = True) -> None:
        super().__init__(parent)
        self._source: PdfSource | None = None
        self._data = b""
        self._name = ""
        self._page = 0
        self._zoom = 1.0
        self._fit = True
        self._open_generation = 0
        self._wheel_accumulated = 0
        self._cache: OrderedDict[tuple[int, float], RenderedPage] = OrderedDict()
        self._renderer = LatestOnlyRunner(_render, self)
        self._renderer.resulted.connect(self._show_rendered)
        self._renderer.failed.connect(self._fail)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(80)
        self._refit.timeout.connect(self._request_render)
        self._build(allow_save)
        self._bind_keys()
        self._update_controls()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("PDF 预览")

    # -- construction --------------------------------------------------------------------------------

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build(self, allow_save: bool) -> None:
        self.prev_button = self._button("上一页", "上一页（PgUp）", self.previous_page)
        self.next_button = self._button("下一页", "下一页（PgDn）", self.next_page)
        self.page_label = QLabel()
        self.page_label.setMinimumWidth(110)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_out_button = self._button("缩小", "缩小（Ctrl+-）", self.zoom_out)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(64)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = self._button("放大", "放大（Ctrl++）", self.zoom_in)
        self.fit_button = self._button("适合宽度", "适合宽度（Ctrl+0）", self.fit_width)
        self.fit_button.setCheckable(True)
        self.save_button = self._button("另存为…", "将 PDF 另存为文件", self._save_as)
        self.save_button.setVisible(allow_save)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for widget in (self.prev_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        self.canvas = QLabel()
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.canvas.setWordWrap(True)
        self.canvas.setObjectName("pdfCanvas")
        self.canvas.setStyleSheet(
            f"#pdfCanvas {{ background: #8a9299; color: white; padding: {PAGE_MARGIN}px; }}"
        )
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.canvas)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)
        self.set_message("未选择文件")

    def _bind_keys(self) -> None:
        bindings = [
            (QKeySequence(Qt.Key.Key_PageDown), self.next_page),
            (QKeySequence(Qt.Key.Key_PageUp), self.previous_page),
            (QKeySequence(Qt.Key.Key_Home), self.first_page),
            (QKeySequence(Qt.Key.Key_End), self.last_page),
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (QKeySequence("Ctrl+="), self.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out),
            (QKeySequence("Ctrl+0"), self.fit_width),
        ]
        for sequence, slot in bindings:
            shortcut = QShortcut(sequence, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- public API ----------------------------------------------------------------------------------

    def set_pdf(self, data: bytes, name: str = "") -> None:
        """Open ``data`` (PDF bytes) in the background and show page 1."""
        self._open_generation += 1
        generation = self._open_generation
        self._close_source()
        self._data, self._name = data, name
        self.set_message("正在打开 PDF…")
        run_task(
            PdfSource,
            data,
            on_finished=lambda source: self._opened(generation, source),
            on_failed=lambda message: self._open_failed(generation, message),
        )

    def set_message(self, text: str) -> None:
        """Show a message (loading, nothing selected, an error) instead of a page."""
        self.canvas.setPixmap(QPixmap())
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.canvas.setText(text)
        self._update_controls()

    def clear(self, text: str = "未选择文件") -> None:
        self._open_generation += 1
        self._close_source()
        self._data, self._name = b"", ""
        self.set_message(text)

    def page_count(self) -> int:
        return self._source.page_count if self._source else 0

    def current_page(self) -> int:
        """The shown page, 0-based."""
        return self._page

    def zoom(self) -> float:
        return self._zoom

    def is_fit_width(self) -> bool:
        return self._fit

    def pdf_bytes(self) -> bytes:
        return self._data

    def go_to(self, index: int) -> None:
        if self._source is None:
            return
        index = max(0, min(index, self.page_count() - 1))
        if index == self._page:
            return
        self._page = index
        self.page_changed.emit(index, self.page_count())
        self._update_controls()
        self._request_render()

    def next_page(self) -> None:
        self.go_to(self._page + 1)

    def previous_page(self) -> None:
        self.go_to(self._page - 1)

    def first_page(self) -> None:
        self.go_to(0)

    def last_page(self) -> None:
        self.go_to(self.page_count() - 1)

    def set_zoom(self, zoom: float) -> None:
        self._fit = False
        self._zoom = max(ZOOM_STEPS[0], min(zoom, ZOOM_STEPS[-1]))
        self._update_controls()
        self._request_render()

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self._zoom + 1e-3), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        self.set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < self._zoom - 1e-3), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        self._fit = True
        self._zoom = self._fit_zoom()
        self._update_controls()
        self._request_render()

    # -- opening and rendering -----------------------------------------------------------------------

    def _opened(self, generation: int, source: PdfSource) -> None:
        if generation != self._open_generation:
            source.close()  # overtaken by a newer document
            return
        self._source = source
        self._page = 0
        self._cache.clear()
        if self._fit:
            self._zoom = self._fit_zoom()
        self.opened.emit(source.page_count)
        self.page_changed.emit(0, source.page_count)
        self._update_controls()
        self._request_render()

    def _open_failed(self, generation: int, message: str) -> None:
        if generation == self._open_generation:
            self._fail(message)

    def _fail(self, message: str) -> None:
        self.set_message(message)
        self.failed.emit(message)

    def _close_source(self) -> None:
        self._renderer.invalidate()
        self._cache.clear()
        if self._source is not None:
            self._source.close()
            self._source = None
        self._page = 0

    def _scale(self) -> float:
        return round(self._zoom * POINT_TO_PX * self.devicePixelRatioF(), 4)

    def _fit_zoom(self) -> float:
        if self._source is None or not self._source.page_sizes:
            return self._zoom
        page_width = self._source.page_sizes[self._page][0]
        # From the scroll area's own width (not the viewport's), so the result does not depend on whether the
        # vertical scroll bar happens to be shown right now; room for the bar is always kept.
        frame = 2 * self.scroll_area.frameWidth()
        scrollbar = self.scroll_area.verticalScrollBar().sizeHint().width()
        available = self.scroll_area.width() - frame - scrollbar - 2 * PAGE_MARGIN
        zoom = max(available, 100) / (page_width * POINT_TO_PX)
        return max(ZOOM_STEPS[0], min(zoom, ZOOM_STEPS[-1]))

    def _request_render(self) -> None:
        if self._source is None:
            return
        key = (self._page, self._scale())
        cached = self._cache.get(key)
        if cached is not None:
            self._renderer.invalidate()
            self._show_rendered(cached)
            return
        self._renderer.submit(self._source, self._page, key[1])

    def _show_rendered(self, page: RenderedPage) -> None:
        if self._source is None or page.index != self._page:
            return
        self._cache[(page.index, round(page.scale, 4))] = page
        self._cache.move_to_end((page.index, round(page.scale, 4)))
        while len(self._cache) > _CACHE_PAGES:
            self._cache.popitem(last=False)
        pixmap = QPixmap.fromImage(page.image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.canvas.setText("")
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.canvas.setPixmap(pixmap)
        self.canvas.setMinimumSize(pixmap.deviceIndependentSize().toSize())
        self.rendered.emit(page.index)

    def _update_controls(self) -> None:
        count = self.page_count()
        has = count > 0
        self.page_label.setText(f"第 {self._page + 1} 页 共 {count} 页" if has else "第 - 页 共 - 页")
        self.zoom_label.setText(f"{round(self._zoom * 100)}%")
        self.prev_button.setEnabled(has and self._page > 0)
        self.next_button.setEnabled(has and self._page < count - 1)
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button, self.save_button):
            button.setEnabled(has)
        self.fit_button.setChecked(self._fit)
        if not has:
            self.canvas.setMinimumSize(0, 0)

    # -- events --------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit and self._source is not None:
            new_zoom = self._fit_zoom()
            if abs(new_zoom - self._zoom) > 1e-3:
                self._zoom = new_zoom
                self._update_controls()
                self._refit.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Wheel:
            return self._wheel(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def _wheel(self, event: QWheelEvent) -> bool:
        delta = event.angleDelta().y()
        if self._source is None or delta == 0:
            return False
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_in() if delta > 0 else self.zoom_out()
            return True
        bar = self.scroll_area.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() if delta < 0 else bar.value() <= bar.minimum()
        if not at_end:
            self._wheel_accumulated = 0
            return False
        self._wheel_accumulated += delta
        if abs(self._wheel_accumulated) < 120:
            return True
        self._wheel_accumulated = 0
        if delta < 0 and self._page < self.page_count() - 1:
            self.next_page()
            bar.setValue(bar.minimum())
        elif delta > 0 and self._page > 0:
            self.previous_page()
            QTimer.singleShot(0, lambda: bar.setValue(bar.maximum()))
        return True

    def _save_as(self) -> None:
        if not self._data:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "PDF 另存为", self._name or "检查记录.pdf", "PDF 文件 (*.pdf)"
        )
        if not path:
            return
        try:
            Path(path).write_bytes(self._data)
        except OSError as exc:
            self._fail(f"保存失败：{exc.strerror or exc}（{path}）")
