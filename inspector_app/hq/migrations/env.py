"""Alembic environment: HQ passes an open connection in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


def _in_alembic() -> bool:
    try:
        return context.config is not None
    except (NameError, AttributeError):  # imported outside an Alembic run (the import-every-module test does)
        return False


if _in_alembic():
    run()
