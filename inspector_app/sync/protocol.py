"""Versioned payloads of the sync protocol, shared by the laptop client, HQ and the USB bundle.

Every ``from_dict`` validates its input and raises :class:`ProtocolError` (machine ``code`` + Chinese message)
so HQ can answer a bad request with a 4xx and a reason, and the client can refuse a bad answer. Every
``verify`` checks hashes and seals with the functions in :mod:`inspector_app.trust`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature

from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.errors import InspectorError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.record_content import inspection_from_content, referenced_blobs
from inspector_app.core.records import Inspection, canonical_content, content_hash
from inspector_app.core.registry import Business, BusinessKind, business_fields
from inspector_app.core.reviews import Decision, ReviewEvent
from inspector_app.trust.events import decision_digest
from inspector_app.trust.keys import DeviceKey, KeyFormatError, load_public_key
from inspector_app.trust.seals import (
    GENESIS,
    SealKind,
    SignedSeal,
    TrustError,
    build_seal,
    next_seal,
    sign_seal,
    verify_seal,
)

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"
#: Largest JSON request body HQ reads (a record with 200 answers is ~100 KB).
MAX_JSON_BYTES = 4 * 1024 * 1024
#: Largest blob (photos are downscaled on the laptop to well under 1 MB).
MAX_BLOB_BYTES = 32 * 1024 * 1024
#: Most SHA-256s one ``blobs/missing`` call may ask about.
MAX_MISSING_QUERY = 1000
#: Most items in one pull page.
MAX_PULL_LIMIT = 500

_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ProtocolError(InspectorError):
    """A payload that breaks the protocol. ``status`` is the HTTP status HQ answers with."""

    def __init__(self, code: str, message: str, status: int = 422, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.details = dict(details or {})

    @property
    def message(self) -> str:
        return str(self)

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def canonical_json(data: Any) -> bytes:
    """UTF-8 JSON, sorted keys, no whitespace: the project's one canonical encoding."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def is_sha256(text: Any) -> bool:
    return isinstance(text, str) and bool(_HEX64.match(text))


def check_sha256(text: Any, what: str = "SHA-256") -> str:
    if not is_sha256(text):
        raise ProtocolError("bad_sha256", f"{what} 应为 64 位小写十六进制文本", 400)
    return str(text)


def check_uuid(text: Any, what: str) -> str:
    try:
        if isinstance(text, str) and str(uuid.UUID(text)) == text:
            return text
    except ValueError:
        pass
    raise ProtocolError("bad_id", f"{what} 应为小写带连字符的 UUID", 400)


def _text(data: Mapping[str, Any], key: str, where: str, *, limit: int = 2000, empty: bool = True) -> str:
    value = data.get(key)
    if not isinstance(value, str) or len(value) > limit or (not empty and not value.strip()):
        raise ProtocolError("invalid_payload", f"{where}.{key} 应为不超过 {limit} 字的文本", 400)
    return value


