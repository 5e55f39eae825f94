"""Schema of migration 0001: the registry tables and their search indexes (frozen once shipped).

``businesses`` has a stable integer ``rid`` (an INTEGER PRIMARY KEY, so VACUUM never renumbers it) that the
search indexes point at; ``id`` is the global UUID and ``uscc`` the natural key, both UNIQUE so other tables
may reference either.

Search indexes (SQLite 3.40's FTS5 ``trigram`` tokenizer finds nothing for queries under 3 characters):

* ``business_fts`` — FTS5 trigram over ``name`` and ``initials`` (external content) for substring queries
  of 3 or more characters. Kept in step by the repository, not by triggers: an FTS5 insert inside a trigger
  flushes FTS5's pending terms at every statement savepoint and made a 300,000-row import ~6× slower;
* ``name_gram`` — a contentless FTS5 table (``detail=none``: row ids only) whose document for a business is
  the space-separated unigrams and bigrams of its lower-cased name, for 1- and 2-character queries. Written by
  :mod:`inspector_app.storage.businesses` (a trigger cannot split a string into grams); it is ~8× smaller and
  faster to fill than a ``(gram, rid)`` B-tree. ``rid`` is AUTOINCREMENT, and searches join ``businesses``,
  so an entry left behind by a raw DELETE can never match a later business;
* B-tree indexes on ``name``, ``uscc`` and ``initials`` for exact and prefix queries (``col >= ? AND col < ?``).
"""

from __future__ import annotations

import sqlite_utils

_STATEMENTS = [
    """
    CREATE TABLE businesses (
        rid INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        uscc TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        area TEXT NOT NULL DEFAULT '',
        responsible TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        licence_no TEXT NOT NULL DEFAULT '',
        risk_grade TEXT NOT NULL DEFAULT '' CHECK (risk_grade IN ('', 'A', 'B', 'C', 'D')),
        credit_score REAL,
        initials TEXT NOT NULL DEFAULT '',
        attributes TEXT NOT NULL DEFAULT '{}',
        licensed_on TEXT,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX businesses_name ON businesses(name)",
    "CREATE INDEX businesses_initials ON businesses(initials)",
    "CREATE INDEX businesses_area_kind ON businesses(area, kind)",
    """
    CREATE VIRTUAL TABLE business_fts USING fts5(
        name, initials, content='businesses', content_rowid='rid', tokenize='trigram'
    )
    """,
    """
    CREATE VIRTUAL TABLE name_gram USING fts5(
        grams, content='', detail=none, tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TABLE equipment (
        id TEXT PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        owner_uscc TEXT NOT NULL REFERENCES businesses(uscc) ON DELETE CASCADE,
        type TEXT NOT NULL,
        registration_no TEXT NOT NULL DEFAULT '',
        next_inspection TEXT,
        location TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX equipment_owner ON equipment(owner_uscc)",
]


def create(db: sqlite_utils.Database) -> None:
    """Create the registry tables, indexes and triggers."""
    for statement in _STATEMENTS:
        db.execute(statement)
