"""The decision dialog of the review page: approve (optional comment) or return (comment required)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from inspector_app.core.reviews import Decision
from inspector_app.services.review import MAX_COMMENT_LENGTH


class DecisionDialog(QDialog):
    """Asks for the comment of a decision; for a return the OK button stays disabled until one is written.

    Use ``open()`` and the ``accepted`` signal (no nested event loop); :meth:`comment` is the trimmed text.
    """

    def __init__(self, decision: Decision, record_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision = decision
        returning = decision is Decision.RETURNED
        self.setWindowTitle("退回修改" if returning else "审核通过")
        self.setMinimumWidth(460)
        question = QLabel(
            f"将“{record_label}”退回检查人员修改。" if returning else f"确认“{record_label}”审核通过？"
        )
        question.setWordWrap(True)
        prompt = QLabel("退回意见（必填，说明需要更正的内容）：" if returning else "审核意见（可选）：")
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setAccessibleName("退回意见" if returning else "审核意见")
        self.comment_edit.setPlaceholderText(
            "例如：第 12 项缺少后厨现场照片，请补拍后重新定稿" if returning else ""
        )
        self.comment_edit.setTabChangesFocus(True)
        self.problem = QLabel("")
        self.problem.setObjectName("errorText")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("退回" if returning else "审核通过")
        self.ok_button.setToolTip("确定（Ctrl+Enter）")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        self.comment_edit.textChanged.connect(self._validate)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(self._accept_if_valid)
        layout = QVBoxLayout(self)
        for widget in (question, prompt, self.comment_edit, self.problem, self.buttons):
            layout.addWidget(widget)
        self._validate()
        self.comment_edit.setFocus()

    def comment(self) -> str:
        return self.comment_edit.toPlainText().strip()

    def _problem_text(self) -> str:
        text = self.comment()
        if self.decision is Decision.RETURNED and not text:
            return "请填写退回意见"
        if len(text) > MAX_COMMENT_LENGTH:
            return f"意见过长（{len(text)} 字），请控制在 {MAX_COMMENT_LENGTH} 字以内"
        return ""

    def _validate(self) -> None:
        problem = self._problem_text()
        self.ok_button.setEnabled(not problem)
        # Only nag once the user has typed something; an empty required field is shown by the disabled button.
        self.problem.setText(problem if self.comment_edit.toPlainText() else "")

    def _accept_if_valid(self) -> None:
        if not self._problem_text():
            self.accept()
