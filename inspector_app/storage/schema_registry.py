"""Schema of migration 0001: the registry tables and their search indexes (frozen once shipped).

``businesses`` has a stable integer ``rid`` (an INTEGER PRIMARY KEY, so VACUUM never renumbers it) that the
search indexes point at; ``id`` is the global UUID and ``uscc`` the natural key, both UNIQUE so other tables
may reference either.

Search indexes (SQLite 3.40's FTS5 ``trigram`` tokenizer finds nothing for queries under 3 characters):

* ``business_fts`` — FTS5 trigram over ``name`` and ``initials`` (external content, kept in sync by
  triggers) for substring queries of 3 or more characters;
* ``name_gram`` — every unigram and bigram of each (lower-cased) name, for 1- and 2-character queries;
  written by :mod:`inspector_app.storage.businesses` (triggers cannot split a string into grams). ``rid`` is
  AUTOINCREMENT so a stale gram left by a raw DELETE can never point at a later business;
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
    CREATE TRIGGER businesses_fts_insert AFTER INSERT ON businesses BEGIN
        INSERT INTO business_fts(rowid, name, initials) VALUES (NEW.rid, NEW.name, NEW.initials);
    END
    """,
    """
    CREATE TRIGGER businesses_fts_delete AFTER DELETE ON businesses BEGIN
        INSERT INTO business_fts(business_fts, rowid, name, initials)
        VALUES ('delete', OLD.rid, OLD.name, OLD.initials);
    END
    """,
    """
    CREATE TRIGGER businesses_fts_update AFTER UPDATE OF name, initials ON businesses BEGIN
        INSERT INTO business_fts(business_fts, rowid, name, initials)
        VALUES ('delete', OLD.rid, OLD.name, OLD.initials);
        INSERT INTO business_fts(rowid, name, initials) VALUES (NEW.rid, NEW.name, NEW.initials);
    END
    """,
    """
    CREATE TABLE name_gram (
        gram TEXT NOT NULL,
        rid INTEGER NOT NULL,
        PRIMARY KEY (gram, rid)
    ) WITHOUT ROWID
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
