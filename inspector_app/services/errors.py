"""The storage failures an entry point may need to tell apart, re-exported so gui/ and cli/ need not import
storage (the layers contract forbids it).

- :class:`DatabaseBusy` — another connection holds the write lock; nothing was written; retry later
  (``writers`` names who, when they announced themselves).
- :class:`DiskFull` — the disk is full; the write was rolled back; earlier data is intact.
- :class:`StorageError` — the base of both, and of corrupt / read-only / newer-version failures.

All are :class:`~inspector_app.core.errors.InspectorError`: ``str(error)`` is a Chinese message for users.
"""

from __future__ import annotations

from inspector_app.storage.db import DatabaseBusy, DiskFull, StorageError

__all__ = ["DatabaseBusy", "DiskFull", "StorageError"]
