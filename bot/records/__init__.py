"""Records: what fans ask and how they rate the answers, kept in a real database for the content-gap report.

SQLAlchemy 2 (async) over SQLite by default (``data/pierpoint.db``, WAL mode) or
PostgreSQL when ``PIERPOINT_DATABASE_URL=postgresql://...`` (asyncpg); the schema
is created or upgraded on start by the Alembic migrations in ``migrations/``
(:func:`bot.records.database.migrate`), and a database that cannot be reached or
is newer than the code raises :class:`RecordsError` with a one-line message. The
front ends hold one :class:`Recorder` (``bot.records`` on the Discord bot):
``record(QuestionRecord)`` queues an answer's record and never waits or raises;
``await vote(record_id, user_id, up, reason) -> bool`` is True once committed
(voters are stored as an HMAC of their id, never the id). For health checks and
metrics: ``await recorder.ping() -> bool`` (the database answers within 2.5 s),
and the counters ``write_failures``, ``dropped``, ``pending`` and ``written``.
``await recorder.close()`` writes everything queued (the bot's ``close()`` calls
it). :mod:`bot.records.stats` reads the report ``python -m bot stats`` prints.
"""

from bot.records.answers import ask_record, influence_record, new_record_id
from bot.records.database import RecordsError
from bot.records.recorder import Recorder, open_recorder
from bot.records.store import QuestionRecord, Store, VoteRecord

__all__ = ["QuestionRecord", "Recorder", "RecordsError", "Store", "VoteRecord", "ask_record",
           "influence_record", "new_record_id", "open_recorder"]
