"""The 定稿 page: the result and the rule that judged it, what still blocks finalizing (unanswered items,
notes, photos, signatures, handling), the handling choice when the verdict offers several (with the 当场整改情况
to record for 当场责令整改 and for a 严重事故隐患 fixed on the spot), and a two-step confirmation.

After finalizing the record is read-only; corrections go through 创建更正版本.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.checklist import Family
from inspector_app.core.clock import local_display
from inspector_app.core.evaluation import Evaluation
from inspector_app.core.verdicts import Handling
from inspector_app.gui.inspection.answers import TYPING_SAVE_MS
from inspector_app.gui.inspection.items import hide_keeping_focus
from inspector_app.gui.inspection.page_body import page_body
from inspector_app.gui.inspection.record_session import RecordSession

_CODE = re.compile(r"^([A-Z]{1,4}[0-9]{1,3}(?:-[0-9]+)?) ")


def tally_text(evaluation: Evaluation, key_label: str = "重点项") -> str:
    """共检查X项，其中重点项X项、一般项X项… as printed on the record (equipment: 严重事故隐患项)."""
    t = evaluation.tally
    text = f"共检查 {t.checked} 项，其中{key_label} {t.key_checked} 项、一般项 {t.general_checked} 项；不适用 {t.not_applicable} 项。"
    if t.failed:
        key = (
            f"{key_label} {len(t.key_failed)} 项（{'、'.join(t.key_failed)}）"
            if t.key_failed
            else f"{key_label} 0 项"
        )
        general = (
            f"一般项 {len(t.general_failed)} 项（{'、'.join(t.general_failed)}）"
            if t.general_failed
            else "一般项 0 项"
        )
        text += f"\n不符合：{key}，{general}。"
    else:
        text += "\n未发现不符合项。"
    return text


class FinalizePanel(QScrollArea):
    """Summary, missing list, handling choice and the finalize button.

    Signals: ``item_requested(code)`` (jump to an item from the missing list), ``page_requested(kind)``.
    """

    item_requested = Signal(str)
    page_requested = Signal(str)

    def __init__(self, session: RecordSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        body, layout = page_body(self, "定稿")
        layout.addWidget(self._summary_card(body))
        layout.addWidget(self._missing_card(body))
        layout.addWidget(self._findings_card(body))
        layout.addWidget(self._action_card(body))
        layout.addStretch(1)
        self.setWidget(body)
        self._handling_buttons: list[QRadioButton] = []
        session.record_changed.connect(self._refresh_if_shown)
        session.answer_changed.connect(self._refresh_if_shown)
        self.refresh()

    # ---- construction ------------------------------------------------------------------------------
    def _summary_card(self, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("panelCard")
        layout = QVBoxLayout(card)
        self.verdict = QLabel(card)
        self.verdict.setObjectName("panelTitle")
        self.tally = QLabel(card)
        self.tally.setWordWrap(True)
        self.extra = QLabel(card)
        self.extra.setWordWrap(True)
        self.handling_box = QWidget(card)
        self.handling_layout = QHBoxLayout(self.handling_box)
        self.handling_layout.setContentsMargins(0, 0, 0, 0)
        self.handling_label = QLabel(self.handling_box)
        self.handling_layout.addWidget(self.handling_label)
        self.handling_layout.addStretch(1)
        self.handling_group = QButtonGroup(self.handling_box)
        self.handling_group.buttonClicked.connect(lambda b: self.session.set_handling(b.property("handling")))
        self.fix_label = QLabel("当场整改情况（必填，打印在记录上）：", card)
        self.fix = QPlainTextEdit(card)
        self.fix.setTabChangesFocus(True)
        self.fix.setFixedHeight(48)
        self.fix.setAccessibleName("当场整改情况")
        self.fix.setPlaceholderText(
            "写明当场整改了什么、如何整改，例如：维保人员当场更换光幕，复测防夹保护有效"
        )
        self._fix_timer = QTimer(self)
        self._fix_timer.setSingleShot(True)
        self._fix_timer.setInterval(TYPING_SAVE_MS)
        self._fix_timer.timeout.connect(self._save_fix)
        self.fix.textChanged.connect(self._fix_timer.start)
        for widget in (self.verdict, self.tally, self.extra, self.handling_box, self.fix_label, self.fix):
            layout.addWidget(widget)
        return card

    def _missing_card(self, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("panelCard")
        layout = QVBoxLayout(card)
        self.missing_title = QLabel(card)
        self.missing_title.setObjectName("panelTitle")
        layout.addWidget(self.missing_title)
        self.missing_list = QListWidget(card)
        self.missing_list.setAccessibleName("尚缺内容")
        self.missing_list.setMaximumHeight(240)
        self.missing_list.itemActivated.connect(self._missing_activated)
        layout.addWidget(self.missing_list)
        hint = QLabel("双击或按 Enter 转到该项。", card)
        hint.setProperty("role", "hint")
        layout.addWidget(hint)
        self.missing_hint = hint
        return card

    def _findings_card(self, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("panelCard")
        layout = QVBoxLayout(card)
        layout.addWidget(QLabel("其他发现（选填，打印在记录上）：", card))
        self.findings = QPlainTextEdit(card)
        self.findings.setTabChangesFocus(True)
        self.findings.setFixedHeight(54)
        self.findings.setAccessibleName("其他发现")
        layout.addWidget(self.findings)
        self._findings_timer = QTimer(self)
        self._findings_timer.setSingleShot(True)
        self._findings_timer.setInterval(TYPING_SAVE_MS)
        self._findings_timer.timeout.connect(self._save_findings)
        self.findings.textChanged.connect(self._findings_timer.start)
        return card

    def _action_card(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.final_state = QLabel(box)
        self.final_state.setWordWrap(True)
        layout.addWidget(self.final_state, 1)
        self.confirm_text = QLabel("定稿后记录不可修改，如需更正须创建新版本。确认定稿？", box)
        self.confirm_text.setProperty("role", "warn")
        self.confirm_button = QPushButton("确认定稿", box)
        self.confirm_button.setObjectName("danger")
        self.cancel_button = QPushButton("取消", box)
        self.finalize_button = QPushButton("定稿…", box)
        self.finalize_button.setObjectName("primary")
        for widget in (self.confirm_text, self.confirm_button, self.cancel_button, self.finalize_button):
            layout.addWidget(widget)
        self.finalize_button.clicked.connect(self._ask)
        self.cancel_button.clicked.connect(lambda: self._confirming(False))
        self.confirm_button.clicked.connect(self.confirm)
        self._confirming(False)
        return box

    # ---- state -------------------------------------------------------------------------------------
    def _refresh_if_shown(self, *_args: object) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        session = self.session
        evaluation = session.evaluation()
        self.verdict.setText(f"检查结果：{evaluation.verdict.value}")
        equipment = session.checklist.family is Family.EQUIPMENT
        self.tally.setText(tally_text(evaluation, "严重事故隐患项" if equipment else "重点项"))
        extra = [f"整改要求 {len(session.record.orders)} 条"]
        if evaluation.rule is not None:
            extra.insert(0, f"判定规则：{evaluation.rule.name}（{evaluation.rule.describe()}）")
        if evaluation.grade is not None:
            grade = evaluation.grade
            score = f"{grade.score:.1f} 分，" if grade.score is not None else ""
            reason = f"（{grade.reason}）" if grade.reason else ""
            extra.append(f"量化分级动态评定：{score}{grade.grade.value}{reason}")
        self.extra.setText("；".join(extra))
        self._show_handlings(evaluation)
        self._show_fix(evaluation)
        if not self.findings.hasFocus():
            self.findings.blockSignals(True)
            self.findings.setPlainText(session.record.other_findings)
            self.findings.blockSignals(False)
        self.findings.setReadOnly(not session.editable)
        if session.editable:
            self._show_missing(session.missing())
        else:
            self._show_final()

    def chosen_handling(self, evaluation: Evaluation) -> str:
        """The handling that finalizing will use: the one chosen if it fits the verdict, else the default."""
        handling = self.session.record.handling
        if handling in evaluation.handlings:
            return handling
        return evaluation.default_handling.value if evaluation.default_handling is not None else ""

    def _show_handlings(self, evaluation: Evaluation) -> None:
        """The handling line: plain text, or radio buttons when the verdict offers several (the default
        preselected; 不符合 has no default and must be chosen)."""
        record = self.session.record
        choosing = self.session.editable and evaluation.offers_choice
        options = tuple(h.value for h in evaluation.handlings) if choosing else ()
        if options != tuple(b.property("handling") for b in self._handling_buttons):
            for button in self._handling_buttons:  # rebuilt only when the options change
                self.handling_group.removeButton(button)
                button.hide()
                button.deleteLater()
            self._handling_buttons = []
            for value in options:
                button = QRadioButton(value, self.handling_box)
                button.setProperty("handling", value)
                self.handling_group.addButton(button)
                self.handling_layout.insertWidget(self.handling_layout.count() - 1, button)
                self._handling_buttons.append(button)
        chosen = self.chosen_handling(evaluation)
        for button in self._handling_buttons:
            button.setChecked(chosen == button.property("handling"))
        if choosing:
            must = evaluation.needs_handling_choice
            self.handling_label.setText("处理措施（请选择）：" if must else "处理措施（可改选）：")
        elif self.session.editable:
            self.handling_label.setText(f"处理措施：{evaluation.handlings[0].value}")
        else:
            self.handling_label.setText(f"处理措施：{record.handling}")

    def _show_fix(self, evaluation: Evaluation) -> None:
        """The 当场整改情况 field: shown when the chosen handling needs it (or a finalized record has one)."""
        record = self.session.record
        if self.session.editable:
            chosen = self.chosen_handling(evaluation)
            needed = bool(chosen) and Handling(chosen).needs_on_spot_record
        else:
            needed = bool(record.on_spot_fix)
        self.fix_label.setVisible(needed)
        self.fix.setVisible(needed)
        self.fix.setReadOnly(not self.session.editable)
        if not self.fix.hasFocus() and not self._fix_timer.isActive():  # never wipe unsaved typing
            self.fix.blockSignals(True)
            self.fix.setPlainText(record.on_spot_fix)
            self.fix.blockSignals(False)

    def _save_fix(self) -> None:
        if self.session.editable and self.session.set_details(on_spot_fix=self.fix.toPlainText()):
            self._show_missing(self.session.missing())

    def _show_missing(self, problems: list[str]) -> None:
        self.missing_list.clear()
        for problem in problems:
            QListWidgetItem(problem, self.missing_list).setToolTip(problem)
        self.missing_list.scrollToTop()
        blocked = bool(problems)
        self.missing_title.setText(
            f"尚不能定稿，还缺 {len(problems)} 项：" if blocked else "内容已齐全，可以定稿。"
        )
        self.missing_title.setProperty("role", "warn" if blocked else "")
        self.missing_list.setVisible(blocked)
        self.missing_hint.setVisible(blocked)
        self.finalize_button.setEnabled(not blocked)
        self.final_state.setText("")
        if blocked:
            self._confirming(False)

    def _show_final(self) -> None:
        record = self.session.record
        self.missing_list.clear()
        self.missing_list.hide()
        self.missing_hint.hide()
        self.missing_title.setText("记录已定稿（只读）")
        when = local_display(record.finalized_at) if record.finalized_at else ""
        self.final_state.setText(
            f"文书编号 {record.document_no}，定稿时间 {when}。记录不可修改；如需更正，请在页首点击“创建更正版本”。"
        )
        self._confirming(False)
        self.finalize_button.hide()

    def _missing_activated(self, item: QListWidgetItem) -> None:
        text = item.text()
        match = _CODE.match(text)
        if match:
            self.item_requested.emit(match.group(1))
        elif "签名" in text:
            self.page_requested.emit("signatures")

    def _save_findings(self) -> None:
        if self.session.editable:
            self.session.set_details(other_findings=self.findings.toPlainText())

    # ---- finalizing --------------------------------------------------------------------------------
    def _confirming(self, on: bool) -> None:
        """Swap 定稿… for the inline confirmation (and back), keeping the keyboard focus on the buttons."""
        showing = (
            (self.confirm_text, self.confirm_button, self.cancel_button) if on else (self.finalize_button,)
        )
        hiding = (
            (self.finalize_button,) if on else (self.confirm_text, self.confirm_button, self.cancel_button)
        )
        for widget in showing:
            widget.setVisible(widget is not self.finalize_button or self.session.editable)
        target = self.cancel_button if on else (self.finalize_button if self.session.editable else None)
        for widget in hiding:
            hide_keeping_focus(widget, target)
        if on:
            self.cancel_button.setFocus()

    def _ask(self) -> None:
        self._findings_timer.stop()
        self._save_findings()
        if self._fix_timer.isActive():
            self._fix_timer.stop()
            self._save_fix()
        if self.session.missing():
            self.refresh()
            return
        self._confirming(True)

    def confirm(self) -> bool:
        """Finalize with the chosen handling (or the only one the verdict allows)."""
        evaluation = self.session.evaluation()
        handling = self.chosen_handling(evaluation) or None
        done = self.session.finalize(handling)
        self._confirming(False)
        self.refresh()
        return done