def _object(data: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ProtocolError("invalid_payload", f"{where} 应为 JSON 对象", 400)
    return data


def _check_version(data: Mapping[str, Any], where: str) -> None:
    if data.get("protocol") != PROTOCOL_VERSION:
        raise ProtocolError(
            "unsupported_protocol",
            f"{where} 的协议版本为 {data.get('protocol')!r}，本程序只支持第 {PROTOCOL_VERSION} 版；请升级较旧的一方",
            400,
        )


def _seal(data: Any, where: str) -> SignedSeal:
    try:
        return SignedSeal.from_dict(_object(data, f"{where}.seal"))
    except TrustError as exc:
        raise ProtocolError(exc.code, str(exc), 400) from exc


def _verify(signed: SignedSeal, public_key: str) -> None:
    try:
        verify_seal(signed, public_key)
    except TrustError as exc:
        raise ProtocolError(exc.code, str(exc), 422) from exc


# -- records -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordPayload:
    """A finalized record on the wire: canonical ``content``, its ``hash``, and the device's ``seal``."""

    id: str
    hash: str
    content: dict[str, Any]
    seal: SignedSeal

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "id": self.id,
            "hash": self.hash,
            "content": self.content,
            "seal": self.seal.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> RecordPayload:
        data = _object(data, "record")
        _check_version(data, "record")
        record_id = check_uuid(data.get("id"), "record.id")
        digest = check_sha256(data.get("hash"), "record.hash")
        content = _object(data.get("content"), "record.content")
        return cls(record_id, digest, dict(content), _seal(data.get("seal"), "record"))

    @property
    def device(self) -> str:
        return self.seal.seal.device

    def record(self, status: RecordStatus = RecordStatus.SYNCED) -> Inspection:
        """The rebuilt record (``content_hash`` filled in); malformed content raises ``invalid_record``."""
        try:
            record = inspection_from_content(self.content, status)
        except InspectorError as exc:
            raise ProtocolError("invalid_record", str(exc), 422) from exc
        record.content_hash = self.hash
        return record

    def blobs(self) -> list[str]:
        """Every blob the record needs, sorted (derived from the content, never sent separately)."""
        shas = referenced_blobs(self.record())
        bad = sorted(s for s in shas if not is_sha256(s))
        if bad:
            raise ProtocolError("invalid_record", f"记录引用的附件名不是 SHA-256：{bad[0][:80]}", 422)
        return sorted(shas)

    def verify(self, public_key: str) -> Inspection:
        """Check hash, content and seal; return the rebuilt record. Raises :class:`ProtocolError`."""
        actual = hashlib.sha256(canonical_json(self.content)).hexdigest()
        if actual != self.hash:
            raise ProtocolError(
                "hash_mismatch",
                f"记录 {self.id} 的内容哈希不符（声明 {self.hash[:12]}…，实际 {actual[:12]}…）：内容在传输中被改动",
                422,
            )
        record = self.record()
        # The content hashes to ``hash`` (checked above), so a record whose canonical form IS the content
        # has that hash too: computing ``content_hash(record)`` again would only repeat the work.
        if record.id != self.id or canonical_content(record) != self.content:
            raise ProtocolError("invalid_record", f"记录 {self.id} 的内容不是规范格式（字段或取值有误）", 422)
        if not record.finalized_at or not record.document_no:
            raise ProtocolError("invalid_record", f"记录 {self.id} 尚未定稿（缺少定稿时间或文书编号）", 422)
        seal = self.seal.seal
        if seal.kind is not SealKind.RECORD or seal.subject != self.id or seal.digest != self.hash:
            raise ProtocolError("seal_mismatch", f"记录 {self.id} 的签章不是针对这份内容的", 422)
        if record.device_id != seal.device:
            raise ProtocolError(
                "seal_mismatch", f"记录 {self.id} 的设备（{record.device_id}）与签章设备不一致", 422
            )
        _verify(self.seal, public_key)
        return record


def seal_record(record: Inspection, previous: SignedSeal | None, key: DeviceKey, at: datetime) -> SignedSeal:
    """The device's seal over a finalized record (``record.content_hash`` must be set)."""
    digest = record.content_hash or content_hash(record)
    return sign_seal(next_seal(previous, record.device_id, SealKind.RECORD, record.id, digest, at), key)


def record_payload(record: Inspection, seal: SignedSeal) -> RecordPayload:
    """What the laptop sends for a finalized record."""
    return RecordPayload(
        record.id, record.content_hash or content_hash(record), canonical_content(record), seal
    )


# -- review decisions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPayload:
    """A supervisor's decision on one record version, sealed by the deciding laptop."""

    id: str
    record_id: str
    record_hash: str
    decision: Decision
    actor_id: str
    actor_name: str
    comment: str
    decided_at: datetime
    seal: SignedSeal

    def fields(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "record_id": self.record_id,
            "record_hash": self.record_hash,
            "decision": self.decision.value,
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "comment": self.comment,
            "decided_at": utc_iso(self.decided_at),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"protocol": PROTOCOL_VERSION, **self.fields(), "seal": self.seal.to_dict()}

    @property
    def digest(self) -> str:
        return decision_digest(self.fields())

    @property
    def device(self) -> str:
        return self.seal.seal.device

    @classmethod
    def from_dict(cls, data: Any) -> DecisionPayload:
        data = _object(data, "decision")
        _check_version(data, "decision")
        if data.get("decision") not in {d.value for d in Decision}:
            raise ProtocolError("invalid_payload", "decision.decision 应为 approved 或 returned", 400)
        comment = _text(data, "comment", "decision", limit=1000)
        if data["decision"] == Decision.RETURNED.value and not comment.strip():
            raise ProtocolError("invalid_payload", "退回决定必须附退回意见（decision.comment）", 400)
        try:
            decided_at = parse_utc(_text(data, "decided_at", "decision", limit=40))
        except ValueError as exc:
            raise ProtocolError("invalid_payload", "decision.decided_at 不是 UTC 时间", 400) from exc
        return cls(
            id=check_uuid(data.get("id"), "decision.id"),
            record_id=check_uuid(data.get("record_id"), "decision.record_id"),
            record_hash=check_sha256(data.get("record_hash"), "decision.record_hash"),
            decision=Decision(data["decision"]),
            actor_id=_text(data, "actor_id", "decision", limit=100),
            actor_name=_text(data, "actor_name", "decision", limit=100, empty=False),
            comment=comment,
            decided_at=decided_at,
            seal=_seal(data.get("seal"), "decision"),
        )

    def verify(self, public_key: str) -> None:
        seal = self.seal.seal
        if seal.kind is not SealKind.REVIEW or seal.subject != self.record_id or seal.digest != self.digest:
            raise ProtocolError("seal_mismatch", f"审核决定 {self.id} 的签章不是针对这份决定的", 422)
        _verify(self.seal, public_key)

    def event(self) -> ReviewEvent:
        return ReviewEvent(
            self.id,
            self.record_id,
            self.decision,
            self.actor_id,
            self.actor_name,
            self.comment,
            self.decided_at,
        )


#: Stands in for the seal while the digest of a decision is computed (the digest never covers the seal).
_PLACEHOLDER_SEAL = SignedSeal(
    build_seal("-", 1, SealKind.REVIEW, "-", GENESIS, GENESIS, datetime(2000, 1, 1, tzinfo=UTC)), ""
)


def decision_payload(
    event: ReviewEvent,
    record_hash: str,
    device: str,
    previous: SignedSeal | None,
    key: DeviceKey,
    at: datetime,
) -> DecisionPayload:
    """Seal a review event made on this laptop (its seal follows ``previous`` in the device chain)."""

    def build(seal: SignedSeal) -> DecisionPayload:
        return DecisionPayload(
            event.id, event.inspection_id, record_hash, event.decision, event.actor_id, event.actor_name,
            event.comment, event.decided_at.replace(microsecond=0), seal,
        )  # fmt: skip

    digest = decision_digest(build(_PLACEHOLDER_SEAL).fields())
    return build(
        sign_seal(next_seal(previous, device, SealKind.REVIEW, event.inspection_id, digest, at), key)
    )


# -- receipts, enrolment, pull ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """HQ's answer to an accepted record or decision; the laptop marks an item synced only on a receipt.

    ``signature`` is HQ's Ed25519 signature over :meth:`signed_bytes` (checked with HQ's public key from the
    enrolment). ``duplicate`` is true when HQ already held exactly this item.
    """

    kind: str
    id: str
    hash: str
    time: datetime
    duplicate: bool = False
    signature: str = ""

    def signed_bytes(self) -> bytes:
        return canonical_json(
            {"format": "inspector-receipt/1", "kind": self.kind, "id": self.id, "hash": self.hash,
             "time": utc_iso(self.time)}
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "hash": self.hash,
            "time": utc_iso(self.time),
            "duplicate": self.duplicate,
            "signature": self.signature,
        }

    def verify(self, public_key: str) -> None:
        """Check HQ's signature with HQ's public key (from the enrolment); ``bad_receipt`` otherwise."""
        try:
            signature = base64.b64decode(self.signature, validate=True)
            load_public_key(public_key).verify(signature, self.signed_bytes())
        except (InvalidSignature, binascii.Error, ValueError, KeyFormatError) as exc:
            raise ProtocolError(
                "bad_receipt", f"总部回执的签名无效（{self.id}）；可能连接到了冒充的服务器", 422
            ) from exc

    @classmethod
    def from_dict(cls, data: Any) -> Receipt:
        data = _object(data, "receipt")
        try:
            return cls(
                _text(data, "kind", "receipt", limit=20),
                _text(data, "id", "receipt", limit=100),
                check_sha256(data.get("hash"), "receipt.hash"),
                parse_utc(_text(data, "time", "receipt", limit=40)),
                bool(data.get("duplicate", False)),
                _text(data, "signature", "receipt", limit=200),
            )
        except ValueError as exc:
            raise ProtocolError("invalid_payload", "回执时间不是 UTC 时间", 400) from exc


@dataclass(frozen=True)
class HQIdentity:
    id: str
    name: str
    public_key: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "public_key": self.public_key}

    @classmethod
    def from_dict(cls, data: Any) -> HQIdentity:
        data = _object(data, "hq")
        return cls(
            _text(data, "id", "hq", limit=100), _text(data, "name", "hq"), _text(data, "public_key", "hq")
        )


@dataclass(frozen=True)
class Enrolment:
    """What a laptop keeps after enrolling: its token (secret), its name/role/area at HQ, and HQ's identity."""

    device_name: str
    device_id: str
    token: str
    role: str
    area: str
    hq: HQIdentity

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "device": self.device_name,
            "device_id": self.device_id,
            "token": self.token,
            "role": self.role,
            "area": self.area,
            "hq": self.hq.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Enrolment:
        data = _object(data, "enrolment")
        return cls(
            _text(data, "device", "enrolment", limit=100),
            check_uuid(data.get("device_id"), "enrolment.device_id"),
            _text(data, "token", "enrolment", limit=200, empty=False),
            _text(data, "role", "enrolment", limit=20),
            _text(data, "area", "enrolment", limit=100),
            HQIdentity.from_dict(data.get("hq")),
        )


