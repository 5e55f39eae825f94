"""Content-addressed attachment files (photos, signature images) under ``attachments/ab/<sha256>``.

Write order guarantees that no row — and so no record — ever points at a missing or partial file: the bytes
go to a temporary file in ``attachments/.incoming/`` (locked with ``flock`` while written), are flushed and
fsynced, atomically renamed into place (``os.replace``), the folder is fsynced, and only then is the
database row inserted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

import sqlite_utils

from inspector_app.core.clock import SystemClock, utc_iso
from inspector_app.core.errors import NotFound
from inspector_app.core.records import Attachment
from inspector_app.storage.db import NO_SPACE_ERRNOS, StorageError, disk_full
from inspector_app.storage.files import fsync_dir
from inspector_app.storage.leftovers import hold_write_lock

_COLUMNS = "sha256, kind, mime, size, width, height, caption"
#: Where files are written before their rename into ``ab/<sha256>``: one small folder to look in for the
#: leftovers of killed writes (same file system, so the rename stays atomic).
INCOMING = ".incoming"


def _write_file_atomically(path: Path, data: bytes, incoming: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    incoming.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=incoming, prefix=".partial-", suffix=".tmp")
    try:
        hold_write_lock(fd)  # tells clean_leftovers this file is not abandoned
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    fsync_dir(path.parent)


class AttachmentStore:
    """Stores files by SHA-256 and records their metadata in ``attachments``."""

    def __init__(self, db: sqlite_utils.Database, folder: Path) -> None:
        self.db = db
        self.folder = folder

    def path_for(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def put(
        self, data: bytes, kind: str, mime: str, width: int = 0, height: int = 0, caption: str = ""
    ) -> Attachment:
        """Store ``data`` (idempotent: the same bytes give the same attachment) and return its metadata."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha)
        if not self._file_ok(path, sha):
            self._write_atomically(path, data)
        self.db.execute(
            f"INSERT OR IGNORE INTO attachments ({_COLUMNS}, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [sha, kind, mime, len(data), width, height, caption, utc_iso(SystemClock().now())],
        )
        found = self.get(sha)
        assert found is not None
        return found

    def get(self, sha256: str) -> Attachment | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM attachments WHERE sha256 = ?", [sha256]).fetchone()
        return None if row is None else Attachment(*row)

    def get_many(self, shas: list[str]) -> dict[str, Attachment]:
        if not shas:
            return {}
        marks = ",".join("?" * len(shas))
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM attachments WHERE sha256 IN ({marks})", shas
        ).fetchall()
        return {row[0]: Attachment(*row) for row in rows}

    def get_bytes(self, sha256: str) -> bytes:
        """The file's bytes, verified against its name; a missing or altered file raises in Chinese."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"附件文件缺失：{path}。请从备份恢复附件目录。") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StorageError(f"附件文件已损坏（内容与哈希不符）：{path}。请从备份恢复。")
        return data

    def has_verified(self, sha256: str) -> bool:
        """Whether the file is present and matches its hash."""
        return self._file_ok(self.path_for(sha256), sha256)

    def verify_all(self) -> list[str]:
        """SHA-256s of recorded attachments whose file is missing or does not match (empty when healthy)."""
        shas = [
            row[0] for row in self.db.execute("SELECT sha256 FROM attachments ORDER BY sha256").fetchall()
        ]
        return [sha for sha in shas if not self._file_ok(self.path_for(sha), sha)]

    @staticmethod
    def _file_ok(path: Path, sha256: str) -> bool:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
        except FileNotFoundError:
            return False

    def _write_atomically(self, path: Path, data: bytes) -> None:
        try:
            _write_file_atomically(path, data, self.folder / INCOMING)
        except OSError as exc:
            if exc.errno in NO_SPACE_ERRNOS:
                raise disk_full(self.folder) from exc
            raise
