"""The checklist editor for one inspection record.

Left: sections (with answered/visible counts), then 整改要求, 签名, 定稿. Right: the chosen page. Section pages
are built the first time they are shown, so opening a long checklist costs one section. Every change is saved
at once through the service; there is no save button.

Keys: 1/2/3 (Y/N) answer the focused item, ↑/↓ or J/K move between items (across sections), Enter opens the
note or field, P adds photos, Ctrl+PgDn / Ctrl+PgUp go to the next / previous page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListView,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.accounts import User
from inspector_app.core.checklist import Family, Section
from inspector_app.core.verdicts import SEVERITY
from inspector_app.gui.inspection.autosave import AutosaveQueue
from inspector_app.gui.inspection.editor_stylesheet import EDITOR_QSS
from inspector_app.gui.inspection.header import EditorHeader, clock_text, verdict_text
from inspector_app.gui.inspection.items import ItemCard, hide_keeping_focus
from inspector_app.gui.inspection.navigation import NavigationModel, PageKind, SectionCounts
from inspector_app.gui.inspection.page_body import page_body
from inspector_app.gui.inspection.photos import PhotoImporter, choose_photos
from inspector_app.gui.inspection.record_session import RecordSession
from inspector_app.gui.workers import run_task

if TYPE_CHECKING:
    from inspector_app.services.app import Services

NAV_WIDTH = 250


class SectionPage(QScrollArea):
    """One section's item cards in a scrolling column."""

    def __init__(self, section: Section, session: RecordSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        body, layout = page_body(self, section.title)
        self.cards: dict[str, ItemCard] = {}
        for item in section.items:
            card = ItemCard(item, session.photo_bytes, session.editable, body)
            card.set_answer(session.answer_of(item.code))
            card.set_pending(session.is_pending(item.code))
            if not session.is_visible(item.code):
                card.hide()  # (showing explicitly would cost a layout pass per card)
            layout.addWidget(card)
            self.cards[item.code] = card
        layout.addStretch(1)
        self.setWidget(body)

    def first_visible(self) -> ItemCard | None:
        return next((c for c in self.cards.values() if not c.isHidden()), None)


class InspectionEditor(QWidget):
    """Fills (or shows, read-only) one inspection record.

    Constructor: ``InspectionEditor(services, actor, record_id, parent=None, read_only=False,
    autosave=None)``; the view is read-only for finalized records, for users who are not inspectors, or when
    ``read_only`` is given. ``autosave`` is the queue answers wait in while the database is busy (the host
    passes its own so they outlive the editor; by default the editor has one).

    Signals: ``changed(record_id)`` after every saved change; ``finalized(record_id)``;
    ``version_created(new_record_id)`` after 创建更正版本; ``pdf_ready(path)``; ``status_message(text)``.
    """

    changed = Signal(str)
    finalized = Signal(str)
    version_created = Signal(str)
    pdf_ready = Signal(str)
    status_message = Signal(str)

    def __init__(
        self,
        services: Services,
        actor: User,
        record_id: str,
        parent: QWidget | None = None,
        read_only: bool = False,
        autosave: AutosaveQueue | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.session = RecordSession(services, actor, record_id, self, read_only=read_only, autosave=autosave)
        self.setStyleSheet(EDITOR_QSS)
        self.setWindowTitle("现场检查记录")
        self._section_of = {i.code: n for n, s in enumerate(self.session.checklist.sections) for i in s.items}
        self._pages: dict[int, QWidget] = {}
        self._counts: dict[int, SectionCounts] = {}
        self._importer = PhotoImporter(self.session.attach_photo, self._show_error, self._photo_busy)
        self._build()
        self._connect()
        self._refresh_header()
        self.nav.setCurrentIndex(self.nav_model.index(0))

    # ---- construction ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = EditorHeader(self)
        outer.addWidget(self.header)
        body = QHBoxLayout()
        body.setSpacing(0)
        titles = [s.title for s in self.session.checklist.sections]
        self.nav_model = NavigationModel(titles, self._section_counts, self)
        self.nav = QListView(self)
        self.nav.setObjectName("sectionNav")
        self.nav.setAccessibleName("检查表章节")
        self.nav.setModel(self.nav_model)
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setWordWrap(True)
        self.nav.setUniformItemSizes(False)
        self.stack = QStackedWidget(self)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)

    def _connect(self) -> None:
        session = self.session
        session.answer_changed.connect(self._answer_changed)
        session.visibility_changed.connect(self._visibility_changed)
        session.record_changed.connect(self._refresh_header)
        session.status_changed.connect(self._status_changed)
        session.saved.connect(self._saved)
        session.failed.connect(self._show_error)
        session.pending_changed.connect(self._pending_changed)
        session.waiting.connect(self._waiting)
        self.nav.selectionModel().currentChanged.connect(self._nav_changed)
        # Enter on a section goes into its items.
        self.nav.activated.connect(lambda index: self.show_row(index.row(), focus=True))
        self.header.new_version_button.clicked.connect(self.create_new_version)
        self.header.pdf_button.clicked.connect(self.export_pdf)
        for keys, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(lambda s=step: self.step_page(s))
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    # ---- pages -------------------------------------------------------------------------------------
    def _section_counts(self, index: int) -> SectionCounts:
        counts = self._counts.get(index)
        if counts is None:  # the list view asks many times per paint: computed once per change
            s = self.session
            visible = [i for i in s.checklist.sections[index].items if s.is_visible(i.code)]
            answered = sum(1 for i in visible if s.is_answered(i))
            counts = SectionCounts(answered, len(visible), sum(1 for i in visible if s.is_incomplete(i)))
            self._counts[index] = counts
        return counts

    def page_widget(self, row: int) -> QWidget:
        """The page for a navigation row, built on first use."""
        page = self._pages.get(row)
        if page is None:
            entry = self.nav_model.entry(row)
            page = self._make_page(entry.kind, entry.section)
            self._pages[row] = page
            self.stack.addWidget(page)
        return page

    def _make_page(self, kind: PageKind, section: int) -> QWidget:
        if kind is PageKind.SECTION:
            page = SectionPage(self.session.checklist.sections[section], self.session, self)
            for card in page.cards.values():
                self._wire_card(card)
            return page
        if kind is PageKind.ORDERS:
            from inspector_app.gui.inspection.orders import OrdersPanel

            return OrdersPanel(self.session, self)
        if kind is PageKind.SIGNATURES:
            from inspector_app.gui.inspection.signatures import SignaturesPanel

            return SignaturesPanel(self.session, self)
        from inspector_app.gui.inspection.finalize import FinalizePanel

        panel = FinalizePanel(self.session, self)
        panel.item_requested.connect(self.go_to_item)
        panel.page_requested.connect(lambda kind: self.show_page(PageKind(kind)))
        return panel

    def _wire_card(self, card: ItemCard) -> None:
        card.answered.connect(self._answered)
        card.note_saved.connect(self.session.set_note)
        card.add_photos_requested.connect(self._choose_photos)
        card.photos_dropped.connect(self.add_photos)
        card.photo_remove_requested.connect(self.session.remove_photo)
        card.move_requested.connect(lambda step, c=card: self.move_from(c.code, step))

    def _nav_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            page = self.page_widget(current.row())
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
            old = self.stack.currentWidget()
            focus = QApplication.focusWidget() or self.window().focusWidget()
            if old is not None and old is not page and focus is not None and old.isAncestorOf(focus):
                # Hiding the focused widget would let Qt pass the focus to any widget of the window
                # (even outside the editor); keep it in the section list instead.
                self.nav.setFocus()
            self.stack.setCurrentWidget(page)

    def show_row(self, row: int, focus: bool = False) -> QWidget:
        self.nav.setCurrentIndex(self.nav_model.index(row))
        page = self.page_widget(row)
        if focus:
            target = page.first_visible() if isinstance(page, SectionPage) else page
            if target is not None:
                target.setFocus()
        return page

    def show_page(self, kind: PageKind) -> QWidget:
        return self.show_row(self.nav_model.row_of(kind), focus=True)

    def step_page(self, step: int) -> None:
        row = (self.nav.currentIndex().row() + step) % self.nav_model.rowCount()
        self.show_row(row, focus=True)

    # ---- items -------------------------------------------------------------------------------------
    def card(self, code: str) -> ItemCard:
        """The card of an item (its section page is built if needed)."""
        row = self.nav_model.row_of(PageKind.SECTION, self._section_of[code])
        page = self.page_widget(row)
        assert isinstance(page, SectionPage)
        return page.cards[code]

    def go_to_item(self, code: str) -> ItemCard | None:
        """Show the item's section, scroll to it and give it the keyboard focus."""
        if code not in self._section_of:
            return None
        page = self.show_row(self.nav_model.row_of(PageKind.SECTION, self._section_of[code]))
        card = self.card(code)
        card.setFocus()
        assert isinstance(page, SectionPage)
        page.ensureWidgetVisible(card, 0, 24)
        return card

    def move_from(self, code: str, step: int) -> None:
        codes = [i.code for i in self.session.visible_items()]
        if code in codes:
            target = codes.index(code) + step
            if 0 <= target < len(codes):
                self.go_to_item(codes[target])

    def _answered(self, code: str, value: str, by_key: bool) -> None:
        if not self.session.answer(code, value):
            self.card(code).set_answer(self.session.answer_of(code))  # show what is really stored
            return
        if not by_key:
            return
        card = self.card(code)
        if card.evidence().note_required:
            card.focus_note()
        else:
            self.move_from(code, 1)

    def _answer_changed(self, code: str) -> None:
        row = self.nav_model.row_of(PageKind.SECTION, self._section_of[code])
        if row in self._pages:
            self.card(code).set_answer(self.session.answer_of(code))
        self._counts.pop(self._section_of[code], None)
        self.nav_model.refresh(self._section_of[code])
        self._refresh_header()

    def _visibility_changed(self) -> None:
        for page in self._pages.values():
            if isinstance(page, SectionPage):
                for code, card in page.cards.items():
                    visible = self.session.is_visible(code)
                    if visible and card.isHidden():
                        card.show()
                    elif not visible and not card.isHidden():
                        hide_keeping_focus(card, self.nav)
        self._counts.clear()
        self.nav_model.refresh()
        self._refresh_header()

    # ---- photos ------------------------------------------------------------------------------------
    def _choose_photos(self, code: str) -> None:
        paths = choose_photos(self)
        if paths:
            self.add_photos(code, paths)

    def add_photos(self, code: str, paths: list[str] | list[Path]) -> None:
        """Prepare and attach photo files to an item (what the file dialog and drag-and-drop do)."""
        if self.session.editable:
            self._importer.import_files(code, paths)

    def _photo_busy(self, code: str, delta: int) -> None:
        self.card(code).set_photo_busy(delta)

    # ---- header and state --------------------------------------------------------------------------
    def _refresh_header(self) -> None:
        session = self.session
        self.header.show_record(
            session.record, session.checklist.title, session.editable, session.can_correct
        )
        answered, visible = session.progress()
        evaluation = session.evaluation()
        tone = ("ok", "warn", "fail")[SEVERITY[evaluation.verdict]]
        key_short = "严重隐患" if session.checklist.family is Family.EQUIPMENT else "重点"
        preview = verdict_text(evaluation, visible - answered, key_short)
        self.header.show_progress(answered, visible, preview, tone)

    def _saved(self) -> None:
        waiting = self.session.autosave.message()
        if waiting:  # this change is stored, others still wait
            self.header.show_waiting(waiting)
        else:
            self.header.mark_saved(clock_text(self.services.clock.now()))
        self.changed.emit(self.session.record_id)

    def _waiting(self, message: str) -> None:
        if message:
            self.header.show_waiting(message)

    def _pending_changed(self, code: str, pending: bool) -> None:
        row = self.nav_model.row_of(PageKind.SECTION, self._section_of[code])
        if row in self._pages:
            self.card(code).set_pending(pending)

    def _show_error(self, message: str) -> None:
        self.header.show_error(message)
        self.status_message.emit(message)

    def _status_changed(self) -> None:
        editable = self.session.editable
        for page in self._pages.values():
            if isinstance(page, SectionPage):
                for card in page.cards.values():
                    card.set_editable(editable)
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
        self._refresh_header()
        if not editable:
            self.finalized.emit(self.session.record_id)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None and not isinstance(widget, ItemCard):
            widget = widget.parentWidget()
        if widget is None or not self.isAncestorOf(widget):
            return
        page = self._pages.get(self.nav.currentIndex().row())
        if isinstance(page, SectionPage):
            page.ensureWidgetVisible(widget, 0, 24)

    def focusInEvent(self, event: Any) -> None:
        """``editor.setFocus()`` (the host does it after opening) lands on the first item of the page."""
        super().focusInEvent(event)
        page = self.stack.currentWidget()
        target = page.first_visible() if isinstance(page, SectionPage) else page
        (target or self.nav).setFocus()

    def refresh(self) -> None:
        """Re-read the record (the window calls this whenever the page is shown again)."""
        self.flush()
        was_editable = self.session.editable
        self.session.reload(quiet=True)
        for page in self._pages.values():
            if isinstance(page, SectionPage):
                for code, card in page.cards.items():
                    if not self.session.is_pending(code):  # keep showing what waits to be stored
                        card.set_answer(self.session.answer_of(code))
        self._visibility_changed()  # also recounts the sections and redraws the header
        if was_editable != self.session.editable:
            self._status_changed()

    def flush(self) -> None:
        """Save anything still being typed (called before the editor is closed or hidden)."""
        for page in self._pages.values():
            if isinstance(page, SectionPage):
                for card in page.cards.values():
                    card.flush()

    def hideEvent(self, event: Any) -> None:
        self.flush()
        super().hideEvent(event)

    # ---- finalized records -------------------------------------------------------------------------
    def create_new_version(self) -> str | None:
        new_id = self.session.new_version()
        if new_id:
            self.status_message.emit("已创建更正版本草稿")
            self.version_created.emit(new_id)
        return new_id

    def export_pdf(self) -> None:
        """Write the record's PDF in the background, then open it with the system viewer."""
        self.header.pdf_button.setEnabled(False)
        self.status_message.emit("正在生成 PDF…")
        run_task(self.services.reports.export, self.session.record_id, on_finished=self._pdf_done,
                 on_failed=self._pdf_failed)  # fmt: skip

    def _pdf_done(self, path: Path) -> None:
        self.header.pdf_button.setEnabled(True)
        self.status_message.emit(f"PDF 已生成：{path}")
        self.pdf_ready.emit(str(path))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _pdf_failed(self, message: str) -> None:
        self.header.pdf_button.setEnabled(True)
        self._show_error(f"生成 PDF 失败：{message}")
