"""How the main window hosts the inspection editor: ``open_record`` and ``start`` (the two entry points the
window resolves lazily through ``inspector_app.gui.editor_host``).

Each record gets one editor page in the window (key ``record:<id>``, not in the navigation list); opening
the same record again shows the existing page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog

from inspector_app.core.errors import InspectorError
from inspector_app.gui.inspection.editor import InspectionEditor
from inspector_app.gui.inspection.start_dialog import StartDialog

PAGE_PREFIX = "record:"


def page_key(record_id: str) -> str:
    return PAGE_PREFIX + record_id


def open_record(window: Any, record_id: str, read_only: bool | None = None) -> InspectionEditor | None:
    """Show ``record_id`` in an editor page of ``window`` (created on first use)."""
    key = page_key(record_id)
    if window.page(key) is None:
        try:
            record = window.services.inspections.get(record_id)
        except InspectorError as exc:
            window.show_status(str(exc))
            return None
        title = f"检查记录 {record.business.name}"

        def create() -> InspectionEditor:
            editor = InspectionEditor(window.services, window.user, record_id, read_only=bool(read_only))
            editor.version_created.connect(lambda new_id: open_record(window, new_id))
            editor.changed.connect(lambda _id: window.data_changed.emit())
            editor.finalized.connect(lambda _id: window.notify_data_changed())
            return editor

        window.add_page(key, title, create, in_nav=False)
    widget = window.show_page(key)
    return widget if isinstance(widget, InspectionEditor) else None


def start(window: Any, uscc: str, equipment_code: str = "") -> str:
    """Ask for the start details; on success open the new draft. Returns the new record id or ''."""
    try:
        dialog = StartDialog(window.services, window.user, uscc, equipment_code, window)
    except InspectorError as exc:
        window.show_status(str(exc))
        return ""
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.record_id:
        return ""
    window.notify_data_changed()
    open_record(window, dialog.record_id)
    return dialog.record_id
