"""The editor's header: who and what is inspected, progress, the live verdict preview, the autosave mark and
(for finalized records) the 创建更正版本 / 生成/打印 PDF buttons, plus an inline error line.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from inspector_app.core.clock import CHINA_TZ
from inspector_app.core.evaluation import Evaluation
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import Inspection

ERROR_SHOW_MS = 15000


def verdict_text(evaluation: Evaluation, unanswered: int, key_short: str = "重点") -> str:
    """'预判结果：基本符合 · 不符合 2 项（重点 0 项）· 量化评分 8.5 良好' style preview text (equipment records
    say 严重隐患 instead of 重点)."""
    tally = evaluation.tally
    parts = [f"预判结果：{evaluation.verdict.value}"]
    if tally.failed:
        parts.append(f"不符合 {len(tally.failed)} 项（{key_short} {len(tally.key_failed)} 项）")
    if evaluation.grade is not None:
        grade = evaluation.grade
        score = f"{grade.score:.1f} 分 " if grade.score is not None else ""
        parts.append(f"量化评分 {score}{grade.grade.value}")
    if unanswered:
        parts.append(f"尚有 {unanswered} 项未答")
    return " · ".join(parts)


class EditorHeader(QFrame):
    """Header widgets; the editor sets their content. Buttons: ``new_version_button``, ``pdf_button``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editorHeader")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(4)
        top = QHBoxLayout()
        self.title = QLabel(self)
        self.title.setObjectName("editorTitle")
        self.status = QLabel(self)
        self.status.setObjectName("statusBadge")
        self.saved = QLabel("", self)
        self.saved.setObjectName("autosaveState")
        self.saved.setProperty("role", "hint")
        top.addWidget(self.title, 1)
        top.addWidget(self.saved)
        top.addWidget(self.status)
        outer.addLayout(top)
        bottom = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setFixedWidth(220)
        self.progress.setFormat("已答 %v / %m 项")
        self.progress.setAccessibleName("作答进度")
        self.verdict = QLabel(self)
        self.verdict.setObjectName("verdictPreview")
        self.new_version_button = QPushButton("创建更正版本", self)
        self.new_version_button.setToolTip("已定稿记录不能修改；更正时创建一个新版本草稿")
        self.pdf_button = QPushButton("生成/打印 PDF", self)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.verdict, 1)
        bottom.addWidget(self.new_version_button)
        bottom.addWidget(self.pdf_button)
        outer.addLayout(bottom)
        self.error = QLabel(self)
        self.error.setObjectName("editorError")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        self._error_timer = QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.setInterval(ERROR_SHOW_MS)
        self._error_timer.timeout.connect(self.error.hide)

    def show_record(
        self, record: Inspection, checklist_title: str, editable: bool, can_correct: bool
    ) -> None:
        """Title, status badge and the buttons of finalized records (创建更正版本 only if ``can_correct``)."""
        party = record.business
        equipment = f"　设备 {record.equipment_code}" if record.equipment_code else ""
        version = f"（更正第{record.version}版）" if record.version > 1 else ""
        self.title.setText(f"<b>{party.name}</b>　{checklist_title}{version}{equipment}")
        self.title.setToolTip(f"{party.uscc}　{party.address}")
        draft = record.status is RecordStatus.DRAFT
        self.status.setText(record.status.label if editable else f"{record.status.label}（只读）")
        _set_tone(self.status, "draft" if draft else "final")
        self.new_version_button.setVisible(can_correct)
        self.pdf_button.setVisible(not draft)
        if not draft:
            self.saved.setText(f"文书编号 {record.document_no}" if record.document_no else "")

    def show_progress(self, answered: int, visible: int, preview: str, tone: str = "") -> None:
        """Progress bar and verdict preview; ``tone`` is ok / warn / fail (the preview's colour)."""
        self.progress.setMaximum(max(visible, 1))
        self.progress.setValue(answered)
        if visible == 0:
            self.progress.setFormat("无检查项")
        self.verdict.setText(preview)
        _set_tone(self.verdict, tone)

    def mark_saved(self, when: str) -> None:
        self.saved.setText(f"已自动保存 {when}")
        self.saved.setToolTip("")
        _set_tone(self.saved, "")
        self.error.hide()

    def show_waiting(self, message: str) -> None:
        """Changes wait for a busy database: say so (and why) where "已自动保存" would be."""
        self.saved.setText(message)
        self.saved.setToolTip(message)
        _set_tone(self.saved, "warn")

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self._error_timer.start()


def _set_tone(label: QLabel, tone: str) -> None:
    if label.property("tone") != tone:
        label.setProperty("tone", tone)
        label.style().unpolish(label)
        label.style().polish(label)


def clock_text(now_utc: datetime) -> str:
    """An aware datetime as China time ``HH:MM:SS``."""
    return now_utc.astimezone(CHINA_TZ).strftime("%H:%M:%S")
