"""The USB bundle: one ZIP file carrying records, decisions, blobs or a pull page, with a signed manifest.

Layout (see ``docs/sync-protocol.md`` § USB bundle)::

    manifest.json            what is inside: every member's path, size and SHA-256, sender, recipient
    manifest.sig             base64 Ed25519 signature of manifest.json by the sender's key
    records/<id>.json        RecordPayload (laptop → HQ)
    decisions/<id>.json      DecisionPayload (laptop → HQ)
    blobs/<sha256>           attachment bytes (both directions)
    pull/page.json           PullPage with every change for the recipient (HQ → laptop)
    pull/receipts.json       HQ's signed receipts for what it holds from the recipient (HQ → laptop)

A bundle is written to a temporary file next to the target, fsynced and renamed, so a half-written bundle
never carries the final name. :func:`open_bundle` checks everything before it returns: a truncated file, an
extra/missing/duplicated member, one changed byte, or a manifest not signed by the sender refuses the bundle
whole (:class:`BundleError`), so nothing from a bad bundle is ever stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature

from inspector_app.core.clock import utc_iso
from inspector_app.core.errors import InspectorError
from inspector_app.sync.protocol import (
    PROTOCOL_VERSION,
    DecisionPayload,
    ProtocolError,
    PullPage,
    Receipt,
    RecordPayload,
    canonical_json,
)
from inspector_app.trust.keys import DeviceKey, KeyFormatError, load_public_key

BUNDLE_FORMAT = "inspector-bundle/1"
BUNDLE_SUFFIX = ".inspbundle"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PAGE = "pull/page.json"
RECEIPTS = "pull/receipts.json"
_MEMBER = re.compile(
    r"^(records/[0-9a-f-]{36}\.json|decisions/[0-9a-f-]{36}\.json|blobs/[0-9a-f]{64}"
    r"|pull/page\.json|pull/receipts\.json)$"
)
_CHUNK = 1024 * 1024
#: A manifest larger than this is not ours.
_MAX_MANIFEST = 64 * 1024 * 1024


class BundleError(InspectorError):
    """A bundle that cannot be used; nothing from it has been stored. ``code`` is the machine reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Party:
    """Sender or recipient: ``kind`` is ``device`` or ``hq``; ``id`` the device id or HQ id."""

    kind: str
    id: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id}


@dataclass
class BundleContent:
    """What goes into a bundle. ``blobs`` maps SHA-256 → a function returning the bytes (read lazily)."""

    records: list[RecordPayload] = field(default_factory=list)
    decisions: list[DecisionPayload] = field(default_factory=list)
    blobs: Mapping[str, Callable[[], bytes]] = field(default_factory=dict)
    page: PullPage | None = None
    receipts: list[Receipt] = field(default_factory=list)