class ItemType:
    DECISION = "decision"
    REGISTRY = "registry"
    RECORD = "record"


@dataclass(frozen=True)
class PullItem:
    """One change for the pulling device; ``seq`` orders the feed (the cursor is the last ``seq`` applied)."""

    seq: int
    type: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": self.type, self.type: self.data}

    @classmethod
    def from_dict(cls, data: Any) -> PullItem:
        data = _object(data, "item")
        kind, seq = data.get("type"), data.get("seq")
        if kind not in (ItemType.DECISION, ItemType.REGISTRY, ItemType.RECORD):
            raise ProtocolError("invalid_payload", f"未知的拉取条目类型 {kind!r}", 400)
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise ProtocolError("invalid_payload", "拉取条目的 seq 应为正整数", 400)
        return cls(seq, kind, dict(_object(data.get(kind), f"item.{kind}")))

    def decision(self) -> DecisionPayload:
        return DecisionPayload.from_dict(self.data)

    def record(self) -> RecordPayload:
        return RecordPayload.from_dict(self.data)

    def business(self) -> Business:
        return business_from_dict(self.data)


@dataclass(frozen=True)
class PullPage:
    """A page of changes after ``cursor`` given in the request; ``cursor`` here is where to continue."""

    items: list[PullItem]
    cursor: str
    more: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "items": [i.to_dict() for i in self.items],
            "cursor": self.cursor,
            "more": self.more,
        }

    @classmethod
    def from_dict(cls, data: Any) -> PullPage:
        data = _object(data, "page")
        _check_version(data, "page")
        items = data.get("items")
        if not isinstance(items, list):
            raise ProtocolError("invalid_payload", "page.items 应为列表", 400)
        return cls(
            [PullItem.from_dict(i) for i in items], parse_cursor(data.get("cursor")), bool(data.get("more"))
        )


