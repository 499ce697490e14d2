"""The database's reads and writes, all async: what the recorder and ``stats`` call.

Records are plain dataclasses (:class:`QuestionRecord`, :class:`VoteRecord`);
every write is one transaction. Raises SQLAlchemy's errors (or the driver's)
when the database fails: the caller decides what that means for the user.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.records.database import migrate, open_engine
from bot.records.schema import meta, questions, shown_passages, votes

VOTER_KEY = "voter_key"
"""The ``meta`` row holding the HMAC key for voter hashes, when the settings give none."""
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_MENTION = re.compile(r"<\s*(?P<kind>@[!&]?|#)\s*\d+>?|<\s*\d{15,}>?")
"""A Discord mention (``<@id>``, ``<@!id>``, ``<@&id>``, ``<#id>``), also as search cleaning leaves it (``<@id``,
``< id``: markdown punctuation dropped); a bare ``<`` + snowflake needs a snowflake's length (15+ digits)."""
_MENTION_NAMES = {"@": "@user", "@!": "@user", "@&": "@role", "#": "#channel", None: "@user"}


def utcnow() -> datetime:
    """Now in UTC, without tzinfo (how every time is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def normalise(question: str) -> str:
    """``question`` for grouping repeats: case folded, accents and punctuation removed, spaces collapsed.

    >>> normalise("  What's  HEAT about?! ")
    'whats heat about'
    """
    text = unicodedata.normalize("NFKD", question.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("'", "").replace("’", "")
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def scrub_mentions(text: str) -> str:
    """``text`` with every Discord mention replaced by ``@user``, ``@role`` or ``#channel``: the records never
    keep a raw user, role or channel id, whatever a front end passed on.

    >>> scrub_mentions("what does <@!123> think of <#456>?")
    'what does @user think of #channel?'
    """
    return _MENTION.sub(lambda match: _MENTION_NAMES[match["kind"]], text)


@dataclass(frozen=True)
class QuestionRecord:
    """One answer given: ``passages`` is ``((passage_id, score), ...)`` best first; ``question`` None = not kept."""

    id: uuid.UUID
    asked_at: datetime
    guild_id: int | None
    via: str
    command: str
    question: str | None
    no_match: bool
    answer_ms: int
    influence: str | None = None
    passages: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True)
class VoteRecord:
    """A vote: ``voter`` is the keyed hash, never an id; ``reason`` only for a 👎."""

    question_id: uuid.UUID
    voter: str
    up: bool
    reason: str | None = None
    voted_at: datetime = field(default_factory=utcnow)


class Store:
    """An open, migrated database. Create with :meth:`open`; close with :meth:`close`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect, create or upgrade the schema. Raises :class:`bot.records.RecordsError` with a one-line reason."""
        engine = open_engine(url)
        try:
            await migrate(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine)

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> None:
        """Raises when the database cannot answer ``SELECT 1``."""
        async with self.engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))

    # -- writes ---------------------------------------------------------------
    async def add_questions(self, records: list[QuestionRecord]) -> None:
        """Insert answers and the passages they showed, in one transaction (all or none)."""
        if not records:
            return
        rows = []
        for r in records:
            question = scrub_mentions(r.question) if r.question is not None else None
            rows.append({
                "id": r.id, "asked_at": r.asked_at, "guild_id": r.guild_id, "via": r.via, "command": r.command,
                "question": question, "normalised": normalise(question) if question is not None else None,
                "influence": r.influence, "no_match": r.no_match, "answer_ms": r.answer_ms,
            })
        shown = [{"question_id": r.id, "position": n, "passage_id": pid, "score": float(score), "asked_at": r.asked_at}
                 for r in records for n, (pid, score) in enumerate(r.passages)]
        async with self.engine.begin() as connection:
            await connection.execute(questions.insert(), rows)
            if shown:
                await connection.execute(shown_passages.insert(), shown)

    def _insert(self, table: sa.Table):  # the dialect's INSERT, which knows ON CONFLICT
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    async def put_vote(self, vote: VoteRecord) -> None:
        """Insert or replace ``vote.voter``'s vote on ``vote.question_id`` (one vote per person per answer)."""
        statement = self._insert(votes).values(
            question_id=vote.question_id, voter=vote.voter, up=vote.up,
            reason=scrub_mentions(vote.reason) if vote.reason is not None else None, voted_at=vote.voted_at)
        new = statement.excluded
        # A 👍 clears the reason; a 👎 without one (clicked again) keeps the reason an earlier 👎 gave.
        kept = sa.case((votes.c.up == sa.false(), votes.c.reason), else_=sa.null())
        reason = sa.case((new.up == sa.true(), sa.null()), else_=sa.func.coalesce(new.reason, kept))
        statement = statement.on_conflict_do_update(
            index_elements=[votes.c.question_id, votes.c.voter],
            set_={"up": new.up, "reason": reason, "voted_at": new.voted_at})
        async with self.engine.begin() as connection:
            await connection.execute(statement)

    async def voter_key(self) -> bytes:
        """The stored key for voter hashes, created on first use (every process sharing the database agrees)."""
        candidate = secrets.token_hex(32)
        async with self.engine.begin() as connection:
            await connection.execute(
                self._insert(meta).values(key=VOTER_KEY, value=candidate).on_conflict_do_nothing())
            stored = await connection.scalar(sa.select(meta.c.value).where(meta.c.key == VOTER_KEY))
        return bytes.fromhex(stored)

    async def purge(self, keep_days: int, now: datetime | None = None) -> tuple[int, int]:
        """Delete questions (with their passages) and votes older than ``keep_days``; returns (questions, votes)."""
        cutoff = (now or utcnow()) - timedelta(days=keep_days)
        async with self.engine.begin() as connection:
            await connection.execute(shown_passages.delete().where(shown_passages.c.asked_at < cutoff))
            gone_questions = (await connection.execute(questions.delete().where(questions.c.asked_at < cutoff)))
            gone_votes = (await connection.execute(votes.delete().where(votes.c.voted_at < cutoff)))
        return gone_questions.rowcount, gone_votes.rowcount
