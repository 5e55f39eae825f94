"""A PDF opened with pypdfium2 and rendered page by page to :class:`QImage` (safe to call off the UI thread).

PDFium is not thread-safe, so every call into it, from any thread and any viewer, holds :data:`PDFIUM_LOCK`.
``QImage`` (unlike ``QPixmap``) may be created on a worker thread; the viewer turns it into a pixmap on the
UI thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

from inspector_app.core.errors import InspectorError

#: Serialises every PDFium call in the process.
PDFIUM_LOCK = threading.Lock()

#: Largest rendered side in pixels (a 1000% zoom on a big page must not allocate gigabytes).
MAX_SIDE_PX = 8000


class PdfOpenError(InspectorError):
    """The bytes are not a readable PDF (message in Chinese)."""


@dataclass(frozen=True)
class RenderedPage:
    """One rendered page: its index, the scale used (pixels per PDF point) and the image."""

    index: int
    scale: float
    image: QImage


class PdfSource:
    """An open PDF document: page sizes in points and page rendering. Close it when done."""

    def __init__(self, data: bytes) -> None:
        if not data:
            raise PdfOpenError("PDF 内容为空，无法显示")
        self._data = data  # PDFium reads from this buffer: keep it alive as long as the document
        try:
            with PDFIUM_LOCK:
                self._doc = pdfium.PdfDocument(data)
                self.page_sizes: list[tuple[float, float]] = []
                for i in range(len(self._doc)):
                    page = self._doc[i]
                    width, height = page.get_size()
                    self.page_sizes.append((float(width), float(height)))
                    page.close()
        except pdfium.PdfiumError as exc:
            raise PdfOpenError(f"无法打开 PDF：{exc}。文件可能已损坏，请重新生成") from exc
        self._closed = False

    @property
    def page_count(self) -> int:
        return len(self.page_sizes)

    def render(self, index: int, scale: float) -> RenderedPage:
        """Render page ``index`` (0-based) at ``scale`` pixels per point, white background."""
        if not 0 <= index < self.page_count:
            raise InspectorError(f"PDF 没有第 {index + 1} 页（共 {self.page_count} 页）")
        width, height = self.page_sizes[index]
        scale = min(scale, MAX_SIDE_PX / max(width, height, 1.0))
        with PDFIUM_LOCK:
            if self._closed:
                raise InspectorError("PDF 已关闭")
            page = self._doc[index]
            try:
                bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)
                image = QImage(
                    bytes(bitmap.buffer),
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    QImage.Format.Format_RGBX8888,
                ).copy()  # copy: the QImage must own its pixels once the bitmap is freed
                bitmap.close()
            finally:
                page.close()
        return RenderedPage(index, scale, image)

    def close(self) -> None:
        with PDFIUM_LOCK:
            if not self._closed:
                self._closed = True
                self._doc.close()
