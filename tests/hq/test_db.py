"""Opening the HQ database (both engines): migrations run once, a newer schema is refused untouched."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from inspector_app.hq.db import HQDatabaseError, database_url, open_engine
from inspector_app.hq.service import HQ


def test_opening_twice_keeps_the_schema_and_the_identity(db_url, tmp_path):
    first = open_engine(db_url)
    identity = HQ(first, tmp_path / "b").identity
    first.dispose()
    again = open_engine(db_url)
    assert HQ(again, tmp_path / "b").identity == identity
    assert {"records", "seals", "decisions", "feed", "devices", "blobs"} <= set(
        inspect(again).get_table_names()
    )
    with again.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001_initial"
    again.dispose()


def test_a_database_from_a_newer_hq_is_refused_and_left_alone(db_url):
    engine = open_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(HQDatabaseError, match="升级 inspector-hq"):
        open_engine(db_url)
    engine = open_engine(db_url, migrate=False)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999_future"
    engine.dispose()


def test_database_urls():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("hq.sqlite3").startswith("sqlite:////")
    with pytest.raises(HQDatabaseError, match="不支持"):
        open_engine("mysql://u@h/db")
