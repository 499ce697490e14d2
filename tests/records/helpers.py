"""Reading what the records hold, and making the database fail on purpose."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bot.records import QuestionRecord, Store
from bot.records.schema import questions, shown_passages, votes
from bot.records.store import utcnow


def question(text: str = "what does Kay say about luck?", *, no_match: bool = False, guild_id: int | None = 42,
             via: str = "slash", passages: tuple[tuple[str, float], ...] = (("titans/3", 0.9), ("titans/7", 0.5)),
             days_ago: float = 0, command: str = "ask", influence: str | None = None) -> QuestionRecord:
    return QuestionRecord(uuid.uuid4(), utcnow() - timedelta(days=days_ago), guild_id, via, command, text, no_match,
                          25, influence, () if no_match else passages)


async def rows(url: str, table: sa.Table) -> list[dict]:
    store = await Store.open(url)
    try:
        async with store.engine.connect() as connection:
            return [dict(r._mapping) for r in await connection.execute(sa.select(table))]
    finally:
        await store.close()


async def all_rows(url: str) -> dict[str, list[dict]]:
    return {t.name: await rows(url, t) for t in (questions, shown_passages, votes)}


@contextlib.asynccontextmanager
async def database_locked(url: str) -> AsyncIterator[None]:
    """Another client holds the write lock: every write from the bot waits, then fails or times out."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        holder = sqlite3.connect(parsed.database, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    holder = await asyncpg.connect(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    transaction = holder.transaction()
    await transaction.start()
    await holder.execute("LOCK TABLE questions, shown_passages, votes IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        await transaction.rollback()
        await holder.close()
