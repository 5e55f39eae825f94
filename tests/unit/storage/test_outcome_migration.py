"""Migration 0005 on a database that already holds finalized records: they load, verify and stay frozen."""

from __future__ import annotations

import sqlite3

import pytest
from old_records import OLD_RECORDS

from inspector_app.core.records import canonical_bytes, content_hash
from inspector_app.storage import db as db_module
from inspector_app.storage.db import open_database
from inspector_app.storage.inspection_sql import family_of
from inspector_app.storage.inspections import InspectionRepository
from inspector_app.storage.migrations import MIGRATIONS

OLD_COLUMNS = (
    "id, version, previous_id, business_uscc, business_name, area, family, form_id, form_version, "
    "inspection_type, status, started_at, place, equipment_code, party_json, inspectors_json, attributes_json, "
    "verdict, handling, grade, score, document_no, created_by, device_id, finalized_at, content_hash, canonical_json"
)


def _insert_as_before_0005(conn, record) -> None:
    """What the version-1 code stored for a finalized record (no answers needed for this check)."""
    import json
    from dataclasses import asdict

    from inspector_app.core.clock import utc_iso

    party = record.business
    conn.execute(
        f"INSERT INTO inspections ({OLD_COLUMNS}) VALUES ({', '.join('?' * 27)})",
        [
            record.id, record.version, record.previous_id, party.uscc, party.name, party.area,
            family_of(record.form_id), record.form_id, record.form_version, record.inspection_type.value,
            "finalized", utc_iso(record.started_at), record.place, record.equipment_code,
            json.dumps(asdict(party), ensure_ascii=False), json.dumps([asdict(i) for i in record.inspectors]),
            json.dumps(record.attributes, ensure_ascii=False), record.verdict, record.handling, record.grade,
            record.score, record.document_no, record.created_by, record.device_id, utc_iso(record.finalized_at),
            record.content_hash, canonical_bytes(record).decode(),
        ],
    )  # fmt: skip


def test_records_finalized_before_0005_load_with_empty_new_fields_and_stay_frozen(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    monkeypatch.setattr(db_module, "MIGRATIONS", [m for m in MIGRATIONS if m[0] < "0005"])
    old_db = open_database(path)
    record = OLD_RECORDS["elevator_v1"]()
    record.answers, record.orders, record.signatures = (
        {},
        [],
        [],
    )  # header only: the hash covers what is stored
    record.content_hash = content_hash(record)
    _insert_as_before_0005(old_db.conn, record)
    old_db.conn.close()

    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)
    db = open_database(path)
    loaded = InspectionRepository(db).load(record.id)
    assert (loaded.verdict_rule, loaded.on_spot_fix) == ("", "")
    assert content_hash(loaded) == record.content_hash
    for column in ("verdict_rule", "on_spot_fix", "handling"):
        with pytest.raises(sqlite3.DatabaseError, match="已定稿"):
            db.conn.execute(f"UPDATE inspections SET {column} = 'x' WHERE id = ?", [record.id])
