"""审核 — the supervisor's review page: the queue, the record as a PDF, approve or return with a comment.

The queue table model holds record ids only (rows come from the queue the service returned). Everything that
touches the database or renders — the queue, the PDF, the decision — runs on a worker thread.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from inspector_app.core.accounts import User
from inspector_app.core.clock import local_display
from inspector_app.core.reviews import Decision, QueueItem, ReviewEvent
from inspector_app.gui import theme
from inspector_app.gui.models.base import Column, IdTableModel
from inspector_app.gui.pages.widgets import Card, IdTable, hint_label, title_label
from inspector_app.gui.review.dialogs import DecisionDialog
from inspector_app.gui.review.pdf_viewer import PdfViewer
from inspector_app.gui.workers import LatestOnlyRunner, run_task

if TYPE_CHECKING:
    from inspector_app.services.app import Services

_BAD = frozenset({"不符合", "立即停止使用"})
_GOOD = frozenset({"符合", "未发现问题"})
_PDF_CACHE = 4


def _when(moment: Any) -> str:
    return local_display(moment).removesuffix(" (UTC+8)") if moment else ""


def _verdict_color(q: QueueItem) -> Any:
    v = q.summary.verdict
    return theme.DANGER if v in _BAD else theme.OK if v in _GOOD else theme.WARNING if v else None


def _version_text(q: QueueItem) -> str:
    return f"第{q.summary.version}版（更正）" if q.summary.version > 1 else "第1版"


QUEUE_COLUMNS = (
    Column("定稿时间", lambda q: _when(q.summary.finalized_at or q.summary.started_at)),
    Column(
        "主体名称",
        lambda q: q.summary.business_name,
        tooltip=lambda q: f"{q.summary.business_name}\n{q.summary.uscc}",
    ),
    Column("辖区", lambda q: q.summary.area),
    Column("检查结果", lambda q: q.summary.verdict, color=_verdict_color),
    Column("检查人员", lambda q: "、".join(q.inspector_names)),
    Column("版本", _version_text, color=lambda q: theme.WARNING if q.summary.version > 1 else None),
    Column("检查表", lambda q: q.form_title or q.summary.form_id),
)


def load_pdf_and_history(services: Services, record_id: str) -> tuple[str, bytes, list[ReviewEvent]]:
    """Render the record's PDF and read its review history (runs off the UI thread)."""
    return record_id, services.reports.render(record_id), services.review.history(record_id)


def details_text(item: QueueItem, history: list[ReviewEvent]) -> str:
    """The plain-text details shown under the queue for the selected record."""
    s = item.summary
    lines = [
        f"被检查单位：{s.business_name}（{s.uscc}）",
        f"检查：{s.inspection_type} · {item.form_title or s.form_id} · {_when(s.started_at)}",
        f"检查人员：{'、'.join(item.inspector_names)}",
        f"检查结果：{s.verdict or '—'}　处理措施：{s.handling or '—'}"
        + (f"　等级：{s.grade}" if s.grade else ""),
        f"文书编号：{s.document_no}　{_version_text(item)}　状态：{s.status.label}",
    ]
    for event in history:
        who = f"{_when(event.decided_at)} {event.actor_name} {event.decision.label}"
        lines.append(f"审核记录：{who}" + (f"：{event.comment}" if event.comment else ""))
    return "\n".join(lines)


