"""The login dialog and the first-run dialog that creates the administrator account.

Password checks (scrypt, ~0.5 s on purpose) run in a worker so the window keeps painting while they run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.accounts import User
from inspector_app.gui.workers import run_task

if TYPE_CHECKING:
    from inspector_app.services.accounts import AccountService


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorText")
    label.setWordWrap(True)
    label.hide()
    return label


class LoginDialog(QDialog):
    """Asks for user name and password; checks them through ``accounts.authenticate``.

    ``accounts`` may be None while the data home is still opening (the dialog shows at once, so start-up
    feels instant): the user can already type; 登录 is enabled by :meth:`set_accounts`.

    Setters: :meth:`set_accounts`, :meth:`set_waiting`, :meth:`set_hint` (e.g. the demo accounts),
    :meth:`set_username`.
    Signals: ``logged_in(User)`` once the credentials were accepted (the dialog then closes as accepted).
    """

    logged_in = Signal(object)

    def __init__(
        self, accounts: AccountService | None, app_subtitle: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.user: User | None = None
        self.setWindowTitle("登录 — 市场监管现场检查")
        self.setMinimumWidth(440)
        self.username = QLineEdit()
        self.username.setPlaceholderText("用户名")
        self.username.setAccessibleName("用户名")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("密码")
        self.password.setAccessibleName("密码")
        self.error = _error_label()
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.hide()
        self.login_button = QPushButton("登录")
        self.login_button.setObjectName("primary")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self._submit)
        cancel = QPushButton("退出")
        cancel.setAutoDefault(False)  # Enter must never mean 退出
        cancel.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        form = QFormLayout()
        form.addRow("用户名(&U)：", self.username)
        form.addRow("密码(&P)：", self.password)
        subtitle = QLabel(app_subtitle or "检查员、审核人、管理员均使用本机账号登录")
        subtitle.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addWidget(_title("市场监管现场检查"))
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.login_button)
        # Explicit Enter handling: a dialog's default button is unreliable after it was disabled while busy.
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.username.setFocus()
        self._waiting = ""
        if accounts is None:
            self.set_waiting("正在打开数据目录…")

    def set_accounts(self, accounts: AccountService) -> None:
        """The account service is ready: enable 登录 (and submit if the user already pressed Enter)."""
        self._accounts = accounts
        self._waiting = ""
        self._set_busy(False)

    def set_waiting(self, text: str) -> None:
        """Show why 登录 is not available yet (opening the data home, preparing demo data…)."""
        self._waiting = text
        self.login_button.setEnabled(False)
        self.login_button.setText(text)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def set_username(self, name: str) -> None:
        self.username.setText(name)
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        if self._waiting:
            return
        self.login_button.setEnabled(not busy)
        self.login_button.setText("正在验证…" if busy else "登录")
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)

    def _submit(self) -> None:
        if not self.login_button.isEnabled() or self._accounts is None:
            return  # a check is already running, or the data home is still opening
        name, password = self.username.text().strip(), self.password.text()
        if not name or not password:
            self._show_error("请输入用户名和密码")
            (self.username if not name else self.password).setFocus()
            return
        self.error.hide()
        self._set_busy(True)
        run_task(
            self._accounts.authenticate, name, password, on_finished=self._accepted, on_failed=self._failed
        )

    def _accepted(self, user: User) -> None:
        self._set_busy(False)
        self.user = user
        self.logged_in.emit(user)
        self.accept()

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_error(message)
        self.password.clear()
        self.password.setFocus()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class FirstAdminDialog(QDialog):
    """First run of a data home without accounts: create the administrator.

    Signals: ``admin_created(User)`` when the account was created (the dialog then closes as accepted).
    """

    admin_created = Signal(object)

    def __init__(self, accounts: AccountService, home_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.user: User | None = None
        self.setWindowTitle("首次使用 — 创建管理员账号")
        self.setMinimumWidth(480)
        self.username = QLineEdit("admin")
        self.display_name = QLineEdit()
        self.display_name.setPlaceholderText("如：系统管理员")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("至少 8 位")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
        self.create_button = QPushButton("创建并登录")
        self.create_button.setObjectName("primary")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._submit)
        self.confirm.returnPressed.connect(self._submit)
        cancel = QPushButton("退出")
        cancel.setAutoDefault(False)  # Enter must never mean 退出
        cancel.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        intro = QLabel(
            "这是本数据目录第一次使用，还没有任何账号。请先创建管理员账号；"
            "管理员登录后可在“账号”页面添加检查员和审核人。"
            + (f"\n数据目录：{home_text}" if home_text else "")
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("用户名(&U)：", self.username)
        form.addRow("姓名(&N)：", self.display_name)
        form.addRow("密码(&P)：", self.password)
        form.addRow("确认密码(&C)：", self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(_title("创建管理员账号"))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.display_name.setFocus()

    def _submit(self) -> None:
        if not self.create_button.isEnabled():
            return
        if self.password.text() != self.confirm.text():
            self._show_error("两次输入的密码不一致")
            self.confirm.clear()
            self.confirm.setFocus()
            return
        self.create_button.setEnabled(False)
        self.create_button.setText("正在创建…")
        run_task(
            self._accounts.create_first_admin,
            self.username.text(),
            self.display_name.text(),
            self.password.text(),
            on_finished=self._created,
            on_failed=self._failed,
        )

    def _created(self, user: User) -> None:
        self.user = user
        self.admin_created.emit(user)
        self.accept()

    def _failed(self, message: str) -> None:
        self.create_button.setEnabled(True)
        self.create_button.setText("创建并登录")
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
