"""Device enrolment and authentication: one-time codes, device tokens, revocation.

HQ stores only SHA-256 digests of codes and tokens, so a copy of the database does not let anyone act as a
device. A code is single-use and expires; a revoked device's token is refused with 403.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from inspector_app.core.clock import Clock, parse_utc, utc_iso
from inspector_app.core.errors import InspectorError
from inspector_app.hq import store
from inspector_app.hq.store import DeviceRow
from inspector_app.sync.protocol import Enrolment, HQIdentity, ProtocolError, check_uuid
from inspector_app.trust.keys import KeyFormatError, load_public_key

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LIFETIME = timedelta(hours=24)
ROLES = ("inspector", "supervisor")
#: "Last contact" is updated at most once a minute per device.
LAST_SEEN_STEP = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class EnrolmentCode:
    device: str
    code: str
    expires_at: datetime

    def to_dict(self) -> dict[str, str]:
        return {"device": self.device, "code": self.code, "expires_at": utc_iso(self.expires_at)}


class Devices:
    """Enrol, authenticate, list and revoke devices."""

    def __init__(self, engine: Engine, clock: Clock, hq: HQIdentity) -> None:
        self.engine, self.clock, self.hq = engine, clock, hq

    def issue_code(self, name: str, role: str = "inspector", area: str = "") -> EnrolmentCode:
        """A one-time code for the device called ``name`` (new, or not yet enrolled, or revoked → re-enrol)."""
        name = name.strip()
        if not name or len(name) > 100:
            raise InspectorError("设备名称不能为空，且不超过 100 个字符")
        if role not in ROLES:
            raise InspectorError(f"设备角色“{role}”无效，应为 {' 或 '.join(ROLES)}")
        if role == "supervisor" and not area.strip():
            raise InspectorError("审核人设备必须指定辖区（--area），它只接收本辖区的记录")
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
        now = self.clock.now()
        expires = now + CODE_LIFETIME
        values = {
            "code_hash": _digest(raw),
            "code_expires_at": utc_iso(expires),
            "role": role,
            "area": area.strip(),
        }
        with self.engine.begin() as conn:
            existing = store.device_by(conn, name=name)
            if existing is None:
                store.add_device(conn, {"name": name, "created_at": utc_iso(now), **values})
            elif existing.enrolled_at and not existing.revoked_at:
                raise InspectorError(
                    f"设备“{name}”已登记并在使用中；如要更换，请先 inspector-hq revoke {name}"
                )
            else:
                store.update_device(
                    conn, existing.pk, device_id=None, public_key=None, token_hash=None, enrolled_at=None,
                    revoked_at=None, **values,
                )  # fmt: skip
        return EnrolmentCode(name, code, expires)

    def enroll(self, code: str, device_id: str, public_key: str) -> Enrolment:
        """Trade a valid code and the laptop's public key for a device token (shown once, stored hashed)."""
        check_uuid(device_id, "device_id")
        try:
            load_public_key(public_key)
        except KeyFormatError as exc:
            raise ProtocolError("bad_key", f"设备公钥无效：{exc}", 400) from exc
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.engine.begin() as conn:
            device = store.device_by(conn, code_hash=_digest(normalise_code(code)))
            if device is None or device.enrolled_at or not device.code_expires_at:
                raise ProtocolError("bad_code", "登记码无效或已使用；请向总部管理员重新获取登记码", 403)
            if parse_utc(device.code_expires_at) < now:
                raise ProtocolError(
                    "code_expired", "登记码已过期（有效期 24 小时）；请向总部管理员重新获取", 403
                )
            other = store.device_by(conn, device_id=device_id)
            if other is not None and other.pk != device.pk:
                raise ProtocolError(
                    "device_id_taken", f"本机标识已登记为设备“{other.name}”；请让管理员先吊销该设备", 409
                )
            try:
                store.update_device(
                    conn, device.pk, device_id=device_id, public_key=public_key, token_hash=_digest(token),
                    code_hash=None, code_expires_at=None, enrolled_at=utc_iso(now), last_seen_at=utc_iso(now),
                )  # fmt: skip
            except IntegrityError as exc:  # another laptop used the same code at the same moment
                raise ProtocolError("bad_code", "登记码已被使用", 403) from exc
        return Enrolment(device.name, device_id, token, device.role, device.area, self.hq)

    def authenticate(self, token: str) -> DeviceRow:
        """The device holding ``token``; 401 for no/unknown token, 403 for a revoked device."""
        if not token:
            raise ProtocolError("no_token", "请求未带设备令牌（Authorization: Bearer …）；请先登记本机", 401)
        with self.engine.connect() as conn:
            device = store.device_by(conn, token_hash=_digest(token))
            if device is None:
                raise ProtocolError(
                    "unknown_token", "设备令牌无效：本机未在总部登记，或令牌已被替换；请重新登记", 401
                )
            if device.revoked_at:
                raise ProtocolError(
                    "device_revoked",
                    f"设备“{device.name}”已被总部吊销（{device.revoked_at}），不能再同步；请联系管理员",
                    403,
                )
        now = self.clock.now()
        if device.last_seen_at is None or now - parse_utc(device.last_seen_at) >= LAST_SEEN_STEP:
            with self.engine.begin() as conn:  # not on every request: each write is an fsync
                store.update_device(conn, device.pk, last_seen_at=utc_iso(now))
        return device

    def revoke(self, name: str) -> DeviceRow:
        with self.engine.begin() as conn:
            device = store.device_by(conn, name=name)
            if device is None:
                raise InspectorError(f"没有名为“{name}”的设备；用 inspector-hq devices 查看设备列表")
            store.update_device(conn, device.pk, revoked_at=utc_iso(self.clock.now()), code_hash=None)
            found = store.device_by(conn, pk=device.pk)
        assert found is not None
        return found

    def list(self) -> list[DeviceRow]:
        with self.engine.connect() as conn:
            return store.all_devices(conn)

    def by_device_id(self, device_id: str) -> DeviceRow | None:
        with self.engine.connect() as conn:
            return store.device_by(conn, device_id=device_id)

    def by_name(self, name: str) -> DeviceRow | None:
        with self.engine.connect() as conn:
            return store.device_by(conn, name=name)