class ReviewPage(QWidget):
    """The 审核 page for supervisors.

    Setters: ``refresh()`` reloads the queue. Actions: :meth:`approve_current`, :meth:`return_current` (open
    the decision dialog, kept in :attr:`dialog`). Signals: ``record_activated(id)`` (打开记录),
    ``status_message(text)``, ``loaded()`` after the queue was filled, ``decided(record_id, decision)``.
    """

    record_activated = Signal(str)
    status_message = Signal(str)
    loaded = Signal()
    decided = Signal(str, str)

    def __init__(self, services: Services, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.user = user
        self._rows: dict[str, QueueItem] = {}
        self._history: dict[str, list[ReviewEvent]] = {}
        self._pdfs: OrderedDict[str, bytes] = OrderedDict()  # the last few rendered records
        self._current = ""
        self._loading = False
        self._busy = False
        self.dialog: DecisionDialog | None = None
        self.model = IdTableModel(QUEUE_COLUMNS, self._rows.get, parent=self)
        self._pdf_runner = LatestOnlyRunner(load_pdf_and_history, self)
        self._pdf_runner.resulted.connect(self._pdf_loaded)
        self._pdf_runner.failed.connect(self._pdf_failed)
        self._build()
        self._update_actions()

    # -- layout --------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.summary = hint_label("正在读取待审核记录…")
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setToolTip("重新读取待审核记录（F5）")
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        head = QHBoxLayout()
        head.addWidget(title_label("审核"))
        head.addWidget(self.summary, 1)
        head.addWidget(self.refresh_button)
        self.table = IdTable(self.model)
        self.table.setAccessibleName("待审核记录")
        self.table.set_column_widths([128, 150, 56, 70, 90, 90, 160])
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated_id.connect(self._focus_viewer)
        self.queue_card = Card("待审核记录")
        self.queue_card.add(self.table, 3)
        self.empty = self.queue_card.add(hint_label("没有待审核的记录。", "emptyText"))
        self.details = hint_label("")
        self.details.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.previous_comment = hint_label("", "errorText")
        details_card = Card("记录信息")
        details_card.add(self.previous_comment)
        details_card.add(self.details, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.queue_card, 3)
        left_layout.addWidget(details_card, 2)
        self.viewer = PdfViewer()
        self.approve_button = QPushButton("审核通过(&A)")
        self.approve_button.setObjectName("primary")
        self.approve_button.clicked.connect(lambda _c=False: self.approve_current())
        self.return_button = QPushButton("退回修改(&R)…")
        self.return_button.clicked.connect(lambda _c=False: self.return_current())
        self.open_button = QPushButton("打开记录(&O)")
        self.open_button.setToolTip("在检查记录页面中查看（只读）")
        self.open_button.clicked.connect(lambda _c=False: self._open_current())
        self.own_hint = hint_label("")
        self.error = hint_label("", "errorText")
        self.error.setVisible(False)
        actions = QHBoxLayout()
        for button in (self.approve_button, self.return_button, self.open_button):
            actions.addWidget(button)
        actions.addWidget(self.own_hint, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.error)
        right_layout.addWidget(self.viewer, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([470, 720])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(head)
        layout.addWidget(splitter, 1)

    # -- queue ---------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the queue in the background (keeps the selected record if it is still waiting)."""
        if self._loading:
            return
        self._loading = True
        run_task(
            self.services.review.queue, self.user, on_finished=self.set_queue, on_failed=self._queue_failed
        )

    def set_queue(self, items: list[QueueItem]) -> None:
        self._loading = False
        keep = self._current
        self._rows.clear()
        self._rows.update({item.id: item for item in items})
        self.model.set_ids([item.id for item in items], dict(self._rows))
        self.summary.setText(f"共 {len(items)} 份待审核。选中一份查看记录 PDF，然后审核通过或退回修改。")
        self.table.setVisible(bool(items))
        self.empty.setVisible(not items)
        row = self.model.row_of(keep) if keep else -1
        if items:
            self.table.setCurrentIndex(self.model.index(max(row, 0), 0))
            if row >= 0:
                self._show_details()
        else:
            self._select("")
        self.loaded.emit()

    def _queue_failed(self, message: str) -> None:
        self._loading = False
        self.summary.setText(f"读取待审核记录失败：{message}")

    def current_id(self) -> str:
        return self._current

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._select(self.model.id_at(current.row()) if current.isValid() else "")

    def _select(self, record_id: str) -> None:
        if record_id == self._current and record_id:
            return
        self._current = record_id
        self._set_error("")
        self._show_details()
        self._update_actions()
        if not record_id:
            self._pdf_runner.invalidate()
            self.viewer.clear("没有待审核的记录" if not self._rows else "请选择一份记录")
            return
        if record_id in self._pdfs:
            self._pdf_runner.invalidate()
            self._pdfs.move_to_end(record_id)
            self.viewer.set_pdf(self._pdfs[record_id], self._pdf_name(record_id))
            return
        self.viewer.clear("正在生成记录 PDF…")
        self._pdf_runner.submit(self.services, record_id)

    def _pdf_loaded(self, result: tuple[str, bytes, list[ReviewEvent]]) -> None:
        record_id, pdf, history = result
        self._history[record_id] = history
        self._pdfs[record_id] = pdf
        while len(self._pdfs) > _PDF_CACHE:
            self._pdfs.popitem(last=False)
        if record_id != self._current:
            return
        self.viewer.set_pdf(pdf, self._pdf_name(record_id))
        self._show_details()

    def _pdf_name(self, record_id: str) -> str:
        item = self._rows.get(record_id)
        return f"{item.summary.document_no or record_id if item else record_id}.pdf"

    def _pdf_failed(self, message: str) -> None:
        self.viewer.clear(f"无法显示记录 PDF：{message}")

    def _show_details(self) -> None:
        item = self._rows.get(self._current)
        if item is None:
            self.details.setText("")
            self.previous_comment.setText("")
            return
        self.details.setText(details_text(item, self._history.get(item.id, [])))
        self.previous_comment.setVisible(bool(item.previous_comment))
        self.previous_comment.setText(
            f"上一版退回意见：{item.previous_comment}" if item.previous_comment else ""
        )

    def _own(self, item: QueueItem) -> bool:
        return self.user.id in item.inspector_ids or item.summary.created_by == self.user.id

    def _update_actions(self) -> None:
        item = self._rows.get(self._current)
        own = item is not None and self._own(item)
        can_decide = item is not None and not own and not self._busy
        self.approve_button.setEnabled(can_decide)
        self.return_button.setEnabled(can_decide)
        self.open_button.setEnabled(item is not None)
        self.own_hint.setText("本人参与检查的记录，须由其他审核人审核" if own else "")

    def _set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _focus_viewer(self, _record_id: str) -> None:
        self.viewer.setFocus()

    def _open_current(self) -> None:
        if self._current:
            self.record_activated.emit(self._current)

    # -- decisions -----------------------------------------------------------------------------------

    def approve_current(self) -> None:
        """Ask for an optional comment, then approve the selected record."""
        self._ask(Decision.APPROVED)

    def return_current(self) -> None:
        """Ask for the (required) comment, then return the selected record to its inspectors."""
        self._ask(Decision.RETURNED)

    def _ask(self, decision: Decision) -> None:
        item = self._rows.get(self._current)
        if item is None or not self.approve_button.isEnabled():
            return
        label = f"{item.summary.business_name} {item.summary.document_no}".strip()
        self.dialog = DecisionDialog(decision, label, self)
        record_id = item.id
        self.dialog.accepted.connect(lambda d=self.dialog: self._decide(record_id, decision, d.comment()))
        self.dialog.open()

    def _decide(self, record_id: str, decision: Decision, comment: str) -> None:
        self._busy = True
        self._update_actions()
        review = self.services.review
        action = review.approve if decision is Decision.APPROVED else review.return_
        run_task(
            action,
            self.user,
            record_id,
            comment,
            on_finished=self._decided,
            on_failed=self._decision_failed,
        )

    def _decided(self, event: ReviewEvent) -> None:
        self._busy = False
        item = self._rows.get(event.inspection_id)
        name = item.summary.business_name if item else event.inspection_id
        self.status_message.emit(f"{event.decision.label}：{name}")
        self.decided.emit(event.inspection_id, event.decision.value)
        self._pdfs.pop(event.inspection_id, None)  # its PDF now shows the new status
        self._history.pop(event.inspection_id, None)
        self._current = ""  # the next record in the queue gets selected
        self.refresh()

    def _decision_failed(self, message: str) -> None:
        self._busy = False
        self._set_error(message)
        self._update_actions()
        self.refresh()
