"""The 审核 page entry for the main window's page list (the page itself lives in :mod:`inspector_app.gui.review`)."""

from __future__ import annotations

from inspector_app.gui.review.page import ReviewPage

__all__ = ["ReviewPage"]
