"""Backups of a data home (``inspector backup FILE``) and restoring one (``inspector restore FILE``).

A backup is one ZIP file, written under a temporary name, fsynced and renamed into place:

- ``inspector.sqlite3`` — a consistent copy made with ``VACUUM INTO`` while the app may keep working;
- ``attachments/ab/<sha256>`` — every photo and signature the copy refers to, each checked against its
  name (hash) as it is read, so a damaged file is never backed up silently;
- the home files of :data:`HOME_FILES` (the device identity, which numbers this laptop's records, and the
  device key that seals them);
- ``manifest.json`` (last) — format, time, program version, and the SHA-256 and size of every member.

Restoring verifies before anything is replaced: every member against the manifest, then the copied home
itself (migrated if it came from an older version, refused if from a newer one) with every check of
``inspector verify``. Only then is the current database, attachments folder and device file moved into
``replaced-<time>/`` inside the data home — kept, never deleted — and the copy moved into place, in a
crash-safe swap (:mod:`inspector_app.storage.backup`).

API for the GUI: ``services.backup.backup(path, progress=cb)`` and ``services.backup.restore(path,
progress=cb)`` (which closes that ``Services``: the GUI then reopens the home and logs in again); both raise
:class:`BackupError` (or another :class:`~inspector_app.core.errors.InspectorError`) with a Chinese message.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from inspector_app import __version__
from inspector_app.core.clock import CHINA_TZ, Clock, SystemClock, utc_iso
from inspector_app.core.errors import InspectorError
from inspector_app.paths import DataHome
from inspector_app.storage.backup import (
    RESTORE_MARKER,
    SnapshotInfo,
    describe_snapshot,
    exclusive_use,
    swap_in,
)
from inspector_app.storage.db import NO_SPACE_ERRNOS, disk_full
from inspector_app.storage.files import fsync_dir
from inspector_app.storage.store import Store

if TYPE_CHECKING:
    from inspector_app.services.app import Services

BACKUP_FORMAT = "inspector-backup/1"
MANIFEST = "manifest.json"
DATABASE = "inspector.sqlite3"
#: Small files of the data home carried in a backup: the device identity and the device key that seals its
#: records (without it a restored laptop could not continue its chain; see services/support/device_key.py).
HOME_FILES: tuple[str, ...] = ("device.json", "device-key.pem")
_ATTACHMENT_NAME = re.compile(r"^attachments/([0-9a-f]{2})/([0-9a-f]{64})$")
_CHUNK = 1 << 20

Progress = Callable[[int, int], None]


class BackupError(InspectorError):
    """A backup cannot be made, or a file is not a usable backup. Nothing was replaced."""


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (returned by :meth:`BackupService.backup` and :func:`read_backup`)."""

    path: Path
    created_at: str
    records: int
    businesses: int
    attachments: int
    size: int


@dataclass(frozen=True)
class RestoreSummary:
    """A finished restore: what came in and where the replaced data was kept (None: nothing replaced)."""

    backup: BackupSummary
    replaced_kept_in: Path | None


def _no_space(exc: OSError, folder: Path) -> InspectorError:
    return disk_full(folder) if exc.errno in NO_SPACE_ERRNOS else BackupError(f"文件操作失败：{exc}")


class BackupService:
    """Backup and restore of the data home behind one :class:`~inspector_app.services.app.Services`."""

    def __init__(self, services: Services, store: Store, clock: Clock) -> None:
        self._services = services
        self._store = store
        self.clock = clock

    def backup(self, path: str | os.PathLike[str], progress: Progress | None = None) -> BackupSummary:
        """Write a backup of the data home to ``path`` (atomically: the file appears only when complete)."""
        target = Path(path).resolve()
        if target.is_dir():
            raise BackupError(f"{target} 是一个目录；请给出备份文件名，例如 {target / '备份.zip'}")
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".backup-"))
        partial = target.with_name(f".partial-{uuid.uuid4().hex}.zip")
        try:
            snapshot = work / DATABASE
            self._store.snapshot(snapshot)
            info = describe_snapshot(snapshot)
            created = utc_iso(self.clock.now())
            _write_zip(partial, snapshot, info, self._store.home, created, progress)
            _durable_rename(partial, target)
        except OSError as exc:
            raise _no_space(exc, target.parent) from exc
        finally:
            partial.unlink(missing_ok=True)
            shutil.rmtree(work, ignore_errors=True)
        return BackupSummary(
            target, created, info.records, info.businesses, len(info.attachments), target.stat().st_size
        )

    def restore(self, path: str | os.PathLike[str], progress: Progress | None = None) -> RestoreSummary:
        """Verify the backup at ``path`` and put it in place of this data home's data.

        Closes this ``Services`` first (its connections would keep the old database open); create a new one
        afterwards. See :func:`restore_home`.
        """
        home = self._services.home
        self._services.close()
        self._store.close()
        return restore_home(home, path, progress, clock=self.clock)


