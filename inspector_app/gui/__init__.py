"""The desktop app (PySide6): the only package that imports Qt.

Widgets are dumb — setters in, a few past-tense signals out — and call services, never SQL. Start-up is
lazy: pages, the inspection editor and heavy libraries (reportlab, openpyxl, pypinyin) load on first use.
"""
