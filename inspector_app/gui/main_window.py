"""The main window: left navigation, a stack of pages created on first use, and the status bar.

Pages are registered with :meth:`MainWindow.add_page` (key, title, factory, roles). A page is any QWidget;
if it has ``refresh()`` that is called each time it is shown, and ``focus_search()`` is used by Ctrl+F.
Pages talk to the window through their signals (``record_activated``, ``start_requested``,
``business_activated``), which the window wires when it creates them.

Hosting the inspection editor (``inspector_app.gui.inspection``) goes through :meth:`open_inspection`
and :meth:`start_inspection`; both import :mod:`inspector_app.gui.editor_host` on first use so start-up never
imports the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.accounts import Role, User

if TYPE_CHECKING:
    from inspector_app.services.app import Services

ALL_ROLES = frozenset(Role)


@dataclass
class PageEntry:
    """A registered page: created by ``factory`` the first time it is shown."""

    key: str
    title: str
    factory: Callable[[], QWidget]
    roles: frozenset[Role]
    in_nav: bool = True
    widget: QWidget | None = None


class MainWindow(QMainWindow):
    """The app's window for one logged-in user.

    Public API for other GUI parts: :meth:`add_page`, :meth:`show_page`, :meth:`page`, :meth:`current_key`,
    :meth:`open_business`, :meth:`open_inspection`, :meth:`start_inspection`, :meth:`go_back`,
    :meth:`notify_data_changed`,
    :meth:`show_status`.

    Signals: ``logged_out()`` when the user chose 退出登录; ``closed()`` when the window was closed (quit);
    ``data_changed()`` after records changed (pages refresh themselves when shown again).
    """

    logged_out = Signal()
    data_changed = Signal()
    closed = Signal()

    def __init__(
        self, services: Services, user: User, home_text: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user
        self._entries: dict[str, PageEntry] = {}
        self._current = ""
        self._history: list[str] = []
        self.setWindowTitle(f"市场监管现场检查 — {user.display_name}（{user.role.label}）")
        self.resize(1366, 768)
        self.setMinimumSize(1024, 640)
        self._build_frame()
        self._build_status(home_text)
        self._build_menus()
        from inspector_app.gui.pages import register_default_pages

        register_default_pages(self)
        self._bind_page_shortcuts()
        if self.nav.count():
            self.nav.setCurrentRow(0)

    # -- frame ---------------------------------------------------------------------------------------

    def _build_frame(self) -> None:
        side = QWidget()
        side.setFixedWidth(176)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        title = QLabel("现场检查")
        title.setObjectName("appTitle")
        self.nav = QListWidget()
        self.nav.setObjectName("navList")
        self.nav.setAccessibleName("页面导航")
        self.nav.currentRowChanged.connect(self._nav_changed)
        # Clicking (or Enter on) the highlighted entry leaves a sub-page such as the record editor.
        self.nav.itemClicked.connect(self._nav_item_chosen)
        self.nav.itemActivated.connect(self._nav_item_chosen)
        side_layout.addWidget(title)
        side_layout.addWidget(self.nav, 1)
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _build_status(self, home_text: str) -> None:
        badge = f"，执法证号 {self.user.badge_no}" if self.user.badge_no else ""
        self.user_label = QLabel(f"当前用户：{self.user.display_name}（{self.user.role.label}{badge}）")
        self.home_label = QLabel(f"数据目录：{home_text}" if home_text else "")
        self.home_label.setObjectName("hint")
        self.home_label.setToolTip(home_text)
        bar = self.statusBar()
        bar.addWidget(self.user_label)
        from inspector_app.gui.sync_status import SyncStatusLabel

        self.sync_status = SyncStatusLabel(self.services, self)
        self.sync_status.synced.connect(self.notify_data_changed)
        self.data_changed.connect(self.sync_status.refresh)
        bar.addPermanentWidget(self.sync_status)
        bar.addPermanentWidget(self.home_label)

    def _build_menus(self) -> None:
        account = self.menuBar().addMenu("账户(&A)")
        self._action(account, "修改密码(&P)…", self._change_password)
        self._action(account, "退出登录(&L)", self._logout, "Ctrl+Shift+L")
        account.addSeparator()
        self._action(account, "退出程序(&Q)", self.close, QKeySequence.StandardKey.Quit)
        view = self.menuBar().addMenu("视图(&V)")
        self._action(view, "刷新(&R)", self.refresh_current, QKeySequence.StandardKey.Refresh)
        self._action(view, "查找主体(&F)", self.focus_search, QKeySequence.StandardKey.Find)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        self._action(help_menu, "快捷键(&K)", self._show_shortcuts, QKeySequence.StandardKey.HelpContents)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _bind_page_shortcuts(self) -> None:
        nav_keys = [e.key for e in self._entries.values() if e.in_nav and self.user.role in e.roles]
        for number, key in enumerate(nav_keys[:9], start=1):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda k=key: self.show_page(k))

    # -- pages ---------------------------------------------------------------------------------------

    def add_page(
        self,
        key: str,
        title: str,
        factory: Callable[[], QWidget],
        roles: frozenset[Role] | set[Role] | None = None,
        in_nav: bool = True,
    ) -> bool:
        """Register a page; returns False (and adds nothing) when the user's role may not see it."""
        entry = PageEntry(key, title, factory, frozenset(roles or ALL_ROLES), in_nav)
        if self.user.role not in entry.roles:
            return False
        self._entries[key] = entry
        if in_nav:
            number = sum(1 for e in self._entries.values() if e.in_nav)
            item = QListWidgetItem(f"{title}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{title}（Alt+{number}）" if number <= 9 else title)
            self.nav.addItem(item)
        return True

    def page_keys(self) -> list[str]:
        """Keys of the navigation pages this user sees, in order."""
        return [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.nav.count())]

    def page(self, key: str) -> QWidget | None:
        """The page widget (created now if needed); None if not registered for this user."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.widget is None:
            entry.widget = entry.factory()
            self._wire(entry.widget)
            self.stack.addWidget(entry.widget)
        return entry.widget

    def current_key(self) -> str:
        return self._current

    def show_page(self, key: str) -> QWidget | None:
        widget = self.page(key)
        if widget is None:
            return None
        if self._current and self._current != key:
            self._history = [k for k in self._history if k != self._current][-9:] + [self._current]
        self._current = key
        keys = self.page_keys()
        # A page outside the navigation (the record editor) keeps the entry it was opened from highlighted:
        # the list never has "no current row", which a focus change would turn into a page switch.
        if key in keys and self.nav.currentRow() != keys.index(key):
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(keys.index(key))
            self.nav.blockSignals(False)
        self.stack.setCurrentWidget(widget)
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()
        return widget

    def go_back(self) -> None:
        """Show the page shown before the current one (the home page if there is none)."""
        previous = self._history.pop() if self._history else "home"
        self._current = ""  # the page we leave is not pushed onto the history
        self.show_page(previous)

    def refresh_current(self) -> None:
        widget = self.stack.currentWidget()
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

    def _nav_changed(self, row: int) -> None:
        if row >= 0:
            self.show_page(self.nav.item(row).data(Qt.ItemDataRole.UserRole))

    def _nav_item_chosen(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if key != self._current:
            self.show_page(key)

    def _wire(self, widget: QWidget) -> None:
        """Connect the well-known page signals to the window's navigation."""
        for name, slot in (
            ("record_activated", self.open_inspection),
            ("start_requested", self.start_inspection),
            ("business_activated", self.open_business),
            ("status_message", self.show_status),
            ("synced", self.notify_data_changed),
        ):
            signal = getattr(widget, name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(slot)

    # -- navigation targets --------------------------------------------------------------------------

    def focus_search(self) -> None:
        page = self.show_page("registry")
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()

    def open_business(self, uscc: str) -> None:
        from inspector_app.gui.pages.registry import RegistryPage

        page = self.show_page("registry")
        if isinstance(page, RegistryPage):
            page.open_business(uscc)

    def open_inspection(self, record_id: str, read_only: bool | None = None) -> None:
        """Show a record in the inspection editor (editable if it is a draft the user may edit)."""
        from inspector_app.gui import editor_host

        editor_host.open_record(self, record_id, read_only)

    def start_inspection(self, uscc: str, equipment_code: str = "") -> None:
        """Open the start-inspection dialog for a business (then the new draft in the editor)."""
        from inspector_app.gui import editor_host

        editor_host.start(self, uscc, equipment_code)

    def notify_data_changed(self) -> None:
        """Records changed: tell listeners and refresh the visible page."""
        self.data_changed.emit()
        self.refresh_current()

    def show_status(self, text: str, msecs: int = 5000) -> None:
        self.statusBar().showMessage(text, msecs)

    # -- account actions -----------------------------------------------------------------------------

    def _change_password(self) -> None:
        from inspector_app.gui.pages.accounts import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.services.accounts, self.user, self)
        if dialog.exec():
            self.show_status("密码已修改")

    def _logout(self) -> None:
        if not self._may_leave():
            return
        # hide(), not close(): closing the last window would quit the app before the login dialog shows.
        self.hide()
        self.logged_out.emit()

    def _may_leave(self) -> bool:
        """Close the open record (saving typed text); False if changes wait for a busy database and the
        user chose to keep waiting."""
        editor = self._entries.get("editor")
        if editor is not None and editor.widget is not None:
            may_leave = getattr(editor.widget, "may_leave", None)
            if callable(may_leave):
                return bool(may_leave())
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_leave():
            event.ignore()
            return
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    def _show_shortcuts(self) -> None:
        lines = [f"Alt+{n}　{self._entries[k].title}" for n, k in enumerate(self.page_keys()[:9], start=1)]
        lines += [
            "Ctrl+F　查找主体",
            "F5　刷新当前页面",
            "Enter / 双击　打开选中的行",
            "Esc　返回上一级",
            "Ctrl+Shift+L　退出登录",
            "Ctrl+Q　退出程序",
        ]
        QMessageBox.information(self, "快捷键", "\n".join(lines))
