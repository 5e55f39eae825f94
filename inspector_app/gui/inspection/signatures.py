"""The 签名 page: a signature pad for each inspector on the record and one for the inspected party, and the
refusal path for the party (拒签: reason + witness name).

A signature is stored when the signer presses 确认签名 (a half-drawn signature is not a signature).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.records import Signature, SignerRole
from inspector_app.gui.inspection.items import hide_keeping_focus
from inspector_app.gui.inspection.page_body import page_body
from inspector_app.gui.inspection.record_session import RecordSession
from inspector_app.gui.inspection.signature_pad import SignaturePad

PAD_HEIGHT = 130
IMAGE_HEIGHT = 70


class SignerCard(QFrame):
    """One signer: the stored signature (if any), a pad, 清除 and 确认签名.

    Signals: ``sign_requested(name, png)``.
    """

    sign_requested = Signal(str, bytes)

    def __init__(self, title: str, name: str, name_editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panelCard")
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        heading = QLabel(title, self)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText("签名人姓名")
        self.name.setReadOnly(not name_editable)
        self.name.setVisible(name_editable)
        self.name.setAccessibleName("签名人姓名")
        layout.addWidget(self.name)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        self.image = QLabel(self)
        self.image.setFixedHeight(IMAGE_HEIGHT)
        self.image.hide()
        layout.addWidget(self.image)
        self.pad = SignaturePad(self)
        self.pad.setFixedHeight(PAD_HEIGHT)
        layout.addWidget(self.pad)
        buttons = QHBoxLayout()
        self.clear_button = QPushButton("清除", self)
        self.clear_button.clicked.connect(self.pad.clear)
        self.sign_button = QPushButton("确认签名", self)
        self.sign_button.setObjectName("primary")
        self.sign_button.clicked.connect(self._confirm)
        self.redo_button = QPushButton("重新签名", self)
        self.redo_button.clicked.connect(self._redo)
        buttons.addStretch(1)
        buttons.addWidget(self.redo_button)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.sign_button)
        layout.addLayout(buttons)
        layout.addStretch(1)  # keep the title at the top when the neighbour card is taller
        self.pad.changed.connect(self._pad_changed)
        self._pad_changed()

    def _pad_changed(self) -> None:
        self.sign_button.setEnabled(not self.pad.is_empty())

    def _confirm(self) -> None:
        if not self.pad.is_empty():
            self.sign_requested.emit(self.name.text().strip(), self.pad.to_png())

    def _redo(self) -> None:
        self._set_drawing(True)
        self.pad.setFocus()

    def _set_drawing(self, drawing: bool, can_redo: bool = False) -> None:
        self.redo_button.setVisible(can_redo and not drawing)
        fallback = self.redo_button if self.redo_button.isVisible() else None
        for widget in (self.pad, self.clear_button, self.sign_button):
            if drawing:
                widget.show()
            else:
                hide_keeping_focus(widget, fallback)

    def show_signature(self, signature: Signature | None, image: bytes | None, editable: bool) -> None:
        """Show the stored state; a draft without a signature shows the pad."""
        self.name.setReadOnly(not editable or self.name.isHidden())
        signed = signature is not None and bool(signature.image_sha256)
        if signed and image:
            picture = QImage.fromData(image)
            self.image.setPixmap(
                QPixmap.fromImage(picture).scaledToHeight(
                    IMAGE_HEIGHT, Qt.TransformationMode.SmoothTransformation
                )
            )
        self.image.setVisible(bool(signed and image))
        if signed and signature is not None:
            self.state.setText(f"已签名：{signature.signer_name}")
        else:
            self.state.setText("尚未签名" if editable else "未签名")
        self.setEnabled(True)
        self.pad.clear()
        self._set_drawing(editable and not signed, can_redo=editable and signed)


class RefusalBox(QFrame):
    """The party refuses to sign: reason and witness. Signals: ``refusal_requested(reason, witness)``."""

    refusal_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panelCard")
        layout = QVBoxLayout(self)
        heading = QLabel("当事人拒绝签名", self)
        heading.setObjectName("panelTitle")
        layout.addWidget(heading)
        hint = QLabel("当事人拒绝签名时，注明拒签原因，并由见证人（非本次执法人员）在场见证。", self)
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        layout.addWidget(hint)
        form = QFormLayout()
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("例如：当事人对检查结果有异议，拒绝签字")
        self.witness = QLineEdit(self)
        self.witness.setPlaceholderText("见证人姓名")
        form.addRow("拒签原因：", self.reason)
        form.addRow("见证人：", self.witness)
        layout.addLayout(form)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        layout.addWidget(self.state)
        row = QHBoxLayout()
        row.addStretch(1)
        self.record_button = QPushButton("记录拒签", self)
        self.record_button.setObjectName("danger")
        self.record_button.clicked.connect(
            lambda: self.refusal_requested.emit(self.reason.text().strip(), self.witness.text().strip())
        )
        row.addWidget(self.record_button)
        layout.addLayout(row)

    def show_refusal(self, signature: Signature | None, editable: bool) -> None:
        refused = signature is not None and signature.refused
        if refused and signature is not None:
            self.state.setText(
                f"已记录拒签。原因：{signature.refusal_reason}；见证人：{signature.witness_name}"
            )
            self.reason.setText(signature.refusal_reason)
            self.witness.setText(signature.witness_name)
        else:
            self.state.setText("")
        for widget in (self.reason, self.witness):
            widget.setReadOnly(not editable)
        self.record_button.setVisible(editable)


class SignaturesPanel(QScrollArea):
    """Pads for every inspector and the party, and the refusal box."""

    def __init__(self, session: RecordSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        body, outer = page_body(self, "签名")
        grid = QGridLayout()
        grid.setSpacing(10)
        record = session.record
        self.inspector_cards: dict[str, SignerCard] = {}
        for column, inspector in enumerate(record.inspectors):
            card = SignerCard(
                f"执法人员：{inspector.name}（执法证号 {inspector.badge_no}）", inspector.name, False, body
            )
            card.sign_requested.connect(
                lambda _n, png, name=inspector.name: self._sign(SignerRole.INSPECTOR, name, png)
            )
            grid.addWidget(card, 0, column)
            self.inspector_cards[inspector.name] = card
        party_name = record.business.responsible or ""
        self.party_card = SignerCard(f"被检查单位：{record.business.name}", party_name, True, body)
        self.party_card.sign_requested.connect(lambda name, png: self._sign(SignerRole.PARTY, name, png))
        grid.addWidget(self.party_card, 1, 0)
        self.refusal = RefusalBox(body)
        self.refusal.refusal_requested.connect(session.refuse_signature)
        grid.addWidget(self.refusal, 1, 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        self.setWidget(body)
        session.record_changed.connect(self._refresh_if_shown)
        self.refresh()

    def _sign(self, role: SignerRole, name: str, png: bytes) -> None:
        self.session.sign(role, name, png)

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def _image(self, signature: Signature | None) -> bytes | None:
        if signature is None or not signature.image_sha256:
            return None
        try:
            return self.session.photo_bytes(signature.image_sha256)
        except Exception:  # a missing file shows as "已签名" without the image
            return None

    def refresh(self) -> None:
        editable = self.session.editable
        signatures = self.session.record.signatures
        for name, card in self.inspector_cards.items():
            found = next(
                (s for s in signatures if s.role is SignerRole.INSPECTOR and s.signer_name == name), None
            )
            card.show_signature(found, self._image(found), editable)
        party = next((s for s in signatures if s.role is SignerRole.PARTY), None)
        signed_party = party if party is not None and not party.refused else None
        if signed_party is not None:
            self.party_card.name.setText(signed_party.signer_name)
        self.party_card.show_signature(signed_party, self._image(signed_party), editable)
        self.refusal.show_refusal(party, editable)
