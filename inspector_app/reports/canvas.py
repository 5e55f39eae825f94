"""A reportlab canvas that knows the page count: pages are collected and their furniture (headers, footers,
"第 X 页 共 Y 页") is drawn when the document is saved. Shared by the record and the published-draw PDFs."""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas


class PageTotalCanvas(Canvas):
    """Subclasses draw one page's furniture in :meth:`draw_furniture` (``number`` of ``total``).

    ``pdf_date`` is the creation date written into the PDF (fixed, so the same content gives the same bytes).
    """

    def __init__(self, *args: Any, pdf_date: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self.setDateFormatter(lambda *_: pdf_date)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.draw_furniture(number, total)
            super().showPage()
        super().save()

    def draw_furniture(self, number: int, total: int) -> None:
        raise NotImplementedError
