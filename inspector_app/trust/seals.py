"""Seals: the per-device hash chain that signs finalized records and status-changing events.

A seal says "device D, as its N-th sealed act, vouches for SUBJECT with DIGEST, after the seal whose hash is
PREV, at time T". Its canonical bytes are UTF-8 JSON with sorted keys and no whitespace (like the record's
canonical form); the seal hash is their SHA-256; the signature is Ed25519 over the same bytes. Because each seal
names its predecessor's hash, removing, reordering or replacing a sealed act breaks the chain.

Kinds: ``record`` (subject = record id, digest = the record's content hash) and ``review`` (subject = record id,
digest = :func:`inspector_app.trust.events.decision_digest` of the decision).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature

from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.errors import InspectorError
from inspector_app.trust.keys import DeviceKey, KeyFormatError, load_public_key

SEAL_FORMAT = "inspector-seal/1"
#: ``prev`` of a device's first seal.
GENESIS = "0" * 64

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_FIELDS = ("format", "device", "seq", "kind", "subject", "digest", "prev", "at")


class TrustError(InspectorError):
    """A seal or chain that does not verify; ``code`` is the machine reason used on the wire."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class SealKind(StrEnum):
    RECORD = "record"
    REVIEW = "review"


@dataclass(frozen=True)
class Seal:
    """The signed statement (see the module docstring). ``at`` is UTC, second precision."""

    device: str
    seq: int
    kind: SealKind
    subject: str
    digest: str
    prev: str
    at: datetime
    format: str = SEAL_FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "device": self.device,
            "seq": self.seq,
            "kind": self.kind.value,
            "subject": self.subject,
            "digest": self.digest,
            "prev": self.prev,
            "at": utc_iso(self.at),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Seal:
        """Parse the wire form; anything malformed raises :class:`TrustError` (``malformed_seal``)."""
        if not isinstance(data, Mapping):
            raise TrustError("malformed_seal", "签章（seal）应为 JSON 对象")
        missing = [name for name in _FIELDS if name not in data]
        if missing:
            raise TrustError("malformed_seal", f"签章缺少字段：{', '.join(missing)}")
        if data["format"] != SEAL_FORMAT:
            raise TrustError("malformed_seal", f"不支持的签章格式“{data['format']}”，应为 {SEAL_FORMAT}")
        seq, kind = data["seq"], data["kind"]
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise TrustError("malformed_seal", "签章序号 seq 应为 ≥ 1 的整数")
        if kind not in {k.value for k in SealKind}:
            raise TrustError("malformed_seal", f"签章类型“{kind}”未知，应为 record 或 review")
        for name in ("device", "subject"):
            if not isinstance(data[name], str) or not data[name] or len(data[name]) > 100:
                raise TrustError("malformed_seal", f"签章字段 {name} 应为 1–100 个字符的文本")
        for name in ("digest", "prev"):
            if not isinstance(data[name], str) or not _HEX64.match(data[name]):
                raise TrustError("malformed_seal", f"签章字段 {name} 应为 64 位小写十六进制 SHA-256")
        try:
            at = parse_utc(str(data["at"]))
        except ValueError as exc:
            raise TrustError("malformed_seal", "签章时间 at 不是 UTC ISO-8601 时间") from exc
        if utc_iso(at) != data["at"]:
            raise TrustError("malformed_seal", "签章时间 at 应写成 YYYY-MM-DDTHH:MM:SSZ")
        return cls(data["device"], seq, SealKind(kind), data["subject"], data["digest"], data["prev"], at)


@dataclass(frozen=True)
class SignedSeal:
    """A seal and its Ed25519 signature (standard base64 of the 64 signature bytes)."""

    seal: Seal
    signature: str

    @property
    def hash(self) -> str:
        return seal_hash(self.seal)

    def to_dict(self) -> dict[str, Any]:
        return {**self.seal.to_dict(), "signature": self.signature}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignedSeal:
        if not isinstance(data, Mapping) or not isinstance(data.get("signature"), str):
            raise TrustError("malformed_seal", "签章缺少签名 signature（base64 文本）")
        return cls(Seal.from_dict(data), data["signature"])


def build_seal(
    device: str, seq: int, kind: SealKind | str, subject: str, digest: str, prev: str, at: datetime
) -> Seal:
    """A seal with ``at`` truncated to whole UTC seconds (the canonical precision)."""
    return Seal.from_dict(
        {
            "format": SEAL_FORMAT,
            "device": device,
            "seq": seq,
            "kind": str(kind),
            "subject": subject,
            "digest": digest,
            "prev": prev,
            "at": utc_iso(at),
        }
    )


def next_seal(
    previous: SignedSeal | None, device: str, kind: SealKind | str, subject: str, digest: str, at: datetime
) -> Seal:
    """The seal that follows ``previous`` in the device's chain (or the first one, after :data:`GENESIS`)."""
    if previous is None:
        return build_seal(device, 1, kind, subject, digest, GENESIS, at)
    return build_seal(device, previous.seal.seq + 1, kind, subject, digest, previous.hash, at)


def seal_bytes(seal: Seal) -> bytes:
    """The exact bytes that are hashed and signed."""
    return json.dumps(seal.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal_hash(seal: Seal) -> str:
    return hashlib.sha256(seal_bytes(seal)).hexdigest()


def sign_seal(seal: Seal, key: DeviceKey) -> SignedSeal:
    return SignedSeal(seal, base64.b64encode(key.sign(seal_bytes(seal))).decode("ascii"))


def verify_seal(signed: SignedSeal, public_key: str) -> None:
    """Raise :class:`TrustError` (``bad_signature``) unless ``public_key`` signed exactly this seal."""
    try:
        key = load_public_key(public_key)
        signature = base64.b64decode(signed.signature, validate=True)
        key.verify(signature, seal_bytes(signed.seal))
    except KeyFormatError as exc:
        raise TrustError("bad_key", f"设备公钥无效：{exc}") from exc
    except (binascii.Error, ValueError, InvalidSignature) as exc:
        raise TrustError(
            "bad_signature",
            f"签章 {signed.seal.device}#{signed.seal.seq} 的签名验证失败：内容被改动，或不是该设备的密钥所签",
        ) from exc


def verify_chain(
    seals: Iterable[SignedSeal], public_key: str, *, prev: str = GENESIS, first_seq: int = 1
) -> str:
    """Verify signatures, contiguous ``seq`` and ``prev`` links; return the last seal's hash.

    ``prev``/``first_seq`` let a verifier start in the middle of a chain it already trusts.
    """
    expected_seq, expected_prev, device = first_seq, prev, None
    for signed in seals:
        seal = signed.seal
        if device is None:
            device = seal.device
        elif seal.device != device:
            raise TrustError("chain_broken", f"签章链混入了其他设备的签章（{seal.device}，应为 {device}）")
        if seal.seq != expected_seq:
            raise TrustError("chain_broken", f"签章链在第 {expected_seq} 号处断开（收到第 {seal.seq} 号）")
        if seal.prev != expected_prev:
            raise TrustError("chain_broken", f"签章 {device}#{seal.seq} 的前一签章哈希不符：链被删改或重排")
        verify_seal(signed, public_key)
        expected_seq, expected_prev = seal.seq + 1, signed.hash
    return expected_prev
