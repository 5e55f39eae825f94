"""Password hashing with scrypt at OWASP strength (N=2^17, r=8, p=1), parameters and salt in the hash text.

Stored form: ``scrypt$n=131072,r=8,p=1$<salt base64>$<key base64>``. Verification reads the parameters from
the stored text, so hashes made with other parameters (tests use a cheap hasher) still verify, and
:meth:`PasswordHasher.needs_rehash` says when a stored hash is weaker than the current policy.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from inspector_app.core.errors import ValidationError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
_SCHEME = "scrypt"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class PasswordHasher:
    """scrypt with explicit cost parameters; the defaults are the OWASP recommendation."""

    n: int = 2**17
    r: int = 8
    p: int = 1
    key_len: int = 32
    salt_len: int = 16

    def _derive(self, password: str, salt: bytes, n: int, r: int, p: int, key_len: int) -> bytes:
        # scrypt needs 128·n·r bytes; OpenSSL's default limit (32 MiB) is below OWASP strength.
        maxmem = max(256 * 1024 * 1024, 256 * n * r)
        return hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=key_len
        )

    def hash(self, password: str) -> str:
        salt = secrets.token_bytes(self.salt_len)
        key = self._derive(password, salt, self.n, self.r, self.p, self.key_len)
        return f"{_SCHEME}$n={self.n},r={self.r},p={self.p}${_b64(salt)}${_b64(key)}"

    def verify(self, password: str, stored: str) -> bool:
        """True if ``password`` matches ``stored`` (constant-time comparison); False for malformed hashes."""
        try:
            scheme, params, salt_text, key_text = stored.split("$")
            values = dict(part.split("=") for part in params.split(","))
            n, r, p = int(values["n"]), int(values["r"]), int(values["p"])
            salt, key = base64.b64decode(salt_text), base64.b64decode(key_text)
        except (ValueError, KeyError):
            return False
        if scheme != _SCHEME:
            return False
        candidate = self._derive(password, salt, n, r, p, len(key))
        return hmac.compare_digest(candidate, key)

    def needs_rehash(self, stored: str) -> bool:
        return not stored.startswith(f"{_SCHEME}$n={self.n},r={self.r},p={self.p}$")


def check_password_policy(password: str, username: str = "") -> None:
    """Raise :class:`ValidationError` (Chinese) if ``password`` is too weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少 {MIN_PASSWORD_LENGTH} 位（当前 {len(password)} 位），请重新设置")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"密码不能超过 {MAX_PASSWORD_LENGTH} 位")
    if username and password.casefold() == username.casefold():
        raise ValidationError("密码不能与用户名相同")
    if len(set(password)) < 3:
        raise ValidationError("密码过于简单（字符种类太少），请换一个")
