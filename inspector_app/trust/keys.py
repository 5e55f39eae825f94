"""Ed25519 device keys: generation and the two serialisations the project uses.

* The **private key** is stored by its owner as PKCS#8 PEM (unencrypted here; the laptop keeps it inside its
  encrypted data home, HQ inside its database).
* The **public key** travels as text: ``ed25519:`` followed by the standard base64 of the 32 raw key bytes.
  Its fingerprint is the SHA-256 hex digest of those 32 bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from inspector_app.core.errors import InspectorError

PUBLIC_KEY_PREFIX = "ed25519:"


class KeyFormatError(InspectorError):
    """A key that cannot be read (the message says which and how to fix)."""


@dataclass(frozen=True)
class DeviceKey:
    """A device's key pair; ``public`` is the text form (:func:`public_key_text`)."""

    private: Ed25519PrivateKey

    @property
    def public(self) -> str:
        return public_key_text(self.private.public_key())

    @property
    def fingerprint(self) -> str:
        return key_fingerprint(self.public)

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)

    def to_pem(self) -> bytes:
        return private_key_bytes(self.private)

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(generate_key())

    @classmethod
    def from_pem(cls, data: bytes) -> DeviceKey:
        return cls(load_private_key(data))


def generate_key() -> Ed25519PrivateKey:
    """A new random Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """PKCS#8 PEM, unencrypted (the caller stores it somewhere protected)."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key(data: bytes) -> Ed25519PrivateKey:
    """Inverse of :func:`private_key_bytes`; anything else raises :class:`KeyFormatError` in Chinese."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFormatError(
            "设备私钥文件无法读取（不是 PKCS#8 PEM 格式或已损坏）；请从备份恢复或重新登记设备"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError("设备私钥不是 Ed25519 密钥；请重新登记设备")
    return key


def public_key_text(key: Ed25519PublicKey) -> str:
    """``ed25519:<base64 of the 32 raw bytes>``."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PUBLIC_KEY_PREFIX + base64.b64encode(raw).decode("ascii")


def _raw_public(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith(PUBLIC_KEY_PREFIX):
        raise KeyFormatError(f"公钥格式不对：应以“{PUBLIC_KEY_PREFIX}”开头")
    try:
        raw = base64.b64decode(text[len(PUBLIC_KEY_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyFormatError("公钥不是有效的 base64 文本") from exc
    if len(raw) != 32:
        raise KeyFormatError(f"Ed25519 公钥应为 32 字节，收到 {len(raw)} 字节")
    return raw


def load_public_key(text: str) -> Ed25519PublicKey:
    """Inverse of :func:`public_key_text`; malformed text raises :class:`KeyFormatError`."""
    return Ed25519PublicKey.from_public_bytes(_raw_public(text))


def key_fingerprint(text: str) -> str:
    """SHA-256 hex digest of the raw public key (shown to admins to compare keys by eye)."""
    return hashlib.sha256(_raw_public(text)).hexdigest()