def parse_cursor(text: Any) -> str:
    """A cursor is the decimal text of a feed ``seq`` (``"0"`` = from the start)."""
    if not isinstance(text, str) or not text.isdigit() or len(text) > 19:
        raise ProtocolError("bad_cursor", '游标（cursor）应为十进制数字文本，首次拉取用 "0"', 400)
    return str(int(text))


# -- registry ------------------------------------------------------------------------------------------------

_BUSINESS_TEXT = ("uscc", "name", "address", "area", "responsible", "phone", "licence_no", "risk_grade", "id")


def business_to_dict(business: Business) -> dict[str, Any]:
    """The wire form of a business: ``core.registry.business_fields`` plus its ``id`` and ``attributes``."""
    return {**business_fields(business), "id": business.id, "attributes": dict(business.attributes)}


def business_from_dict(data: Any) -> Business:
    data = _object(data, "business")
    texts = {name: _text(data, name, "business", limit=500) for name in _BUSINESS_TEXT}
    try:
        kind = BusinessKind(data.get("kind"))
        licensed = data.get("licensed_on")
        licensed_on = date.fromisoformat(licensed) if licensed else None
    except (ValueError, TypeError) as exc:
        raise ProtocolError("invalid_payload", f"主体 {texts['uscc']} 的类型或发证日期无效", 400) from exc
    score = data.get("credit_score")
    if score is not None and (not isinstance(score, (int, float)) or isinstance(score, bool)):
        raise ProtocolError("invalid_payload", "business.credit_score 应为数值或 null", 400)
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values()):
        raise ProtocolError("invalid_payload", "business.attributes 应为文本键值对象", 400)
    return Business(
        kind=kind, credit_score=score, attributes=dict(attributes), licensed_on=licensed_on, **texts
    )


@dataclass
class ErrorBody:
    """The body of every 4xx/5xx answer: ``{"error": {"code", "message", "details"}}``."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_response(cls, data: Any) -> ErrorBody | None:
        if isinstance(data, Mapping) and isinstance(data.get("error"), Mapping):
            err = data["error"]
            details = err.get("details")
            return cls(
                str(err.get("code", "")),
                str(err.get("message", "")),
                dict(details) if isinstance(details, Mapping) else {},
            )
        return None