# -- writing -----------------------------------------------------------------------------------------------


def _copy_hashed(source: IO[bytes], target: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _write_zip(
    partial: Path,
    snapshot: Path,
    info: SnapshotInfo,
    home: DataHome,
    created: str,
    progress: Progress | None,
) -> None:
    total = len(info.attachments) + 1
    manifest: dict[str, Any] = {"format": BACKUP_FORMAT, "created_at": created, "app_version": __version__}
    with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
        with (
            snapshot.open("rb") as source,
            archive.open(zipfile.ZipInfo(DATABASE), "w", force_zip64=True) as member,
        ):
            sha, size = _copy_hashed(source, member)
        manifest["database"] = {
            "name": DATABASE, "sha256": sha, "size": size, "migrations": info.migrations,
            "records": info.records, "businesses": info.businesses,
        }  # fmt: skip
        if progress:
            progress(1, total)
        manifest["attachments"] = []
        for done, (sha, _size) in enumerate(info.attachments, 2):
            manifest["attachments"].append({"sha256": sha, "size": _add_attachment(archive, home, sha)})
            if progress:
                progress(done, total)
        manifest["files"] = []
        for name in HOME_FILES:
            path = home.root / name
            if path.exists():
                data = path.read_bytes()
                archive.writestr(name, data)
                manifest["files"].append(
                    {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                )
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())


def _add_attachment(archive: zipfile.ZipFile, home: DataHome, sha: str) -> int:
    path = home.attachments_dir / sha[:2] / sha
    try:
        with path.open("rb") as source, archive.open(f"attachments/{sha[:2]}/{sha}", "w") as member:
            found, size = _copy_hashed(source, member)
    except FileNotFoundError as exc:
        raise BackupError(
            f"附件文件缺失：{path}，未生成备份。请先运行 inspector verify 查看受影响的记录，"
            "并从以前的备份恢复该文件后再备份。"
        ) from exc
    if found != sha:
        raise BackupError(
            f"附件文件已损坏或被替换（内容与哈希不符）：{path}，未生成备份。"
            "请先运行 inspector verify 查看受影响的记录，并从以前的备份恢复该文件后再备份。"
        )
    return size


def _durable_rename(partial: Path, target: Path) -> None:
    os.replace(partial, target)
    fsync_dir(target.parent)


# -- reading and restoring -------------------------------------------------------------------------------


def _not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(f"{path.name} 不是可用的备份文件：{why}。未做任何改动。")


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise _not_a_backup(path, "缺少清单 manifest.json（文件不完整或不是本程序的备份）") from exc
    except ValueError as exc:
        raise _not_a_backup(path, "清单 manifest.json 无法解析") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise _not_a_backup(path, f"格式为“{found}”，本程序读取 {BACKUP_FORMAT}")
    return manifest


def _expected_members(manifest: dict[str, Any], path: Path) -> dict[str, tuple[str, int]]:
    """member name → (sha256, size), every name checked to stay inside the data home."""
    try:
        database = manifest["database"]
        expected = {DATABASE: (str(database["sha256"]), int(database["size"]))}
        for entry in manifest["attachments"]:
            sha = str(entry["sha256"])
            expected[f"attachments/{sha[:2]}/{sha}"] = (sha, int(entry["size"]))
        for entry in manifest["files"]:
            expected[str(entry["name"])] = (str(entry["sha256"]), int(entry["size"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise _not_a_backup(path, f"清单内容不完整（{exc}）") from exc
    for name in expected:
        if name != DATABASE and name not in HOME_FILES and not _ATTACHMENT_NAME.match(name):
            raise _not_a_backup(path, f"清单中有不允许的文件名“{name}”")
    return expected


def _summary(path: Path, manifest: dict[str, Any]) -> BackupSummary:
    database = manifest["database"]
    return BackupSummary(
        path, str(manifest.get("created_at", "")), int(database.get("records", 0)),
        int(database.get("businesses", 0)), len(manifest["attachments"]), path.stat().st_size,
    )  # fmt: skip


@contextlib.contextmanager
def _open_backup(path: Path) -> Iterator[zipfile.ZipFile]:
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。请检查路径。")
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except zipfile.BadZipFile as exc:
        raise _not_a_backup(path, f"不是完整的 ZIP 文件（{exc}）") from exc


def _extract_verified(
    archive: zipfile.ZipFile, path: Path, stage: Path, progress: Progress | None
) -> BackupSummary:
    manifest = _manifest(archive, path)
    expected = _expected_members(manifest, path)
    present = set(archive.namelist()) - {MANIFEST}
    missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
    if missing or extra:
        listed = "、".join((missing + extra)[:3])
        raise _not_a_backup(
            path, f"内容与清单不符（{len(missing)} 个文件缺失，{len(extra)} 个多余：{listed}）"
        )
    total = len(expected)
    for done, (name, (sha, size)) in enumerate(sorted(expected.items()), 1):
        target = stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(name) as source, target.open("wb") as out:
                found, found_size = _copy_hashed(source, out)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            if isinstance(exc, OSError) and exc.errno in NO_SPACE_ERRNOS:
                raise disk_full(stage.parent) from exc
            raise _not_a_backup(path, f"{name} 无法读取（{exc}）") from exc
        if (found, found_size) != (sha, size):
            raise _not_a_backup(path, f"{name} 的内容与清单中的哈希不符（备份文件已损坏或被改动）")
        if progress:
            progress(done, total + 1)
    return _summary(path, manifest)


def read_backup(path: str | os.PathLike[str]) -> BackupSummary:
    """What a backup file holds, after checking its manifest (members are checked when restoring)."""
    source = Path(path)
    with _open_backup(source) as archive:
        manifest = _manifest(archive, source)
        _expected_members(manifest, source)
        return _summary(source, manifest)


def _verify_staged(stage: Path, path: Path) -> None:
    """Open the staged copy as a data home (applying migrations if it is older) and run every check."""
    from inspector_app.services.verify import VerifyService

    try:
        store = Store(DataHome(stage))
    except InspectorError as exc:
        raise _not_a_backup(path, f"其中的数据库无法使用（{exc}）") from exc
    try:
        report = VerifyService(store).verify()
    finally:
        store.close()
    if not report.ok:
        listed = "；".join(str(p) for p in report.problems[:5])
        raise _not_a_backup(path, f"校验未通过（共 {len(report.problems)} 处问题：{listed}）")


def restore_home(
    home: DataHome,
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    clock: Clock | None = None,
) -> RestoreSummary:
    """Verify the backup at ``path``, then swap it into ``home``; what it replaces is kept in
    ``home/replaced-<time>/``. No connection to ``home``'s database may be open (close every ``Services``).
    """
    source = Path(path).resolve()
    home.ensure()
    stage = Path(tempfile.mkdtemp(dir=home.root, prefix=".restore-"))
    try:
        with _open_backup(source) as archive:
            summary = _extract_verified(archive, source, stage, progress)
        _verify_staged(stage, source)
        when = (clock or SystemClock()).now().astimezone(CHINA_TZ)
        keep = home.root / f"replaced-{when:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
        had_data = home.db_path.exists()
        with exclusive_use(home.db_path):
            swap_in(home, stage, keep, HOME_FILES)
    except OSError as exc:
        raise _no_space(exc, home.root) from exc
    finally:
        if not (home.root / RESTORE_MARKER).exists():  # else a swap was cut short: opening completes it
            shutil.rmtree(stage, ignore_errors=True)
    if progress:
        progress(1, 1)
    return RestoreSummary(summary, keep if had_data and keep.exists() else None)


def restored_at(summary: BackupSummary) -> str:
    """The backup's time in China time, for messages."""
    try:
        return (
            datetime.fromisoformat(summary.created_at.replace("Z", "+00:00"))
            .astimezone(CHINA_TZ)
            .strftime("%Y-%m-%d %H:%M")
        )
    except ValueError:
        return summary.created_at
