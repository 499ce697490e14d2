"""Opening the database: the URL, the async engine, and the schema brought up to date.

``open_engine(url)`` accepts what an operator writes (``sqlite:///path``,
``postgresql://user:pass@host/db``) and picks the async driver (aiosqlite,
asyncpg). :func:`migrate` runs the Alembic migrations shipped in
``bot/records/migrations`` and refuses a database written by a newer Pierpoint.
Every failure is a :class:`RecordsError` with a one-line message that names the
database without its password.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_SECONDS = 2.0
"""How long a SQLite write waits for another writer's lock before failing (votes must answer within
Discord's 3-second deadline)."""
CONNECT_SECONDS = 5.0
"""How long to wait for PostgreSQL to accept a connection."""
SCHEMA_REVISION = "0001"
"""The newest migration in ``migrations/versions`` (a test checks they agree): a database already at it
is used without importing Alembic, so ``python -m bot stats`` starts fast."""
MIGRATION_LOCK = 0x7069657270  # "pierp": one PostgreSQL advisory lock, so two starting bots migrate one at a time


class RecordsError(RuntimeError):
    """The database cannot be used; the message is one line, safe to show (no password)."""


def async_url(url: str) -> URL:
    """``url`` with its async driver: sqlite -> sqlite+aiosqlite, postgresql/postgres -> postgresql+asyncpg.

    Raises :class:`RecordsError` for anything else.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise RecordsError("PIERPOINT_DATABASE_URL is not a database URL "
                           "(expected sqlite:///path/to/file.db or postgresql://user:password@host/name).") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    raise RecordsError(f"PIERPOINT_DATABASE_URL uses {backend!r}; Pierpoint supports sqlite and postgresql.")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def describe(url: URL) -> str:
    """The URL as it can be shown: password hidden."""
    return url.render_as_string(hide_password=True)


def open_engine(url: str) -> AsyncEngine:
    """An async engine for ``url``; SQLite files get their folder created and WAL mode."""
    target = async_url(url)
    options: dict[str, Any] = {"pool_pre_ping": True}  # a connection dropped by a restarted server is replaced
    if target.get_backend_name() == "sqlite":
        if target.database and target.database != ":memory:":
            folder = Path(target.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise RecordsError(f"can't create the database's folder {folder}: {exc.strerror or exc}") from None
        options["connect_args"] = {"timeout": SQLITE_BUSY_SECONDS}
    else:
        options["connect_args"] = {"timeout": CONNECT_SECONDS}
    engine = create_async_engine(target, **options)
    if target.get_backend_name() == "sqlite":
        sa.event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
    """WAL: readers (stats) never block the bot's writes; NORMAL sync is safe with WAL and much faster."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _alembic_config(connection: sa.Connection | None = None):  # alembic.config.Config, imported lazily
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision the migrations end at."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def _current_revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(connection: sa.Connection) -> None:
    if _current_revision(connection) == SCHEMA_REVISION:
        return
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    current = _current_revision(connection)  # again, under the lock: another process may have just migrated
    config = _alembic_config(connection)
    script = ScriptDirectory.from_config(config)
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError:
            raise RecordsError(f"the database's schema ({current}) is newer than this Pierpoint's ({head_revision()}); "
                               "upgrade Pierpoint, or point PIERPOINT_DATABASE_URL at another database.") from None
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Create the tables, or upgrade them to this code's schema. Raises :class:`RecordsError`."""
    where = describe(engine.url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade)
    except RecordsError:
        raise
    except Exception as exc:  # SQLAlchemy's, the OS's, and asyncpg's own (refused logins, missing databases)
        raise RecordsError(f"can't use the database {where}: {reason(exc)}") from None


def reason(exc: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's wrapping."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    return text[:300]


async def ping(connection: AsyncConnection) -> None:
    await connection.execute(sa.text("SELECT 1"))
