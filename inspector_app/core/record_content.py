"""Rebuild an :class:`Inspection` from its canonical content (the inverse of ``records.canonical_content``).

HQ receives a record as canonical content (JSON) plus its hash; it rebuilds the record with
:func:`inspection_from_content`, checks that ``content_hash(rebuilt)`` equals the claimed hash (so the content
is exactly a record, with nothing added or missing), and renders the PDF with the same ``reports`` package as
the laptop. Anything malformed raises :class:`ValidationError` with a Chinese message naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from inspector_app.core.checklist import Result
from inspector_app.core.clock import parse_utc
from inspector_app.core.errors import ValidationError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import (
    ADDED_LATER,
    CANONICAL_FORMAT,
    Answer,
    Attachment,
    FiveImplementations,
    Inspection,
    InspectionType,
    Inspector,
    PartySnapshot,
    RectificationOrder,
    Signature,
    SignerRole,
)

T = TypeVar("T")

_TOP_LEVEL = frozenset(
    {
        "format", "id", "business", "form_id", "form_version", "inspection_type", "inspectors", "started_at",
        "place", "version", "previous_id", "equipment_code", "answers", "orders", "signatures", "attachments",
        "attributes", "verdict", "handling", "grade", "score", "other_findings", "accompanying",
        "recusal_requested", "document_no", "created_by", "device_id", "finalized_at",
    }
)  # fmt: skip


class _Reader:
    """Typed access to one JSON object, with the key path in every error."""

    def __init__(
        self,
        data: Any,
        where: str,
        keys: frozenset[str] | None = None,
        optional: frozenset[str] = frozenset(),
    ) -> None:
        if not isinstance(data, Mapping):
            raise ValidationError(f"记录内容 {where} 应为 JSON 对象")
        if keys is not None and not keys <= set(data) <= keys | optional:
            extra, missing = sorted(set(data) - keys - optional), sorted(keys - set(data))
            raise ValidationError(
                f"记录内容 {where} 的字段不符：多出 {extra or '无'}，缺少 {missing or '无'}"
            )
        self.data, self.where = data, where

    def _get(self, key: str, kind: type[T] | tuple[type, ...], label: str) -> Any:
        value = self.data.get(key)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int, float))):
            raise ValidationError(f"记录内容 {self.where}.{key} 应为{label}")
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str, "文本"))

    def integer(self, key: str) -> int:
        return int(self._get(key, int, "整数"))

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool, "true/false"))

    def optional_number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        return self._get(key, (int, float), "数值或 null")  # type: ignore[no-any-return]

    def moment(self, key: str) -> datetime:
        try:
            return parse_utc(self.text(key))
        except ValueError as exc:
            raise ValidationError(f"记录内容 {self.where}.{key} 不是 UTC 时间") from exc

    def optional_moment(self, key: str) -> datetime | None:
        return None if self.data.get(key) is None else self.moment(key)

    def day(self, key: str) -> date:
        try:
            return date.fromisoformat(self.text(key))
        except ValueError as exc:
            raise ValidationError(f"记录内容 {self.where}.{key} 不是日期（YYYY-MM-DD）") from exc

    def texts(self, key: str) -> list[str]:
        values = self._get(key, list, "文本列表")
        if not all(isinstance(v, str) for v in values):
            raise ValidationError(f"记录内容 {self.where}.{key} 应为文本列表")
        return list(values)

    def mapping(self, key: str) -> dict[str, str]:
        value = self._get(key, dict, "对象")
        if not all(isinstance(v, str) for v in value.values()):
            raise ValidationError(f"记录内容 {self.where}.{key} 的值应为文本")
        return dict(value)

    def enum(self, key: str, kind: Callable[[str], T]) -> T:
        try:
            return kind(self.text(key))
        except ValueError as exc:
            raise ValidationError(f"记录内容 {self.where}.{key} 的取值“{self.data.get(key)}”未知") from exc

    def items(self, key: str, build: Callable[[_Reader], T]) -> list[T]:
        values = self._get(key, list, "列表")
        return [build(_Reader(v, f"{self.where}.{key}[{i}]")) for i, v in enumerate(values)]


def _party(r: _Reader) -> PartySnapshot:
    return PartySnapshot(
        r.text("uscc"), r.text("name"), r.text("kind"), r.text("address"), r.text("responsible"),
        r.text("phone"), r.text("licence_no"), r.text("area"),
    )  # fmt: skip


def _answer(r: _Reader) -> Answer:
    value = r.data.get("value")
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"记录内容 {r.where}.value 应为文本或 null")
    result = None if r.data.get("result") is None else r.enum("result", Result)
    return Answer(
        r.text("code"), value, result, r.text("note"), r.texts("photos"), r.optional_moment("answered_at")
    )


def _order(r: _Reader) -> RectificationOrder:
    hazard = None
    if r.data.get("hazard") is not None:
        h = _Reader(r.data["hazard"], f"{r.where}.hazard")
        hazard = FiveImplementations(
            h.text("responsible"),
            h.text("measures"),
            h.day("deadline"),
            h.text("funds"),
            h.text("emergency_plan"),
        )
    return RectificationOrder(
        r.text("id"), r.text("item_code"), r.text("requirement"), r.day("deadline"), hazard
    )


def _signature(r: _Reader) -> Signature:
    return Signature(
        r.enum("role", SignerRole), r.text("signer_name"), r.text("image_sha256"), r.flag("refused"),
        r.text("refusal_reason"), r.text("witness_name"), r.optional_moment("signed_at"),
    )  # fmt: skip


def _attachment(r: _Reader) -> Attachment:
    return Attachment(
        r.text("sha256"), r.text("kind"), r.text("mime"), r.integer("size"), r.integer("width"),
        r.integer("height"), r.text("caption"),
    )  # fmt: skip


def inspection_from_content(
    content: Mapping[str, Any], status: RecordStatus = RecordStatus.FINALIZED
) -> Inspection:
    """The record whose ``canonical_content`` is ``content``; ``content_hash`` is left empty for the caller.

    ``status`` is not part of the content (it changes after finalization); HQ passes the status it holds.
    """
    r = _Reader(content, "record", _TOP_LEVEL, frozenset(ADDED_LATER))
    if r.data["format"] != CANONICAL_FORMAT:
        raise ValidationError(
            f"记录格式“{r.data['format']}”不受支持（应为 {CANONICAL_FORMAT}）；请升级 HQ 程序"
        )
    answers = r.items("answers", _answer)
    attachments = r.items("attachments", _attachment)
    return Inspection(
        id=r.text("id"),
        business=_party(_Reader(r.data["business"], "record.business")),
        form_id=r.text("form_id"),
        form_version=r.integer("form_version"),
        inspection_type=r.enum("inspection_type", InspectionType),
        inspectors=r.items(
            "inspectors", lambda i: Inspector(i.text("name"), i.text("badge_no"), i.text("user_id"))
        ),
        started_at=r.moment("started_at"),
        place=r.text("place"),
        status=status,
        version=r.integer("version"),
        previous_id=r.text("previous_id"),
        equipment_code=r.text("equipment_code"),
        answers={a.code: a for a in answers},
        orders=r.items("orders", _order),
        signatures=r.items("signatures", _signature),
        attachments={a.sha256: a for a in attachments},
        attributes=r.mapping("attributes"),
        verdict=r.text("verdict"),
        handling=r.text("handling"),
        grade=r.text("grade"),
        score=r.optional_number("score"),
        other_findings=r.text("other_findings"),
        accompanying=r.text("accompanying"),
        recusal_requested=r.flag("recusal_requested"),
        document_no=r.text("document_no"),
        created_by=r.text("created_by"),
        device_id=r.text("device_id"),
        finalized_at=r.optional_moment("finalized_at"),
        **{name: r.text(name) for name in ADDED_LATER if name in r.data},
    )


def referenced_blobs(record: Inspection) -> set[str]:
    """SHA-256s of every file the record needs: attachments, answer photos and signature images."""
    shas = set(record.attachments)
    for answer in record.answers.values():
        shas.update(answer.photos)
    shas.update(s.image_sha256 for s in record.signatures if s.image_sha256)
    return shas
