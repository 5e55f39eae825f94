"""The storage failures an entry point may need to tell apart, re-exported so gui/ and cli/ need not import
storage (the layers contract forbids it).

- :class:`DatabaseBusy` — another connection holds the write lock; nothing was written; retry later
  (``writers`` names who, when they announced themselves).
- :class:`DiskFull` — the disk is full; the write was rolled back; earlier data is intact.
- :class:`StorageError` — the base of both, and of corrupt / read-only / newer-version failures.

All are :class:`~inspector_app.core.errors.InspectorError`: ``str(error)`` is a Chinese message for users.
"""

from __future__ import annotations

from pathlib import Path

from inspector_app.storage.db import NO_SPACE_ERRNOS, DatabaseBusy, DiskFull, StorageError, disk_full

__all__ = ["DatabaseBusy", "DiskFull", "StorageError", "os_error_message"]


def os_error_message(exc: OSError) -> str:
    """The Chinese message for a failed file operation (a full disk said as such)."""
    where = str(getattr(exc, "filename", "") or "")
    if exc.errno in NO_SPACE_ERRNOS:
        return str(disk_full(Path(where).parent if where else Path.cwd()))
    return f"文件操作失败：{exc.strerror or exc}（{where}）"
