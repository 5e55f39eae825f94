"""Hosting the inspection editor (``inspector_app.gui.inspection``) inside the main window.

The editor is shown as a page of the window's stack (key ``"editor"``, not in the navigation) with a back
button returning to the page it was opened from. Imported on first use only, so start-up never loads the
editor, the forms or Pillow.

The page owns the :class:`~inspector_app.gui.inspection.autosave.AutosaveQueue` its editors write through,
so answers still waiting for a busy database keep being retried after their record is closed; the window
asks (:meth:`EditorPage.may_leave`) before logging out or quitting while any still wait.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QVBoxLayout, QWidget

from inspector_app.core.accounts import User
from inspector_app.core.errors import InspectorError
from inspector_app.gui.inspection.autosave import AutosaveQueue
from inspector_app.gui.pages.widgets import hint_label

if TYPE_CHECKING:
    from inspector_app.gui.main_window import MainWindow
    from inspector_app.services.app import Services

EDITOR_KEY = "editor"


class EditorPage(QWidget):
    """Holds one :class:`InspectionEditor` at a time, with a back bar.

    Setter: :meth:`show_record`. Signals: ``back_requested()``, ``record_changed(record_id)``,
    ``record_finalized(record_id)``, ``status_message(text)``.
    """

    back_requested = Signal()
    record_changed = Signal(str)
    record_finalized = Signal(str)
    status_message = Signal(str)

    def __init__(self, services: Services, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user
        self.editor: QWidget | None = None
        self.autosave = AutosaveQueue(self)
        self.autosave.waiting.connect(self._autosave_waiting)
        #: Asked (with the waiting message) whether to drop unsaved changes; tests replace it.
        self.ask_discard = self._ask_discard
        back = QPushButton("← 返回")
        back.setToolTip("返回上一页（Alt+←）")
        back.clicked.connect(self.back_requested)
        shortcut = QShortcut(QKeySequence("Alt+Left"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.back_requested)
        self.hint = hint_label("每项改动都会立即保存，无需点“保存”。")
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 6, 12, 0)
        bar.addWidget(back)
        bar.addWidget(self.hint, 1)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addLayout(bar)

    def show_record(self, record_id: str, read_only: bool = False) -> QWidget:
        from inspector_app.gui.inspection.editor import InspectionEditor

        self.close_record()
        editor = InspectionEditor(
            self.services, self.user, record_id, self, read_only=read_only, autosave=self.autosave
        )
        editor.changed.connect(self.record_changed)
        editor.finalized.connect(self.record_finalized)
        editor.version_created.connect(lambda new_id: self.show_record(new_id))
        editor.status_message.connect(self.status_message)
        self._layout.addWidget(editor, 1)
        self.editor = editor
        editor.setFocus()
        return editor

    def close_record(self) -> None:
        if self.editor is None:
            return
        flush = getattr(self.editor, "flush", None)
        if callable(flush):
            flush()  # typed text still waiting for its debounce is saved now
        self.editor.hide()
        self.editor.deleteLater()
        self.editor = None
        self.autosave.flush()

    def may_leave(self) -> bool:
        """True (and the record closed) unless changes still wait for a busy database and the user chooses
        to keep waiting (then the record stays open)."""
        flush = getattr(self.editor, "flush", None)
        if callable(flush):
            flush()  # typed text still waiting for its debounce joins the queue
        if not self.autosave.flush() and not self.ask_discard(self.autosave.message()):
            return False
        self.close_record()
        return True

    def _ask_discard(self, message: str) -> bool:
        answer = QMessageBox.warning(
            self,
            "尚有修改未保存",
            f"{message}\n\n选择“继续等待”留在程序中，数据库空闲后这些修改会自动保存；"
            "选择“放弃修改”则这些修改不会保存。",
            QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Retry,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _autosave_waiting(self, message: str) -> None:
        if self.editor is None:  # an open editor shows it in its header
            self.status_message.emit(message or "等待中的修改已全部保存")


def _editor_page(window: MainWindow) -> EditorPage:
    if window.page(EDITOR_KEY) is None:

        def create() -> EditorPage:
            page = EditorPage(window.services, window.user)
            page.back_requested.connect(lambda: window.go_back())
            page.record_finalized.connect(lambda _rid: window.notify_data_changed())
            page.status_message.connect(window.show_status)
            return page

        window.add_page(EDITOR_KEY, "检查记录", create, in_nav=False)
    page = window.page(EDITOR_KEY)
    assert isinstance(page, EditorPage)
    return page


def open_record(window: MainWindow, record_id: str, read_only: bool | None = None) -> QWidget | None:
    """Show ``record_id`` in the editor page of ``window`` (read-only when asked or not editable)."""
    page = _editor_page(window)
    try:
        editor = page.show_record(record_id, read_only=bool(read_only))
    except InspectorError as exc:
        QMessageBox.warning(window, "打开检查记录", str(exc))
        return None
    window.show_page(EDITOR_KEY)
    return editor


def start(window: MainWindow, uscc: str, equipment_code: str = "") -> str | None:
    """Run the inspection editor's start dialog for ``uscc``; open the new draft. Returns its id or None."""
    from inspector_app.gui.inspection.start_dialog import start_inspection

    record_id = start_inspection(window, window.services, window.user, uscc, equipment_code)
    if record_id:
        window.notify_data_changed()
        open_record(window, record_id)
    return record_id or None
