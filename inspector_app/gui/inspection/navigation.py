"""The editor's left-hand navigation: one row per checklist section (with answered/visible counts), then the
整改要求, 签名 and 定稿 pages. A read-only list model; the counts come from a callable so the model holds no
record data of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

Index = QModelIndex | QPersistentModelIndex


class PageKind(StrEnum):
    SECTION = "section"
    ORDERS = "orders"
    SIGNATURES = "signatures"
    FINALIZE = "finalize"


@dataclass(frozen=True)
class NavEntry:
    """A row: a section (``section`` = its index) or one of the closing pages."""

    kind: PageKind
    title: str
    section: int = -1


@dataclass(frozen=True)
class SectionCounts:
    """Answered and visible items of a section, and how many still need a note/photo."""

    answered: int
    visible: int
    incomplete: int = 0

    @property
    def done(self) -> bool:
        return self.visible > 0 and self.answered == self.visible and self.incomplete == 0


KIND_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ROLE = Qt.ItemDataRole.UserRole + 2
CLOSING_PAGES = (
    NavEntry(PageKind.ORDERS, "整改要求"),
    NavEntry(PageKind.SIGNATURES, "签名"),
    NavEntry(PageKind.FINALIZE, "定稿"),
)


class NavigationModel(QAbstractListModel):
    """Rows of :class:`NavEntry`; ``counts(section_index)`` supplies the live progress of a section."""

    def __init__(self, section_titles: list[str], counts: Callable[[int], SectionCounts], parent: Any = None):
        super().__init__(parent)
        self._entries = [NavEntry(PageKind.SECTION, t, i) for i, t in enumerate(section_titles)]
        self._entries.extend(CLOSING_PAGES)
        self._counts = counts

    def entry(self, row: int) -> NavEntry:
        return self._entries[row]

    def row_of(self, kind: PageKind, section: int = -1) -> int:
        for row, entry in enumerate(self._entries):
            if entry.kind is kind and entry.section == section:
                return row
        raise KeyError(kind)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == KIND_ROLE:
            return entry.kind.value
        if role == SECTION_ROLE:
            return entry.section
        if entry.kind is not PageKind.SECTION:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"▸ {entry.title}"
            return None
        counts = self._counts(entry.section)
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "✓ " if counts.done else ""
            return f"{mark}{entry.title}　{counts.answered}/{counts.visible}"
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = f"，{counts.incomplete} 项缺少说明或照片" if counts.incomplete else ""
            return f"已答 {counts.answered} 项，共 {counts.visible} 项{extra}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry.title}，已答 {counts.answered}/{counts.visible}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if counts.incomplete:
                return QBrush(QColor("#c62828"))
            if counts.done:
                return QBrush(QColor("#2e7d32"))
        return None

    def refresh(self, section: int | None = None) -> None:
        """Repaint one section row (or all) after answers changed."""
        if not self._entries:
            return
        if section is None:
            first, last = 0, len(self._entries) - 1
        else:
            first = last = self.row_of(PageKind.SECTION, section)
        self.dataChanged.emit(self.index(first), self.index(last))
