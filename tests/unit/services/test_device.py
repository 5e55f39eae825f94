"""The device identity file that prefixes offline document numbers."""

from __future__ import annotations

import json
import re

import pytest

from inspector_app.core.errors import InspectorError
from inspector_app.services.support.device import load_device


def test_the_device_file_is_created_once_and_then_reused(tmp_path):
    path = tmp_path / "home" / "device.json"
    first = load_device(path)
    assert re.fullmatch(r"[0-9A-F]{4}", first.prefix) and path.exists()
    assert load_device(path) == first
    assert first.document_series(2026) == f"JM-{first.prefix}-2026"
    assert json.loads(path.read_text())["device_id"] == first.id


def test_a_corrupt_device_file_is_reported_not_replaced(tmp_path):
    path = tmp_path / "device.json"
    path.write_text("{broken")
    with pytest.raises(InspectorError, match="设备标识文件已损坏"):
        load_device(path)
    assert path.read_text() == "{broken"
