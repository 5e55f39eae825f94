"""HQ schema 1: identity, devices, blobs, records, seals, decisions, registry, the change feed, refusals.

Revision ID: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.String(20)


def upgrade() -> None:
    op.create_table(
        "hq_identity",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("private_key", sa.Text, nullable=False),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_table(
        "devices",
        sa.Column("pk", BigId, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("device_id", sa.String(36), unique=True),
        sa.Column("public_key", sa.String(100)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("code_hash", sa.String(64), unique=True),
        sa.Column("code_expires_at", TIME),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("enrolled_at", TIME),
        sa.Column("revoked_at", TIME),
        sa.Column("last_seen_at", TIME),
    )
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("stored_at", TIME, nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("document_no", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("family", sa.String(40), nullable=False),
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("form_version", sa.Integer, nullable=False),
        sa.Column("business_name", sa.String(300), nullable=False),
        sa.Column("uscc", sa.String(40), nullable=False),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("finalized_at", TIME, nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.Column("seal_seq", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_index("ix_records_queue", "records", ["area", "status", "finalized_at", "id"])
    op.create_index("ix_records_received", "records", ["received_at"])
    op.create_index("ix_records_device", "records", ["device_id", "received_at"])
    op.create_table(
        "record_blobs",
        sa.Column("record_id", sa.String(36), primary_key=True),
        sa.Column("sha256", sa.String(64), primary_key=True),
    )
    op.create_index("ix_record_blobs_sha", "record_blobs", ["sha256"])
    op.create_table(
        "seals",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("prev", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("record_id", sa.String(36), nullable=False, unique=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("decided_at", TIME, nullable=False),
        sa.Column("received_at", TIME, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
    )
    op.create_table(
        "registry",
        sa.Column("uscc", sa.String(40), primary_key=True),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("changed_at", TIME, nullable=False),
    )
    op.create_table(
        "feed",
        sa.Column("seq", BigId, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("origin_device", sa.String(36), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    op.create_index("ix_feed_kind", "feed", ["kind", "seq"])
    op.create_index("ix_feed_area", "feed", ["area", "seq"])
    op.create_index("ix_feed_origin", "feed", ["origin_device", "kind", "seq"])
    op.create_table(
        "refusals",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("device", sa.String(100), nullable=False),
        sa.Column("endpoint", sa.String(100), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_refusals_at", "refusals", ["at"])


def downgrade() -> None:
    raise NotImplementedError("HQ migrations only move forward; restore a backup to go back")