def write_bundle(
    path: str | os.PathLike[str],
    content: BundleContent,
    sender: Party,
    recipient: Party,
    key: DeviceKey,
    now: datetime,
) -> Path:
    """Write ``content`` to ``path`` atomically and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".partial-{uuid.uuid4().hex}{BUNDLE_SUFFIX}")
    entries: list[dict[str, Any]] = []
    try:
        with zipfile.ZipFile(temp, "x", allowZip64=True) as archive:

            def add(name: str, data: bytes, compress: bool) -> None:
                kind = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
                archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=kind)
                entries.append({"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

            for record in content.records:
                add(f"records/{record.id}.json", canonical_json(record.to_dict()), True)
            for decision in content.decisions:
                add(f"decisions/{decision.id}.json", canonical_json(decision.to_dict()), True)
            for sha, load in sorted(content.blobs.items()):
                data = load()
                if hashlib.sha256(data).hexdigest() != sha:
                    raise BundleError(
                        "blob_mismatch", f"附件 {sha[:12]}… 的内容与其 SHA-256 不符，未写出同步包"
                    )
                add(f"blobs/{sha}", data, False)
            if content.page is not None:
                add(PAGE, canonical_json(content.page.to_dict()), True)
            if content.receipts:
                add(RECEIPTS, canonical_json({"receipts": [r.to_dict() for r in content.receipts]}), True)
            manifest = canonical_json(
                {
                    "format": BUNDLE_FORMAT,
                    "protocol": PROTOCOL_VERSION,
                    "sender": sender.to_dict(),
                    "recipient": recipient.to_dict(),
                    "created_at": utc_iso(now),
                    "entries": entries,
                }
            )
            archive.writestr(zipfile.ZipInfo(MANIFEST, (1980, 1, 1, 0, 0, 0)), manifest, zipfile.ZIP_DEFLATED)
            signature = base64.b64encode(key.sign(manifest))
            archive.writestr(zipfile.ZipInfo(SIGNATURE, (1980, 1, 1, 0, 0, 0)), signature)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target


class Bundle:
    """An opened bundle whose every byte has been verified; use as a context manager.

    ``records``/``decisions``/``page`` are parsed; blobs are read on demand with :meth:`blob` (verified again).
    """

    def __init__(self, archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
        self._archive = archive
        self.manifest = manifest
        self.sender = Party(**manifest["sender"])
        self.recipient = Party(**manifest["recipient"])
        self.created_at: str = manifest["created_at"]
        self._entries = {e["path"]: e for e in manifest["entries"]}
        self.records: list[RecordPayload] = []
        self.decisions: list[DecisionPayload] = []
        self.page: PullPage | None = None
        self.receipts: list[Receipt] = []

    @property
    def blob_shas(self) -> list[str]:
        return sorted(p.removeprefix("blobs/") for p in self._entries if p.startswith("blobs/"))

    def blob(self, sha: str) -> bytes:
        return self._read(f"blobs/{sha}")

    def _read(self, name: str) -> bytes:
        entry = self._entries.get(name)
        if entry is None:
            raise BundleError("missing_member", f"同步包中没有 {name}")
        data = self._archive.read(name)
        if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise BundleError("altered", f"同步包中的 {name} 与清单不符（文件被改动）；整个同步包未导入")
        return data

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _refuse(code: str, path: Path, why: str) -> BundleError:
    return BundleError(code, f"同步包 {path.name} 无法使用：{why}。整个同步包未导入，请重新导出后再试。")


def _manifest(archive: zipfile.ZipFile, path: Path) -> tuple[bytes, dict[str, Any]]:
    try:
        info = archive.getinfo(MANIFEST)
        if info.file_size > _MAX_MANIFEST:
            raise _refuse("bad_manifest", path, "清单过大")
        raw = archive.read(MANIFEST)
        manifest = json.loads(raw)
    except KeyError as exc:
        raise _refuse("bad_manifest", path, "缺少清单 manifest.json") from exc
    except (ValueError, zipfile.BadZipFile, OSError) as exc:
        raise _refuse("bad_manifest", path, "清单无法读取") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
        raise _refuse("bad_manifest", path, f"不是 {BUNDLE_FORMAT} 格式的同步包")
    if manifest.get("protocol") != PROTOCOL_VERSION:
        raise _refuse("unsupported_protocol", path, f"协议版本 {manifest.get('protocol')!r} 不受支持")
    try:
        entries = manifest["entries"]
        for party in ("sender", "recipient"):
            Party(**manifest[party])
        assert isinstance(manifest["created_at"], str)
        assert all(set(e) == {"path", "size", "sha256"} and _MEMBER.match(e["path"]) for e in entries)
    except (KeyError, TypeError, AssertionError) as exc:
        raise _refuse("bad_manifest", path, "清单内容不完整或含有不允许的文件名") from exc
    return raw, manifest


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any], path: Path) -> None:
    names = archive.namelist()
    declared = [e["path"] for e in manifest["entries"]]
    if len(names) != len(set(names)) or len(declared) != len(set(declared)):
        raise _refuse("altered", path, "包内有重复的文件")
    if set(names) != set(declared) | {MANIFEST, SIGNATURE}:
        extra = sorted(set(names) - set(declared) - {MANIFEST, SIGNATURE})
        missing = sorted(set(declared) - set(names))
        raise _refuse("altered", path, f"包内文件与清单不符（多出 {extra[:3]}，缺少 {missing[:3]}）")
    for entry in manifest["entries"]:
        name = entry["path"]
        if archive.getinfo(name).file_size != entry["size"]:
            raise _refuse("altered", path, f"{name} 的大小与清单不符")
        digest = hashlib.sha256()
        with archive.open(name) as member:
            for chunk in iter(lambda m=member: m.read(_CHUNK), b""):  # type: ignore[misc]
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise _refuse("altered", path, f"{name} 的内容与清单中的 SHA-256 不符")
        if name.startswith("blobs/") and entry["sha256"] != name.removeprefix("blobs/"):
            raise _refuse("altered", path, f"附件 {name} 的内容与其文件名（SHA-256）不符")


def _check_signature(archive: zipfile.ZipFile, raw: bytes, public_key: str, path: Path) -> None:
    try:
        signature = base64.b64decode(archive.read(SIGNATURE), validate=True)
        load_public_key(public_key).verify(signature, raw)
    except KeyError as exc:
        raise _refuse("bad_signature", path, "缺少清单签名 manifest.sig") from exc
    except (InvalidSignature, binascii.Error, ValueError, KeyFormatError) as exc:
        raise _refuse(
            "bad_signature", path, "清单签名验证失败（不是发送方的密钥所签，或清单被改动）"
        ) from exc


def _parse_json(bundle: Bundle, path: Path) -> None:
    try:
        for name in sorted(bundle._entries):
            if name.startswith("records/"):
                bundle.records.append(RecordPayload.from_dict(json.loads(bundle._read(name))))
            elif name.startswith("decisions/"):
                bundle.decisions.append(DecisionPayload.from_dict(json.loads(bundle._read(name))))
            elif name == PAGE:
                bundle.page = PullPage.from_dict(json.loads(bundle._read(name)))
            elif name == RECEIPTS:
                data = json.loads(bundle._read(name))
                items = data.get("receipts") if isinstance(data, dict) else None
                if not isinstance(items, list):
                    raise ProtocolError("invalid_payload", f"{RECEIPTS} 应为含 receipts 列表的对象", 400)
                bundle.receipts = [Receipt.from_dict(r) for r in items]
    except ValueError as exc:
        raise _refuse("bad_payload", path, "包内的 JSON 无法解析") from exc
    except ProtocolError as exc:
        raise _refuse("bad_payload", path, str(exc)) from exc


def open_bundle(path: str | os.PathLike[str], key_for: Callable[[Party], str]) -> Bundle:
    """Open and fully verify a bundle; ``key_for(sender)`` returns the sender's public key text.

    ``key_for`` may raise (e.g. for an unknown or revoked device); the bundle is then refused.
    """
    source = Path(path)
    try:
        archive = zipfile.ZipFile(source, "r")
    except FileNotFoundError as exc:
        raise BundleError("not_found", f"找不到同步包：{source}") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse("truncated", source, "文件不完整或不是同步包（可能拷贝时被截断）") from exc
    try:
        raw, manifest = _manifest(archive, source)
        public_key = key_for(Party(**manifest["sender"]))
        _check_signature(archive, raw, public_key, source)
        try:
            _check_members(archive, manifest, source)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _refuse("truncated", source, "包内文件无法完整读出（可能被截断或损坏）") from exc
        bundle = Bundle(archive, manifest)
        _parse_json(bundle, source)
        return bundle
    except BaseException:
        archive.close()
        raise


def blob_loaders(shas: Iterable[str], read: Callable[[str], bytes]) -> dict[str, Callable[[], bytes]]:
    """``{sha: lambda: read(sha)}`` for :class:`BundleContent.blobs`."""
    return {sha: (lambda s=sha: read(s)) for sha in shas}  # type: ignore[misc]
