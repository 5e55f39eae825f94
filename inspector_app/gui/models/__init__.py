"""Qt item models: they hold ids and fetch rows through services (see :mod:`.base`)."""

from inspector_app.gui.models.base import ID_ROLE, ROW_ROLE, Column, IdTableModel

__all__ = ["ID_ROLE", "ROW_ROLE", "Column", "IdTableModel"]
