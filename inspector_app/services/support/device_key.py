"""The device's Ed25519 key: the one place that reads or writes it (``device-key.pem`` in the data home).

The key is created the first time the laptop seals something (finalizing a record or deciding on one), so
every act is sealed when it happens; enrolling at HQ only registers its public key. Its public half is also
kept in the database (``sync_settings.device_public_key``, written by the sealer), so a lost or swapped key
file is noticed instead of silently starting a second chain.

Issue 12 (encryption at rest) changes only this module: :func:`load_device_key` and :func:`create_device_key`
are the only functions that touch the private key's bytes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from inspector_app.core.errors import InspectorError
from inspector_app.trust.keys import DeviceKey


class DeviceKeyError(InspectorError):
    """The key file is missing, unreadable or not the key this laptop's seals were made with."""


def load_device_key(path: Path) -> DeviceKey | None:
    """The stored key, or None when there is none yet; an unreadable file raises :class:`DeviceKeyError`."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DeviceKeyError(f"无法读取设备私钥 {path}：{exc.strerror or exc}") from exc
    try:
        key = DeviceKey.from_pem(data)
    except InspectorError as exc:
        raise DeviceKeyError(f"设备私钥文件 {path} 已损坏：{exc}") from exc
    _owner_only(path)
    return key


def _owner_only(path: Path) -> None:
    """Keep the key readable by its owner only (a restored backup or a copied home may have widened it)."""
    if os.name == "posix":
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)


def create_device_key(path: Path) -> DeviceKey:
    """Generate and store a new key (owner-only file, written atomically); if another process stored one
    first, that one is returned, so a laptop never ends up with two keys."""
    key = DeviceKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".device-key-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key.to_pem())
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        try:
            os.link(temp, path)  # fails if the file exists: never replaces a key
        except FileExistsError:
            existing = load_device_key(path)
            assert existing is not None
            return existing
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    return key
