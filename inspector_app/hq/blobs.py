"""HQ's content-addressed blob folder: ``<root>/ab/<sha256>``, written temp → fsync → rename → fsync folder.

A blob file only ever appears under its name complete and verified; the ``blobs`` row is written after the
file, so a row always means "the file is there and matches". Names are checked against ``[0-9a-f]{64}``
before they touch the file system, so no path trick can escape the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from inspector_app.sync.protocol import ProtocolError, check_sha256


class BlobStore:
    """Files by SHA-256 under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha: str) -> Path:
        check_sha256(sha)
        return self.root / sha[:2] / sha

    def verified(self, sha: str) -> bool:
        """True when the file exists and its bytes hash to ``sha``."""
        try:
            return self.hash_file(self.path_for(sha)) == sha
        except FileNotFoundError:
            return False

    @staticmethod
    def hash_file(path: Path) -> str:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def read(self, sha: str) -> bytes:
        data = self.path_for(sha).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha:
            raise ProtocolError("blob_corrupt", f"总部的附件文件 {sha[:12]}… 已损坏，请从备份恢复", 500)
        return data

    def write(self, sha: str, chunks: Iterable[bytes], limit: int) -> int:
        """Stream ``chunks`` into place if they hash to ``sha``; returns the size. Nothing is left on failure."""
        target = self.path_for(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".partial-", suffix=".tmp")
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    size += len(chunk)
                    if size > limit:
                        raise ProtocolError(
                            "too_large",
                            f"附件超过 {limit // (1024 * 1024)} MB 上限，未保存",
                            413,
                            {"limit": limit},
                        )
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            if digest.hexdigest() != sha:
                raise ProtocolError(
                    "blob_mismatch",
                    f"上传的附件内容与其名称（SHA-256 {sha[:12]}…）不符，可能传输中被截断或改动；未保存",
                    422,
                    {"sha256": sha, "actual": digest.hexdigest(), "size": size},
                )
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        if os.name == "posix":
            folder = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
        return size
