"""Forward-only, named migrations. A shipped migration is never edited: add a new one instead.

Each step receives the ``sqlite_utils.Database`` and runs inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def _registry(db: sqlite_utils.Database) -> None:
    """0001: businesses, equipment, search indexes (owned by storage/businesses.py)."""
    from inspector_app.storage import schema_registry

    schema_registry.create(db)


def _inspections(db: sqlite_utils.Database) -> None:
    """0002: inspection records, answers, attachments, orders, signatures, follow-ups, immutability triggers."""
    from inspector_app.storage import schema_inspections

    schema_inspections.create(db)


def _accounts(db: sqlite_utils.Database) -> None:
    """0003: local user accounts and login attempts."""
    from inspector_app.storage import schema_accounts

    schema_accounts.create(db)


def _reviews(db: sqlite_utils.Database) -> None:
    """0004: supervisor review events (append-only) and document-number sequence."""
    from inspector_app.storage import schema_reviews

    schema_reviews.create(db)


def _outcome(db: sqlite_utils.Database) -> None:
    """0005: the verdict rule that judged a record and its 当场整改情况 (frozen with the record)."""
    from inspector_app.storage import schema_outcome

    schema_outcome.create(db)


def _draws(db: sqlite_utils.Database) -> None:
    """0006: 双随机 draws, targets, assignments, registry snapshots, conflicts of interest, visits-by-draw index."""
    from inspector_app.storage import schema_draws

    schema_draws.create(db)


def _complaints_outcomes(db: sqlite_utils.Database) -> None:
    """0007: complaints (投诉举报) and the outcome of each 回头看 per rectification order."""
    from inspector_app.storage import schema_followups

    schema_followups.create(db)


def _sync(db: sqlite_utils.Database) -> None:
    """0008: the device's seal chain, the sync outbox, sync settings and items received from HQ."""
    from inspector_app.storage import schema_sync

    schema_sync.create(db)


MIGRATIONS: list[Migration] = [
    ("0001_registry", _registry),
    ("0002_inspections", _inspections),
    ("0003_accounts", _accounts),
    ("0004_reviews", _reviews),
    ("0005_inspection_outcome", _outcome),
    ("0006_draws", _draws),
    ("0007_complaints_outcomes", _complaints_outcomes),
    ("0008_sync", _sync),
]
