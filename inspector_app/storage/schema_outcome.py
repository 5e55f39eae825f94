"""Schema of migration 0005: which verdict rule judged a record, and what was fixed on the spot.

``verdict_rule`` holds the id of the rule in ``forms/rules.yaml``; ``on_spot_fix`` the 当场整改情况 recorded
with the handlings 当场责令整改 (49号令第33条) and 当场整改完毕不予查封扣押 (57号令第26条第2款). Both are
content columns: the frozen-content trigger is re-created to cover them. Frozen once shipped: add a migration.
"""

from __future__ import annotations

import sqlite_utils

from inspector_app.storage.schema_inspections import CONTENT_COLUMNS, FROZEN_MESSAGE
from inspector_app.storage.transactions import transaction

NEW_COLUMNS = ("verdict_rule", "on_spot_fix")


def create(db: sqlite_utils.Database) -> None:
    """Add the columns (empty for existing records) and extend the frozen-content trigger to them."""
    columns = CONTENT_COLUMNS + NEW_COLUMNS
    changed = " OR ".join(f"NEW.{col} IS NOT OLD.{col}" for col in columns)
    statements = [f"ALTER TABLE inspections ADD COLUMN {col} TEXT NOT NULL DEFAULT ''" for col in NEW_COLUMNS]
    statements += [
        "DROP TRIGGER inspections_frozen_content",
        f"""CREATE TRIGGER inspections_frozen_content BEFORE UPDATE ON inspections
        WHEN OLD.status <> 'draft' AND ({changed})
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
    ]
    with transaction(db.conn):
        for statement in statements:
            db.execute(statement)
