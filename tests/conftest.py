"""Test-wide setup: Qt runs offscreen (without it pytest aborts on a machine with no display)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch a real user's data home from a test.
os.environ.pop("INSPECTOR_HOME", None)
