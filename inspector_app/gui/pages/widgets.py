"""Small building blocks shared by the pages: titles, cards, tables, empty-state labels, Esc/Enter handling."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from inspector_app.gui.models.base import ID_ROLE


def title_label(text: str, name: str = "pageTitle") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    return label


def hint_label(text: str = "", name: str = "hint") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class IdTable(QTableView):
    """A read-only, row-selecting table over an id model; Enter or double-click emits ``activated_id(id)``.

    Signals: ``activated_id(str)`` when the user opened a row.
    """

    activated_id = Signal(str)

    def __init__(
        self, model: QAbstractItemModel, parent: QWidget | None = None, stretch_column: int = -1
    ) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table: keyboard users move between controls
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        # One row height for all rows: no per-row size queries when a model with many rows is reset.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        if stretch_column >= 0:
            header.setStretchLastSection(False)
        else:
            header.setStretchLastSection(True)
        self._stretch = stretch_column
        self.doubleClicked.connect(self._open)

    def set_column_widths(self, widths: list[int]) -> None:
        """Initial widths (0 for the stretching column)."""
        for column, width in enumerate(widths):
            if width and not self.isColumnHidden(column):
                self.setColumnWidth(column, width)
        if self._stretch >= 0:
            self.horizontalHeader().setSectionResizeMode(self._stretch, QHeaderView.ResizeMode.Stretch)

    def hide_columns(self, *columns: int) -> None:
        for column in columns:
            self.setColumnHidden(column, True)

    def current_id(self) -> str:
        index = self.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else ""

    def select_first(self) -> None:
        if self.model().rowCount() > 0:
            self.setCurrentIndex(self.model().index(0, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        item_id = index.data(ID_ROLE)
        if item_id:
            self.activated_id.emit(str(item_id))


class Card(QFrame):
    """A titled white box holding one section of a page (title, optional count badge, body)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, 8, 10, 10)
        self.layout_.setSpacing(6)
        self.title = title_label(title, "sectionTitle")
        self.layout_.addWidget(self.title)
        self.body: QWidget | None = None
        self.empty = hint_label("", "emptyText")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.hide()

    def add(self, widget: QWidget, stretch: int = 0) -> QWidget:
        """Append any widget under the title."""
        self.layout_.addWidget(widget, stretch)
        return widget

    def set_body(self, widget: QWidget) -> QWidget:
        """The main widget (a table); replaced by the empty text when there is nothing to show."""
        self.body = widget
        self.layout_.addWidget(widget, 1)
        self.layout_.addWidget(self.empty, 1)
        return widget

    def show_empty(self, text: str, empty: bool) -> None:
        self.empty.setText(text)
        self.empty.setVisible(empty)
        if self.body is not None:
            self.body.setVisible(not empty)


def on_escape(widget: QWidget, action: Callable[[], None]) -> None:
    """Run ``action`` when Esc is pressed anywhere inside ``widget``."""
    from PySide6.QtGui import QKeySequence, QShortcut

    shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(action)
