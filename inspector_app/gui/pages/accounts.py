"""账号 (administrators): list accounts, add one, reset a password, disable/enable; and the change-password
dialog every user reaches from the 账户 menu. The service checks the roles again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.accounts import Role, User
from inspector_app.core.errors import InspectorError
from inspector_app.core.registry import JINGMEN_AREAS
from inspector_app.gui.models.tables import UserTableModel
from inspector_app.gui.pages.widgets import IdTable, hint_label, title_label

if TYPE_CHECKING:
    from inspector_app.services.accounts import AccountService
    from inspector_app.services.app import Services


def _password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class _FormDialog(QDialog):
    """A dialog with a form, an error line and OK/Cancel; subclasses implement :meth:`apply`."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def apply(self) -> None:
        raise NotImplementedError

    def _ok(self) -> None:
        # Password hashing takes about a second on purpose (scrypt): show the busy cursor meanwhile.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.apply()
        except InspectorError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


class ChangePasswordDialog(_FormDialog):
    """Change one's own password (the old one is required)."""

    def __init__(self, accounts: AccountService, user: User, parent: QWidget | None = None) -> None:
        super().__init__("修改密码", parent)
        self._accounts, self._user = accounts, user
        self.old = _password_field()
        self.new = _password_field("至少 8 位")
        self.confirm = _password_field()
        self.form.addRow("原密码(&O)：", self.old)
        self.form.addRow("新密码(&N)：", self.new)
        self.form.addRow("确认新密码(&C)：", self.confirm)

    def apply(self) -> None:
        if self.new.text() != self.confirm.text():
            raise InspectorError("两次输入的新密码不一致")
        self._accounts.change_password(self._user, self.old.text(), self.new.text())


class AddUserDialog(_FormDialog):
    """Create an account (administrators)."""

    def __init__(self, accounts: AccountService, actor: User, parent: QWidget | None = None) -> None:
        super().__init__("添加账号", parent)
        self._accounts, self._actor = accounts, actor
        self.created: User | None = None
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role)
        self.badge = QLineEdit()
        self.badge.setPlaceholderText("检查员必填，如 42080220230012")
        self.area = QComboBox()
        self.area.addItem("（不限）", "")
        for area in JINGMEN_AREAS:
            self.area.addItem(area, area)
        self.password = _password_field("至少 8 位")
        self.confirm = _password_field()
        for label, widget in (
            ("用户名(&U)：", self.username),
            ("姓名(&N)：", self.display_name),
            ("角色(&R)：", self.role),
            ("执法证号(&B)：", self.badge),
            ("辖区(&A)：", self.area),
            ("初始密码(&P)：", self.password),
            ("确认密码(&C)：", self.confirm),
        ):
            self.form.addRow(label, widget)

    def apply(self) -> None:
        if self.password.text() != self.confirm.text():
            raise InspectorError("两次输入的密码不一致")
        self.created = self._accounts.create_user(
            self._actor,
            self.username.text(),
            self.display_name.text(),
            self.role.currentData(),
            self.password.text(),
            badge_no=self.badge.text(),
            area=self.area.currentData(),
        )


class AccountsPage(QWidget):
    """The 账号 page (administrators only; the service refuses others anyway).

    Signals: ``status_message(text)`` after an account was changed.
    """

    status_message = Signal(str)

    def __init__(self, services: Services, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = services.accounts
        self.user = user
        self._users: dict[str, User] = {}
        self.model = UserTableModel(self._users.get, self)
        self.table = IdTable(self.model, stretch_column=5)
        self.table.set_column_widths([140, 120, 90, 170, 100, 80])
        self.table.activated_id.connect(self._reset_password)
        buttons = QHBoxLayout()
        for text, slot in (
            ("添加账号(&N)…", self._add),
            ("重置密码(&R)…", lambda: self._reset_password(self.table.current_id())),
            ("停用/启用(&D)", self._toggle_active),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(title_label("账号管理"))
        layout.addWidget(
            hint_label(
                "检查员须填写执法证号（打印在检查记录上）。连续输错密码 5 次将锁定，重置密码可解除锁定。"
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        users = self.accounts.list_users(self.user)
        self._users = {u.id: u for u in users}
        self.model.set_ids(list(self._users), self._users)

    def _add(self) -> None:
        dialog = AddUserDialog(self.accounts, self.user, self)
        if dialog.exec() and dialog.created:
            self.refresh()
            self.status_message.emit(f"已添加账号 {dialog.created.username}")

    def _reset_password(self, user_id: str) -> None:
        target = self._users.get(user_id)
        if target is None:
            return
        password, ok = QInputDialog.getText(
            self,
            "重置密码",
            f"为 {target.display_name}（{target.username}）设置新密码（至少 8 位）：",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        try:
            self.accounts.reset_password(self.user, target.id, password)
        except InspectorError as exc:
            QMessageBox.warning(self, "重置密码", str(exc))
            return
        self.status_message.emit(f"已重置 {target.username} 的密码")

    def _toggle_active(self) -> None:
        target = self._users.get(self.table.current_id())
        if target is None:
            return
        try:
            self.accounts.set_active(self.user, target.id, not target.active)
        except InspectorError as exc:
            QMessageBox.warning(self, "停用账号", str(exc))
            return
        self.refresh()
        self.status_message.emit(f"已{'停用' if target.active else '启用'}账号 {target.username}")
