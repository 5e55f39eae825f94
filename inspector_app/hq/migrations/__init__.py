"""Alembic migrations of the HQ database (run by ``hq.db.open_engine``; forward only)."""
