"""Page objects for the 同步 page and the status bar's sync line: drive them with clicks and keys, read what
they show."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.pages import WAIT_MS, type_text

RUN_MS = 30000


class SyncPageObject:
    """同步."""

    def __init__(self, qtbot, page) -> None:
        self.qtbot = qtbot
        self.page = page

    def reload(self) -> None:
        with self.qtbot.waitSignal(self.page.loaded, timeout=WAIT_MS):
            self.page.refresh()

    def hq_text(self) -> str:
        return self.page.hq_label.text()

    def state_text(self) -> str:
        return self.page.state_label.text()

    def result_text(self) -> str:
        return self.page.result.text()

    def result_is_error(self) -> bool:
        return self.page.result.objectName() == "errorText"

    def can_sync(self) -> bool:
        return self.page.sync_button.isEnabled()

    def enrol(self, url: str, code: str) -> str:
        """Fill the enrolment dialog and press 登记; returns '' on success or the dialog's error text."""
        outcome: dict[str, str] = {}

        def fill() -> None:
            from inspector_app.gui.pages.sync import EnrolDialog

            dialog = next(
                w for w in QApplication.topLevelWidgets() if isinstance(w, EnrolDialog) and w.isVisible()
            )
            dialog.url.clear()
            type_text(dialog.url, url)
            type_text(dialog.code, code)
            QTest.keyClick(dialog.code, Qt.Key.Key_Return)
            self.qtbot.waitUntil(lambda: not dialog.isVisible() or dialog.buttons.isEnabled(), timeout=RUN_MS)
            if dialog.isVisible():
                outcome["error"] = dialog.error.text()
                dialog.reject()

        QTimer.singleShot(0, fill)
        if self.page.enrol():
            self.reload()
        return outcome.get("error", "")

    def _run(self, button) -> str:
        with self.qtbot.waitSignal(self.page.run_finished, timeout=RUN_MS) as blocker:
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        self.qtbot.waitUntil(lambda: not self.page.is_busy, timeout=WAIT_MS)
        self.reload()
        return str(blocker.args[0])

    def sync_now(self) -> str:
        """Click 立即同步 and wait for the run to end; returns the result text."""
        return self._run(self.page.sync_button)

    def retry_now(self) -> str:
        """Click 立即重试 and wait for the run to end."""
        return self._run(self.page.retry_button)

    def rows(self) -> list[dict[str, str]]:
        """The queue as the user reads it: one dict per row, keyed by column title."""
        model = self.page.queue_model
        titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        return [
            {title: model.index(r, c).data() for c, title in enumerate(titles)}
            for r in range(model.rowCount())
        ]

    def queue_title(self) -> str:
        return self.page.queue_card.title.text()

    def empty_text(self) -> str:
        card = self.page.queue_card
        return card.empty.text() if card.empty.isVisibleTo(card) else ""


def sync_line(qtbot, window) -> str:
    """The status bar's sync line once it has been (re)read."""
    label = window.sync_status
    with qtbot.waitSignal(label.loaded, timeout=WAIT_MS):
        label.refresh()
    return label.text()
