"""This laptop's identity (``device.json`` in the data home): a UUID and the short prefix of document numbers.

Document numbers must be unique without a network: each laptop numbers its own records as
``JM-<prefix>-<year>-<sequence>``, where the prefix comes from the device id created on first use.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import InspectorError

DOCUMENT_PREFIX = "JM"  # 荆门


@dataclass(frozen=True)
class Device:
    """The laptop: ``id`` (UUID4) and ``prefix`` (4 upper-case hex digits taken from it)."""

    id: str
    prefix: str

    def document_series(self, year: int) -> str:
        """The series a record finalized in ``year`` is numbered in, e.g. ``JM-3F2A-2026``."""
        return f"{DOCUMENT_PREFIX}-{self.prefix}-{year}"


def _prefix(device_id: str) -> str:
    return device_id.replace("-", "")[:4].upper()


def load_device(path: Path) -> Device:
    """Read ``device.json``, creating it (atomically) on first use."""
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            device_id = str(uuid.UUID(str(data["device_id"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise InspectorError(
                f"设备标识文件已损坏：{path}。请从备份恢复该文件；删除它会使本机的文书编号改用新的前缀。"
            ) from exc
        return Device(device_id, str(data.get("prefix") or _prefix(device_id)))
    device_id = str(uuid.uuid4())
    device = Device(device_id, _prefix(device_id))
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".json.tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump({"device_id": device.id, "prefix": device.prefix}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    return device
