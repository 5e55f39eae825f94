"""Printed inspection records (现场检查记录): content as plain data (:mod:`.content`), PDF rendering (:mod:`.pdf`).

``content`` is pure (no reportlab) and fully tested; ``pdf`` only lays that data out, so what a record *says*
and how it *looks* are tested separately.
"""

from inspector_app.reports.content import build_report, qr_payload
from inspector_app.reports.model import ReportData

__all__ = ["ReportData", "build_report", "qr_payload"]
