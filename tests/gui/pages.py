"""Page objects for GUI tests: drive the app as a user would (keys and clicks) and read what it shows.

Tests talk to these, not to widget internals, so a layout change touches one place. The inspection editor's
page objects live next to its tests.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from inspector_app.gui.models.base import ID_ROLE

WAIT_MS = 5000


def type_text(widget, text: str) -> None:
    """Type ``text`` key by key; non-ASCII characters (汉字) arrive as key events carrying the character,
    like an input method committing one character at a time (QTest.keyClicks only knows ASCII)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


class LoginPage:
    """The login dialog."""

    def __init__(self, qtbot, dialog) -> None:
        self.qtbot = qtbot
        self.dialog = dialog

    def type_credentials(self, username: str, password: str) -> None:
        self.dialog.username.setFocus()
        self.dialog.username.clear()
        QTest.keyClicks(self.dialog.username, username)
        QTest.keyClick(self.dialog.username, Qt.Key.Key_Tab)
        self.dialog.password.clear()
        QTest.keyClicks(self.dialog.password, password)

    def log_in(self, username: str, password: str):
        """Type and press Enter; returns the user on success, None when an error is shown."""
        self.type_credentials(username, password)
        QTest.keyClick(self.dialog.password, Qt.Key.Key_Return)
        # after a success the session may already have deleted the dialog: look at ``user`` first
        self.qtbot.waitUntil(
            lambda: self.dialog.user is not None or self.dialog.login_button.isEnabled(), timeout=WAIT_MS
        )
        return self.dialog.user

    def error_text(self) -> str:
        return self.dialog.error.text() if self.dialog.error.isVisibleTo(self.dialog) else ""


class FirstAdminPage:
    """The first-run dialog creating the administrator."""

    def __init__(self, qtbot, dialog) -> None:
        self.qtbot = qtbot
        self.dialog = dialog

    def create(self, name: str, password: str, confirm: str | None = None):
        type_text(self.dialog.display_name, name)
        QTest.keyClicks(self.dialog.password, password)
        QTest.keyClicks(self.dialog.confirm, password if confirm is None else confirm)
        QTest.keyClick(self.dialog.confirm, Qt.Key.Key_Return)
        self.qtbot.waitUntil(
            lambda: bool(self.dialog.create_button.isEnabled() or self.dialog.user), timeout=WAIT_MS
        )
        return self.dialog.user

    def error_text(self) -> str:
        return self.dialog.error.text() if self.dialog.error.isVisibleTo(self.dialog) else ""


class MainWindowPage:
    """The main window: navigation by Alt+number and the status bar."""

    def __init__(self, qtbot, window) -> None:
        self.qtbot = qtbot
        self.window = window

    def nav_titles(self) -> list[str]:
        nav = self.window.nav
        return [nav.item(i).text() for i in range(nav.count())]

    def press(self, key_sequence: str) -> None:
        from PySide6.QtGui import QKeySequence

        combo = QKeySequence(key_sequence)[0]
        QTest.keyClick(self.window, combo.key(), combo.keyboardModifiers())

    def go(self, number: int):
        """Alt+number; returns the page widget shown."""
        self.press(f"Alt+{number}")
        return self.window.stack.currentWidget()

    def status_text(self) -> str:
        return self.window.user_label.text()


def _column_texts(view, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


class HomePage:
    """今日任务."""

    def __init__(self, qtbot, page) -> None:
        self.qtbot = qtbot
        self.page = page

    def reload(self) -> None:
        with self.qtbot.waitSignal(self.page.loaded, timeout=WAIT_MS):
            self.page.refresh()

    def sections(self) -> list[str]:
        return [card.title.text() for card in self.page.cards.values()]

    def ids(self, key: str) -> list[str]:
        table = self.page.tables[key]
        return [table.model().index(r, 0).data(ID_ROLE) for r in range(table.model().rowCount())]

    def texts(self, key: str, column: int) -> list[str]:
        return _column_texts(self.page.tables[key], column)

    def open_first(self, key: str) -> None:
        table = self.page.tables[key]
        table.setFocus()
        table.select_first()
        QTest.keyClick(table, Qt.Key.Key_Return)


class RegistryPage:
    """主体查询 and the business page."""

    def __init__(self, qtbot, page) -> None:
        self.qtbot = qtbot
        self.page = page
        self.view = page.search

    def search(self, text: str) -> list[str]:
        """Type ``text`` key by key into the (cleared) search box; wait for its results; return names."""
        box = self.view.search_box
        box.setFocus()
        box.clear()
        with self.qtbot.waitSignal(
            self.view.results_shown, timeout=WAIT_MS, check_params_cb=lambda q, _n: q == text.strip()
        ):
            type_text(box, text)
        return self.result_names()

    def result_names(self) -> list[str]:
        return _column_texts(self.view.table, 0)

    def status_text(self) -> str:
        return self.view.status.text()

    def open_result(self, row: int = 0) -> None:
        """Down-arrow into the results, move to ``row``, Enter."""
        QTest.keyClick(self.view.search_box, Qt.Key.Key_Down)
        for _ in range(row):
            QTest.keyClick(self.view.table, Qt.Key.Key_Down)
        QTest.keyClick(self.view.table, Qt.Key.Key_Return)

    def business_name(self) -> str:
        return self.page.business.name_label.text()

    def business_tabs(self) -> list[str]:
        tabs = self.page.business.tabs
        return [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]

    def press_escape(self) -> None:
        QTest.keyClick(self.page.business, Qt.Key.Key_Escape)


class InspectionsPage:
    """检查记录."""

    def __init__(self, qtbot, page) -> None:
        self.qtbot = qtbot
        self.page = page

    def names(self) -> list[str]:
        return _column_texts(self.page.table, 1)

    def statuses(self) -> list[str]:
        return _column_texts(self.page.table, 4)

    def filter(self, **values) -> list[str]:
        self.page.set_filters(**values)
        return self.names()
