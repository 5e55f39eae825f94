"""HQ tables (SQLAlchemy Core). Times are UTC text ``YYYY-MM-DDTHH:MM:SSZ`` on both engines (sortable, exact).

The Alembic migrations in ``migrations/versions`` create and change these tables; a change here needs a new
migration (shipped migrations are never edited).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

#: An auto-incrementing 64-bit key (SQLite only auto-increments INTEGER PRIMARY KEY).
BigId = BigInteger().with_variant(Integer(), "sqlite")
TIME = String(20)

hq_identity = Table(
    "hq_identity",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("private_key", Text, nullable=False),
    Column("public_key", String(100), nullable=False),
    Column("created_at", TIME, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("pk", BigId, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("device_id", String(36), unique=True),
    Column("public_key", String(100)),
    Column("role", String(20), nullable=False),
    Column("area", String(100), nullable=False),
    Column("token_hash", String(64), unique=True),
    Column("code_hash", String(64), unique=True),
    Column("code_expires_at", TIME),
    Column("created_at", TIME, nullable=False),
    Column("enrolled_at", TIME),
    Column("revoked_at", TIME),
    Column("last_seen_at", TIME),
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("stored_at", TIME, nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("document_no", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("area", String(100), nullable=False),
    Column("family", String(40), nullable=False),
    Column("form_id", String(100), nullable=False),
    Column("form_version", Integer, nullable=False),
    Column("business_name", String(300), nullable=False),
    Column("uscc", String(40), nullable=False),
    Column("started_at", TIME, nullable=False),
    Column("finalized_at", TIME, nullable=False),
    Column("received_at", TIME, nullable=False),
    Column("seal_seq", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Index("ix_records_queue", "area", "status", "finalized_at", "id"),
    Index("ix_records_received", "received_at"),
    Index("ix_records_device", "device_id", "received_at"),
)

record_blobs = Table(
    "record_blobs",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Index("ix_record_blobs_sha", "sha256"),
)

seals = Table(
    "seals",
    metadata,
    Column("device_id", String(36), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("prev", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("subject", String(100), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("at", TIME, nullable=False),
    Column("signature", String(200), nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("record_id", String(36), nullable=False, unique=True),
    Column("decision", String(20), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("actor_name", String(100), nullable=False),
    Column("comment", Text, nullable=False),
    Column("decided_at", TIME, nullable=False),
    Column("received_at", TIME, nullable=False),
    Column("payload", Text, nullable=False),
)

registry = Table(
    "registry",
    metadata,
    Column("uscc", String(40), primary_key=True),
    Column("area", String(100), nullable=False),
    Column("data", Text, nullable=False),
    Column("changed_at", TIME, nullable=False),
)

#: The change feed devices pull from: one row per record, decision or registry change, in ``seq`` order.
feed = Table(
    "feed",
    metadata,
    Column("seq", BigId, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("ref", String(64), nullable=False),
    Column("origin_device", String(36), nullable=False),
    Column("area", String(100), nullable=False),
    Column("created_at", TIME, nullable=False),
    Index("ix_feed_kind", "kind", "seq"),
    Index("ix_feed_area", "area", "seq"),
    Index("ix_feed_origin", "origin_device", "kind", "seq"),
)

refusals = Table(
    "refusals",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("at", TIME, nullable=False),
    Column("device", String(100), nullable=False),
    Column("endpoint", String(100), nullable=False),
    Column("status", Integer, nullable=False),
    Column("code", String(50), nullable=False),
    Column("message", Text, nullable=False),
    Index("ix_refusals_at", "at"),
)
