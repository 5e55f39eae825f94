"""Alembic environment: HQ passes an open connection in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


try:
    _config = context.config
except (NameError, AttributeError):  # imported outside an Alembic run (the test that imports every module does this)
    _config = None
if _config is not None:
    run()
