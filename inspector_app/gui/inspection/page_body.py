"""The shared frame of the editor's scrolling pages: a body widget with the usual margins and a heading."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget


def page_body(area: QScrollArea, heading: str) -> tuple[QWidget, QVBoxLayout]:
    """Make ``area`` resizable and give it a body with a heading; returns the body and its layout.

    The caller adds its content to the layout and calls ``area.setWidget(body)`` when done.
    """
    area.setWidgetResizable(True)
    body = QWidget(area)
    body.setObjectName("pageBody")
    layout = QVBoxLayout(body)
    layout.setContentsMargins(12, 8, 12, 12)
    layout.setSpacing(8)
    title = QLabel(heading, body)
    title.setObjectName("sectionHeading")
    layout.addWidget(title)
    return body, layout
