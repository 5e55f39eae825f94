"""Schema of migration 0002: inspection records and their parts, follow-ups, and the immutability triggers.

A record is mutable only while its status is ``draft``. Once finalized, SQL triggers refuse any change to its
content columns, any delete, and any insert/update/delete of its answers, photos, orders and signatures; only
the status column may still move along the lifecycle (finalized → synced/approved/returned, synced →
approved/returned). Attachments are content-addressed and never updated. Frozen once shipped: add a migration.
"""

from __future__ import annotations

import sqlite_utils

from inspector_app.storage.transactions import transaction

#: Columns of ``inspections`` other than ``status``: all frozen once the record leaves ``draft``.
CONTENT_COLUMNS = (
    "id",
    "version",
    "previous_id",
    "business_uscc",
    "business_name",
    "area",
    "family",
    "form_id",
    "form_version",
    "inspection_type",
    "started_at",
    "place",
    "equipment_code",
    "party_json",
    "inspectors_json",
    "attributes_json",
    "verdict",
    "handling",
    "grade",
    "score",
    "other_findings",
    "accompanying",
    "recusal_requested",
    "document_no",
    "created_by",
    "device_id",
    "finalized_at",
    "content_hash",
    "canonical_json",
)

#: Child tables whose rows belong to one record and freeze with it.
CHILD_TABLES = ("answers", "answer_photos", "orders", "signatures")

FROZEN_MESSAGE = "检查记录已定稿，内容不可修改或删除；如需更正，请创建新版本"
TRANSITION_MESSAGE = (
    "检查记录状态变更不被允许（仅可：已定稿→已同步/已审核通过/已退回，已同步→已审核通过/已退回）"
)

_TABLES = """
CREATE TABLE inspections (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    previous_id TEXT NOT NULL DEFAULT '',
    business_uscc TEXT NOT NULL,
    business_name TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    family TEXT NOT NULL DEFAULT '',
    form_id TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    inspection_type TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'finalized', 'synced', 'approved', 'returned')),
    started_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    equipment_code TEXT NOT NULL DEFAULT '',
    party_json TEXT NOT NULL,
    inspectors_json TEXT NOT NULL,
    attributes_json TEXT NOT NULL DEFAULT '{}',
    verdict TEXT NOT NULL DEFAULT '',
    handling TEXT NOT NULL DEFAULT '',
    grade TEXT NOT NULL DEFAULT '',
    score REAL,
    other_findings TEXT NOT NULL DEFAULT '',
    accompanying TEXT NOT NULL DEFAULT '',
    recusal_requested INTEGER NOT NULL DEFAULT 0,
    document_no TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    device_id TEXT NOT NULL DEFAULT '',
    finalized_at TEXT,
    content_hash TEXT NOT NULL DEFAULT '',
    canonical_json TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspections_status ON inspections (status, started_at);
CREATE INDEX inspections_uscc ON inspections (business_uscc, started_at);
CREATE INDEX inspections_started ON inspections (started_at);
CREATE INDEX inspections_creator ON inspections (created_by, status);
CREATE INDEX inspections_previous ON inspections (previous_id) WHERE previous_id <> '';
CREATE UNIQUE INDEX inspections_document_no ON inspections (document_no) WHERE document_no <> '';

CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    kind TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    caption TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE answers (
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    value TEXT,
    result TEXT CHECK (result IS NULL OR result IN ('符合', '不符合', '不适用')),
    note TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    PRIMARY KEY (inspection_id, code)
) WITHOUT ROWID;

CREATE TABLE answer_photos (
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments (sha256),
    position INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, code, sha256)
) WITHOUT ROWID;
CREATE INDEX answer_photos_sha ON answer_photos (sha256);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    item_code TEXT NOT NULL,
    requirement TEXT NOT NULL,
    deadline TEXT NOT NULL,
    hazard_json TEXT
);
CREATE INDEX orders_inspection ON orders (inspection_id, position);

CREATE TABLE signatures (
    inspection_id TEXT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('inspector', 'party')),
    signer_name TEXT NOT NULL,
    image_sha256 TEXT REFERENCES attachments (sha256),
    refused INTEGER NOT NULL DEFAULT 0,
    refusal_reason TEXT NOT NULL DEFAULT '',
    witness_name TEXT NOT NULL DEFAULT '',
    signed_at TEXT,
    PRIMARY KEY (inspection_id, role, signer_name)
) WITHOUT ROWID;
CREATE INDEX signatures_sha ON signatures (image_sha256) WHERE image_sha256 IS NOT NULL;

CREATE TABLE followups (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    order_id TEXT NOT NULL UNIQUE,
    uscc TEXT NOT NULL,
    business_name TEXT NOT NULL DEFAULT '',
    item_code TEXT NOT NULL DEFAULT '',
    requirement TEXT NOT NULL DEFAULT '',
    due_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_inspection_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followups_due ON followups (status, due_date);
CREATE INDEX followups_uscc ON followups (uscc, status);
"""


