"""Helpers shared by the package tests."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def control_field(deb: Path, field: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "-f", str(deb), field], capture_output=True, text=True, check=True
    ).stdout.strip()


def relation_names(value: str) -> set[str]:
    """Package names in a Depends/Recommends value (alternatives included)."""
    names = set()
    for clause in value.split(","):
        for alternative in clause.split("|"):
            if alternative.strip():
                names.add(alternative.split()[0].strip())
    return names


def shown_windows(stderr: str) -> list[str]:
    """Top-level windows Qt made visible, in order (from its ``qt.widgets.showhide`` log)."""
    return re.findall(r'QWidgetWindow\(0x[0-9a-f]+, name="(\w+)ClassWindow"\) to true', stderr)
