"""Headquarters (总部) service: receives records from laptops, holds them, forwards review decisions.

``db.py`` opens SQLite or PostgreSQL through SQLAlchemy Core and runs the Alembic migrations; ``schema.py``
declares the tables; ``store.py`` is the only module that queries them; ``blobs.py`` keeps attachments by
SHA-256; ``service.py`` holds the rules (verify, store once, forward); ``api.py`` (the ``/v1`` HTTP API) and
``pages.py`` (the read-only status page) are the Starlette app built in ``app.py``; ``cli.py`` is
``inspector-hq``. The wire format is ``docs/sync-protocol.md``.
"""
