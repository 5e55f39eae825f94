"""Open the HQ database: SQLite (a file path, the default) or PostgreSQL (``postgresql://…``, psycopg 3).

One code path for both: SQLAlchemy Core and Alembic. SQLite gets WAL, a busy timeout and ``BEGIN IMMEDIATE``
transactions (a deferred transaction that reads and then writes can fail at once with "database is locked"
instead of waiting), so concurrent requests queue instead of failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from inspector_app.core.errors import InspectorError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class HQDatabaseError(InspectorError):
    """The database cannot be opened or is not ours."""


def database_url(target: str) -> str:
    """``postgresql://…`` → the psycopg 3 dialect; a plain path → an absolute ``sqlite:///`` URL."""
    if target.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    if "://" in target:
        return target
    return "sqlite:///" + str(Path(target).expanduser().resolve())


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(target: str, *, migrate: bool = True) -> Engine:
    """An engine for ``target`` with the schema migrated to the newest revision."""
    try:
        url = make_url(database_url(target))
    except ArgumentError as exc:
        raise HQDatabaseError(f"数据库地址无法识别：{target}（应为文件路径或 postgresql://…）") from exc
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_setup(engine)
    elif url.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
    else:
        raise HQDatabaseError(f"不支持的数据库类型：{url.get_backend_name()}（只支持 SQLite 和 PostgreSQL）")
    if migrate:
        upgrade(engine)
    return engine


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Run every migration not yet applied (forward only); a newer database is refused, not touched."""
    config = _config()
    head = ScriptDirectory.from_config(config).get_current_head()
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # Two HQ processes starting at once must not both create the tables.
                connection.execute(text("SELECT pg_advisory_xact_lock(4242009)"))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except CommandError as exc:
        raise HQDatabaseError(
            f"数据库的结构版本比本程序新（本程序最高为 {head}）：请升级 inspector-hq 后再打开。原因：{exc}"
        ) from exc
    except OperationalError as exc:
        raise HQDatabaseError(f"无法打开数据库：{exc.orig}") from exc
