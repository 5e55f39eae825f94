"""Durable file operations shared by the storage modules (attachments, backups, restores)."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Persist the entries of ``folder`` (a rename into it) on POSIX; Windows cannot open folders and
    commits renames with the file system."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
