"""A table model that holds only ids and asks a fetcher (a service call) for rows, with a small LRU cache.

Columns are declared as data (:class:`Column`); ``data()`` answers the display, tool-tip, alignment,
foreground and ``ID_ROLE`` roles and returns ``None`` for every other role (PySide6 6.12.0 aborted on
exactly that pattern; we pin 6.11 and keep a regression test, ``tests/gui/test_pyside_none_regression.py``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

#: ``index.data(ID_ROLE)`` is the id of the row (a USCC, a record id, a user id…).
ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
#: ``index.data(ROW_ROLE)`` is the fetched row object (or None when it cannot be fetched).
ROW_ROLE = int(Qt.ItemDataRole.UserRole.value) + 2

Index = QModelIndex | QPersistentModelIndex

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ROW_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGN, _FOREGROUND, ROW_ROLE})
_ALIGN_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_ALIGN_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


@dataclass(frozen=True)
class Column:
    """One column: a Chinese title, how to show a row in it, and optional colour/alignment/tool-tip."""

    title: str
    text: Callable[[Any], str]
    color: Callable[[Any], QColor | None] | None = None
    align_right: bool = False
    tooltip: Callable[[Any], str] | None = None


class IdTableModel(QAbstractTableModel):
    """Rows are ids; ``fetch_one(id)`` returns the row object (fetched lazily, cached LRU).

    ``set_ids(ids, prefetched)`` replaces the rows; ``prefetched`` (id → row) warms the cache, e.g. with rows
    a background worker already read, so painting never waits for the database.
    """

    def __init__(
        self,
        columns: Sequence[Column],
        fetch_one: Callable[[str], Any],
        cache_size: int = 512,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._fetch_one = fetch_one
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._cache_size = self._base_cache_size = cache_size
        self._text_cache: dict[str, tuple[str, ...]] = {}
        self._ids: list[str] = []

    # -- content -------------------------------------------------------------------------------------

    def set_ids(self, ids: Iterable[str], prefetched: Mapping[str, Any] | None = None) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._cache.clear()
        self._text_cache.clear()
        prefetched = prefetched or {}
        # Rows handed over by a worker are all kept, however many: painting must never wait for them.
        self._cache_size = max(self._base_cache_size, len(prefetched))
        for key, row in prefetched.items():
            self._remember(key, row)
        self.endResetModel()

    def ids(self) -> list[str]:
        return list(self._ids)

    def id_at(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, item_id: str) -> int:
        """Row number of ``item_id`` or -1."""
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def invalidate(self, item_id: str | None = None) -> None:
        """Forget cached rows (one or all) and repaint: call after the data changed."""
        if item_id is None:
            self._cache.clear()
            self._text_cache.clear()
        else:
            self._cache.pop(item_id, None)
            self._text_cache.pop(item_id, None)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self._columns) - 1))

    def row_object(self, row: int) -> Any:
        item_id = self._ids[row]
        if item_id in self._cache:
            self._cache.move_to_end(item_id)
            return self._cache[item_id]
        try:
            value = self._fetch_one(item_id)
        except Exception:  # a row that vanished shows as empty, it must not break painting
            value = None
        self._remember(item_id, value)
        return value

    def _remember(self, item_id: str, value: Any) -> None:
        self._cache[item_id] = value
        self._cache.move_to_end(item_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    # -- Qt interface --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].title
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._ids):
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Hot path while painting (~7 calls per visible cell): plain int compares, per-row texts cached.
        if role not in _ROW_ROLES and role != ID_ROLE:
            return None
        row_number = index.row()
        if not index.isValid() or not (0 <= row_number < len(self._ids)):
            return None
        if role == ID_ROLE:
            return self._ids[row_number]
        column_number = index.column()
        if role == _ALIGN:
            return _ALIGN_RIGHT if self._columns[column_number].align_right else _ALIGN_LEFT
        row = self.row_object(row_number)
        if role == ROW_ROLE:
            return row
        if row is None:
            return "（已删除）" if role == _DISPLAY and column_number == 0 else None
        if role == _DISPLAY:
            return self._texts(row_number, row)[column_number]
        column = self._columns[column_number]
        if role == _TOOLTIP:
            return (
                column.tooltip(row) if column.tooltip else self._texts(row_number, row)[column_number] or None
            )
        if column.color is not None:  # _FOREGROUND
            return column.color(row)
        return None

    def _texts(self, row_number: int, row: Any) -> tuple[str, ...]:
        item_id = self._ids[row_number]
        texts = self._text_cache.get(item_id)
        if texts is None:
            texts = tuple(column.text(row) for column in self._columns)
            if len(self._text_cache) >= self._cache_size:
                self._text_cache.clear()
            self._text_cache[item_id] = texts
        return texts

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
