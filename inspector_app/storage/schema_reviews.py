"""Schema of migration for the reviews tables (filled by its owner; frozen once shipped)."""

from __future__ import annotations

import sqlite_utils


def create(db: sqlite_utils.Database) -> None:
    """Create the reviews tables, indexes and triggers."""
