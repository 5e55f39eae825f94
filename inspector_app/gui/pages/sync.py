"""同步 (administrators): enrol the laptop at HQ, sync now with a progress bar, the per-item queue with each
item's state and last error, 立即重试, and USB bundles for laptops without a network.

Every call into the sync service runs on a worker (``gui/workers.py``); the page only paints. The service
keeps the state, so the page can be closed during a run and shows the outcome when opened again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.clock import local_display
from inspector_app.core.outbox import (
    OutboxItem,
    OutboxState,
    PullReport,
    PushReport,
    ReceivedProblem,
    SyncStatus,
)
from inspector_app.gui import theme
from inspector_app.gui.models.base import Column, IdTableModel
from inspector_app.gui.pages.widgets import Card, IdTable, hint_label, title_label
from inspector_app.gui.sync_status import status_text
from inspector_app.gui.workers import run_task

if TYPE_CHECKING:
    from inspector_app.services.app import Services

ROLE_LABELS = {"inspector": "检查员设备", "supervisor": "审核人设备"}


def _when(moment: Any) -> str:
    return local_display(moment).removesuffix(" (UTC+8)") if moment else ""


def _error_color(item: OutboxItem) -> Any:
    return theme.DANGER if item.state in (OutboxState.FAILED, OutboxState.CONFLICT) else theme.WARNING


QUEUE_COLUMNS = (
    Column("类别", lambda i: i.kind.label),
    Column("文书编号", lambda i: i.document_no),
    Column("被检查单位", lambda i: i.business_name),
    Column("状态", lambda i: i.state.label + ("（已导出）" if i.exported_at and i.state.waiting else ""),
           color=lambda i: theme.OK if i.state is OutboxState.SYNCED else _error_color(i)),
    Column("尝试次数", lambda i: str(i.attempts), align_right=True),
    Column("上次尝试", lambda i: _when(i.last_attempt_at)),
    Column("最后错误", lambda i: i.last_error, color=_error_color, tooltip=lambda i: i.last_error),
)  # fmt: skip

PROBLEM_COLUMNS = (
    Column("类别", lambda p: {"record": "记录", "decision": "审核决定"}.get(p.kind, p.kind)),
    Column("收到时间", lambda p: _when(p.received_at)),
    Column("原因", lambda p: p.error, color=lambda _p: theme.DANGER, tooltip=lambda p: p.error),
)


@dataclass
class SyncPageData:
    """What the page shows, read on a worker thread."""

    status: SyncStatus
    items: list[OutboxItem] = field(default_factory=list)
    problems: list[ReceivedProblem] = field(default_factory=list)


def load_sync_page(services: Services) -> SyncPageData:
    sync = services.sync
    return SyncPageData(sync.status(), sync.items(), sync.problems())


def retry_and_sync(services: Services, progress: Any = None) -> tuple[PushReport, PullReport]:
    """立即重试: queue refused items again (conflicts never), then sync now."""
    services.sync.retry_failed()
    return services.sync.sync(progress=progress)


def report_text(result: tuple[PushReport, PullReport]) -> str:
    pushed, pulled = result
    lines = [pushed.summary(), *pushed.warnings, *pushed.errors[:20]]
    if not pushed.stopped:
        lines += [pulled.summary(), *pulled.errors[:20]]
    more = len(pushed.errors) + len(pulled.errors) - 40
    if more > 0:
        lines.append(f"……另有 {more} 条，见下方队列")
    return "\n".join(lines)


class EnrolDialog(QDialog):
    """Enter HQ's address and the one-time code; enrols on a worker and shows HQ's refusal inline."""

    def __init__(self, services: Services, url: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle("登记本机到总部")
        self.setMinimumWidth(480)
        self.url = QLineEdit(url)
        self.url.setPlaceholderText("https://hq.jingmen.example:8750")
        self.code = QLineEdit()
        self.code.setPlaceholderText("总部管理员给出的登记码，如 7KQ2-M9XA-3HTP")
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("（可选）总部使用自建证书时的 CA 证书文件")
        form = QFormLayout()
        form.addRow("总部地址(&U)：", self.url)
        form.addRow("登记码(&C)：", self.code)
        form.addRow("CA 证书(&A)：", self.ca_file)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登记")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label("登记后，本机的检查记录和审核决定会上传到总部，并接收审核结果和名录更新。")
        )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        self.buttons.setEnabled(False)
        self.error.setText("正在连接总部…")
        self.error.show()
        run_task(
            self.services.sync.enroll, self.url.text(), self.code.text(), ca_file=self.ca_file.text().strip(),
            on_finished=lambda _e: self.accept(), on_failed=self._failed,
        )  # fmt: skip

    def _failed(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(message)


class SyncPage(QWidget):
    """The 同步 page.

    Actions: :meth:`sync_now`, :meth:`retry_now`, :meth:`enrol`, :meth:`export_to`, :meth:`import_from`;
    ``refresh()`` reloads. Signals: ``synced()`` after a run or import (records may have changed),
    ``status_message(text)``, ``loaded()`` after the page was filled, ``run_finished(text)``.
    """

    synced = Signal()
    status_message = Signal(str)
    loaded = Signal()
    run_finished = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._rows: dict[str, Any] = {}
        self._busy = False
        self._data: SyncPageData | None = None
        self.queue_model = IdTableModel(QUEUE_COLUMNS, self._rows.get, parent=self)
        self.problem_model = IdTableModel(PROBLEM_COLUMNS, self._rows.get, parent=self)
        self._build()

    def _build(self) -> None:
        self.sync_button = QPushButton("立即同步(&S)")
        self.sync_button.setObjectName("primary")
        self.sync_button.clicked.connect(lambda _c=False: self.sync_now())
        self.retry_button = QPushButton("立即重试(&R)")
        self.retry_button.setToolTip("把被总部拒收的项目重新排队（冲突项除外），并立即同步")
        self.retry_button.clicked.connect(lambda _c=False: self.retry_now())
        self.enrol_button = QPushButton("登记本机(&E)…")
        self.enrol_button.clicked.connect(lambda _c=False: self.enrol())
        head = QHBoxLayout()
        head.addWidget(title_label("同步"))
        head.addStretch(1)
        for button in (self.enrol_button, self.retry_button, self.sync_button):
            head.addWidget(button)
        self.hq_label = hint_label("正在读取同步状态…", "sectionTitle")
        self.state_label = hint_label()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m")
        self.progress.hide()
        self.result = hint_label()
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.queue_card = Card("待同步队列")
        self.queue_table = IdTable(self.queue_model, stretch_column=6)
        self.queue_table.set_column_widths([80, 200, 220, 110, 70, 125, 0])
        self.queue_card.set_body(self.queue_table)
        self.problem_card = Card("总部发来但未采用的条目")
        self.problem_table = IdTable(self.problem_model, stretch_column=2)
        self.problem_table.set_column_widths([90, 125, 0])
        self.problem_card.set_body(self.problem_table)
        self.problem_card.setMaximumHeight(170)
        self.export_button = QPushButton("导出同步包(&X)…")
        self.export_button.clicked.connect(lambda _c=False: self._choose_export())
        self.import_button = QPushButton("导入同步包(&I)…")
        self.import_button.clicked.connect(lambda _c=False: self._choose_import())
        usb = QHBoxLayout()
        usb.addWidget(self.export_button)
        usb.addWidget(self.import_button)
        usb.addWidget(
            hint_label(
                "无网络时：把同步包用 U 盘带到总部导入（inspector-hq import），再把总部为本机导出的包导入本机。"
            ),
            1,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(head)
        layout.addWidget(self.hq_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.queue_card, 1)
        layout.addWidget(self.problem_card)
        layout.addLayout(usb)

    # -- data ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        run_task(load_sync_page, self.services, on_finished=self.set_data, on_failed=self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.state_label.setText(f"读取同步状态失败：{message}")
        self.state_label.setObjectName("errorText")
        self.state_label.setStyle(self.state_label.style())

    def set_data(self, data: SyncPageData) -> None:
        self._data = data
        status = data.status
        if status.enrolled:
            area = f" · 辖区 {status.area}" if status.area else ""
            self.hq_label.setText(
                f"总部：{status.hq_name}（{status.hq_url}） · 本机名称：{status.device_name}"
                f"（{ROLE_LABELS.get(status.role, status.role)}{area}）"
            )
            self.enrol_button.setText("重新登记(&E)…")
        else:
            self.hq_label.setText("本机尚未登记到总部。请向总部管理员索取登记码，然后点“登记本机”。")
            self.enrol_button.setText("登记本机(&E)…")
        _text, tip, attention = status_text(status)
        last = _when(status.last_success_at) or "从未"
        lines = [
            f"已同步 {status.synced} 项 · 待上传 {status.pending} 项 · 被拒收 {status.failed} 项 · "
            f"冲突 {status.conflict} 项 · 上次成功同步：{last}"
        ]
        if status.last_error:
            lines.append(f"最后错误（{_when(status.last_error_at)}）：{status.last_error}")
        self.state_label.setText("\n".join(lines))
        self.state_label.setToolTip(tip)
        self.state_label.setObjectName("errorText" if attention else "hint")
        self.state_label.setStyle(self.state_label.style())
        self._fill(self.queue_card, self.queue_model, data.items, lambda i: i.item_id, "待同步队列",
                   "没有待上传的项目：本机的记录和审核决定都已在总部。")  # fmt: skip
        self._fill(self.problem_card, self.problem_model, data.problems, lambda p: f"p:{p.item_id}",
                   "总部发来但未采用的条目", "")  # fmt: skip
        self.problem_card.setVisible(bool(data.problems))
        self._set_buttons()
        self.loaded.emit()

    def _fill(
        self, card: Card, model: IdTableModel, rows: list[Any], key: Any, title: str, empty: str
    ) -> None:
        ids = [key(r) for r in rows]
        for row_id, row in zip(ids, rows, strict=True):
            self._rows[row_id] = row
        model.set_ids(ids, {i: self._rows[i] for i in ids})
        card.title.setText(f"{title}（{len(ids)}）")
        card.show_empty(empty, not ids)

    def _set_buttons(self) -> None:
        enrolled = bool(self._data and self._data.status.enrolled)
        waiting = bool(self._data and self._data.status.waiting)
        self.sync_button.setEnabled(enrolled and not self._busy)
        self.retry_button.setEnabled(enrolled and waiting and not self._busy)
        self.export_button.setEnabled(enrolled and waiting and not self._busy)
        self.import_button.setEnabled(enrolled and not self._busy)
        self.enrol_button.setEnabled(not self._busy)

    # -- actions -------------------------------------------------------------------------------------

    @property
    def is_busy(self) -> bool:
        return self._busy

    def _start(self, label: str) -> None:
        self._busy = True
        self._set_buttons()
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.show()
        self.result.setText(label)
        self.result.setObjectName("hint")
        self.result.setStyle(self.result.style())

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, text: str, ok: bool) -> None:
        self._busy = False
        self.progress.hide()
        self.result.setText(text)
        self.result.setObjectName("hint" if ok else "errorText")
        self.result.setStyle(self.result.style())
        self.status_message.emit(text.splitlines()[0] if text else "")
        self.synced.emit()
        self.refresh()
        self.run_finished.emit(text)

    def _run_finished(self, result: tuple[PushReport, PullReport]) -> None:
        self._done(report_text(result), result[0].ok and result[1].ok)

    def sync_now(self) -> None:
        """Push the outbox, then pull, with progress; the outcome and every problem are shown."""
        if self._busy:
            return
        self._start("正在同步：上传本机记录和审核决定，然后接收总部的更新…")
        run_task(self.services.sync.sync, with_progress=True, on_progress=self._progressed,
                 on_finished=self._run_finished, on_failed=lambda m: self._done(m, False))  # fmt: skip

    def retry_now(self) -> None:
        """立即重试: refused items go back in the queue (conflicts stay) and a sync runs at once."""
        if self._busy:
            return
        self._start("正在重试…")
        run_task(retry_and_sync, self.services, with_progress=True, on_progress=self._progressed,
                 on_finished=self._run_finished, on_failed=lambda m: self._done(m, False))  # fmt: skip

    def enrol(self) -> bool:
        """Open the enrolment dialog; True when the laptop was enrolled."""
        url = self._data.status.hq_url if self._data else ""
        dialog = EnrolDialog(self.services, url, self)
        enrolled = bool(dialog.exec())
        if enrolled:
            self.status_message.emit("本机已登记到总部")
            self.refresh()
        return enrolled

    def _choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "导出同步包", "本机同步包.inspbundle", "同步包 (*.inspbundle)"
        )
        if path:
            self.export_to(path)

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "导入总部同步包", "", "同步包 (*.inspbundle);;所有文件 (*)"
        )
        if path:
            self.import_from(path)

    def export_to(self, path: str) -> None:
        self._start("正在写出同步包…")
        run_task(self.services.sync.export_bundle, path, on_finished=lambda r: self._done(r.summary(), True),
                 on_failed=lambda m: self._done(m, False))  # fmt: skip

    def import_from(self, path: str) -> None:
        self._start("正在校验并导入同步包…")
        run_task(self.services.sync.import_bundle, path,
                 on_finished=lambda r: self._done("\n".join([r.summary(), *r.errors[:20]]), r.ok),
                 on_failed=lambda m: self._done(m, False))  # fmt: skip
