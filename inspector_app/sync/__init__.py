"""Sync with headquarters: the wire protocol (:mod:`.protocol`), the USB bundle (:mod:`.bundle`) and the HTTP
client (:mod:`.client`). Qt-free and SQL-free; both the laptop and HQ import :mod:`.protocol` and :mod:`.bundle`.
The laptop's outbox engine is in ``services`` (``services/sync.py``), which needs the store. ``docs/sync-protocol.md`` is the specification.
"""