def _inspection_triggers() -> list[str]:
    changed = " OR ".join(f"NEW.{col} IS NOT OLD.{col}" for col in CONTENT_COLUMNS)
    allowed = (
        "NEW.status = OLD.status"
        " OR (OLD.status = 'finalized' AND NEW.status IN ('synced', 'approved', 'returned'))"
        " OR (OLD.status = 'synced' AND NEW.status IN ('approved', 'returned'))"
    )
    return [
        f"""CREATE TRIGGER inspections_frozen_content BEFORE UPDATE ON inspections
        WHEN OLD.status <> 'draft' AND ({changed})
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
        f"""CREATE TRIGGER inspections_frozen_status BEFORE UPDATE OF status ON inspections
        WHEN OLD.status <> 'draft' AND NOT ({allowed})
        BEGIN SELECT RAISE(ABORT, '{TRANSITION_MESSAGE}'); END""",
        f"""CREATE TRIGGER inspections_draft_status BEFORE UPDATE OF status ON inspections
        WHEN OLD.status = 'draft' AND NEW.status NOT IN ('draft', 'finalized')
        BEGIN SELECT RAISE(ABORT, '{TRANSITION_MESSAGE}'); END""",
        """CREATE TRIGGER inspections_finalize_needs_hash BEFORE UPDATE OF status ON inspections
        WHEN OLD.status = 'draft' AND NEW.status = 'finalized'
             AND (NEW.content_hash = '' OR NEW.canonical_json = '' OR NEW.finalized_at IS NULL)
        BEGIN SELECT RAISE(ABORT, '定稿必须同时保存内容哈希、规范化内容和定稿时间'); END""",
        """CREATE TRIGGER inspections_insert_needs_hash BEFORE INSERT ON inspections
        WHEN NEW.status <> 'draft' AND (NEW.content_hash = '' OR NEW.canonical_json = '')
        BEGIN SELECT RAISE(ABORT, '非草稿的检查记录必须带有内容哈希和规范化内容'); END""",
        f"""CREATE TRIGGER inspections_frozen_delete BEFORE DELETE ON inspections
        WHEN OLD.status <> 'draft'
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
    ]


def _child_triggers(table: str) -> list[str]:
    def frozen(ref: str) -> str:
        return f"(SELECT status FROM inspections WHERE id = {ref}.inspection_id) <> 'draft'"

    return [
        f"""CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table}
        WHEN {frozen("NEW")}
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
        f"""CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table}
        WHEN {frozen("OLD")} OR {frozen("NEW")}
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
        f"""CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table}
        WHEN {frozen("OLD")}
        BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END""",
    ]


_ATTACHMENT_TRIGGERS = [
    """CREATE TRIGGER attachments_immutable BEFORE UPDATE ON attachments
    BEGIN SELECT RAISE(ABORT, '附件按内容哈希命名，不可修改'); END""",
]


def create(db: sqlite_utils.Database) -> None:
    """Create the inspections tables, indexes and triggers."""
    # One statement at a time: executescript() would commit the migration's transaction.
    statements = [part.strip() for part in _TABLES.split(";") if part.strip()]
    statements += _inspection_triggers() + _ATTACHMENT_TRIGGERS
    for table in CHILD_TABLES:
        statements += _child_triggers(table)
    with transaction(db.conn):  # atomic (a savepoint when the migration runner already opened one)
        for statement in statements:
            db.execute(statement)
