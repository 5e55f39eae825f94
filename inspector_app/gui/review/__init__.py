"""The supervisor's review GUI: :class:`ReviewPage` (the 审核 page) and the reusable :class:`PdfViewer`."""

from __future__ import annotations

from inspector_app.gui.review.page import ReviewPage
from inspector_app.gui.review.pdf_viewer import PdfViewer

__all__ = ["PdfViewer", "ReviewPage"]
