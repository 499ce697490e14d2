"""Recording without slowing or breaking an answer: a bounded queue, one writer task, votes awaited.

* :meth:`Recorder.record` puts an answer's record on a bounded queue and returns at
  once; a writer task (started when records arrive, ended when the queue is empty)
  drains it in batches, one transaction each. When the
  database fails, the batch is kept and retried with back-off until it is back, so
  recording resumes by itself; past :data:`MAX_PENDING` waiting records, new ones are
  counted in ``dropped`` and not kept.
* :meth:`Recorder.vote` writes at once and returns True only once the vote is
  committed: a vote the user is told about is never lost, and a failed one is told
  "couldn't record that right now".
* :meth:`Recorder.close` stops taking records and writes what is queued (for up
  to :data:`FLUSH_SECONDS` if the database is down; anything left is logged as lost).
* Failures are logged at most once per :data:`LOG_EVERY_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import time
from collections.abc import Callable

from bot.records.database import async_url, describe, reason
from bot.records.schema import REASON_LENGTH
from bot.records.store import QuestionRecord, Store, VoteRecord, utcnow
from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_PENDING = 10_000
"""Records waiting for the database at most; about 10 MB, hours of a busy server's questions."""
BATCH = 500
"""Records written per transaction at most."""
VOTE_SECONDS = 2.5
"""How long a vote waits for the database: Discord wants an answer to the click within 3 s."""
FLUSH_SECONDS = 10.0
"""How long closing waits for a database that is down before giving up on queued records."""
RETRY_SECONDS = (10.0, 60.0)
"""Back-off between retries of a failed write, first and longest wait: a database that is down is not
hammered, and one that is back is used again within a minute. Closing cuts the wait short."""
LOG_EVERY_SECONDS = 60.0
"""Database errors are logged at most this often (a down database would flood the log)."""
PURGE_EVERY_SECONDS = 24 * 3600.0
"""Retention runs once a day (and at start)."""


class Recorder:
    """Questions and votes on their way to a :class:`Store`, off the answer's path.

    Health, for the operator's probes: ``await ping()``, ``write_failures`` (failed
    transactions so far), ``dropped`` (records not kept because the queue was full or
    the database stayed down at shutdown), ``pending`` (records waiting), ``written``.
    """

    def __init__(self, store: Store, *, voter_key: bytes, record_questions: bool = True, keep_days: int = 90,
                 max_pending: int = MAX_PENDING) -> None:
        self.store = store
        self.record_questions = record_questions
        self.keep_days = keep_days
        self.max_pending = max_pending
        self.write_failures = 0
        self.on_write_failure: Callable[[], None] | None = None
        """Called after each failed write (the bot's metrics count them)."""
        self.dropped = 0
        self.written = 0
        self._voter_key = voter_key
        self._queue: asyncio.Queue[QuestionRecord] = asyncio.Queue()  # bounded by record()
        self._closing = False
        self._votes: set[asyncio.Future[None]] = set()
        self._writer: asyncio.Task[None] | None = None
        self._retrying: list[QuestionRecord] | None = None
        self._purger: asyncio.Task[None] | None = None
        self._last_log = -LOG_EVERY_SECONDS

    @classmethod
    async def open(cls, url: str, *, voter_key: str | None = None, record_questions: bool = True,
                   keep_days: int = 90) -> Recorder:
        """Open (and migrate) the database at ``url`` and start writing. Raises :class:`RecordsError`."""
        store = await Store.open(url)
        try:
            key = voter_key.encode() if voter_key else await store.voter_key()
        except Exception:
            await store.close()
            raise
        recorder = cls(store, voter_key=key, record_questions=record_questions, keep_days=keep_days)
        recorder.start()
        return recorder

    def start(self) -> None:
        """Start the daily retention (writes start on demand, with the first record)."""
        if self.keep_days > 0:
            self._purger = asyncio.create_task(self._purge_loop(), name="pierpoint-records-retention")

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def voter(self, user_id: int) -> str:
        """The keyed hash that stands for a Discord user: HMAC-SHA256 of the id, hex (64 characters)."""
        return hmac.new(self._voter_key, str(user_id).encode(), hashlib.sha256).hexdigest()

    # -- questions ------------------------------------------------------------
    def record(self, record: QuestionRecord) -> None:
        """Queue an answer's record; never waits, never raises."""
        if self._closing:
            self.dropped += 1
            return
        if self._queue.qsize() >= self.max_pending:
            self.dropped += 1
            self._log_failure("recording queue full (%d waiting): a question was not recorded", self.max_pending)
            return
        if not self.record_questions and record.question is not None:
            record = QuestionRecord(**{**record.__dict__, "question": None})
        self._queue.put_nowait(record)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_queued(), name="pierpoint-records-writer")

    async def _write_queued(self) -> None:
        """Write batches until the queue is empty, then end (the next record starts a new writer)."""
        while not self._queue.empty():
            batch = [self._queue.get_nowait() for _ in range(min(BATCH, self._queue.qsize()))]
            await self._write(batch)

    async def _write(self, batch: list[QuestionRecord]) -> None:
        """Write ``batch``, retrying until it is written (or, while closing, until the flush deadline)."""
        wait = RETRY_SECONDS[0]
        deadline: float | None = None
        while True:
            try:
                await self.store.add_questions(batch)
                self.written += len(batch)
                return
            except Exception as exc:
                self._count_failure()
                self._log_failure("could not record %d questions (will retry): %s", len(batch), reason(exc))
            if self._closing:
                deadline = deadline or time.monotonic() + FLUSH_SECONDS
                if time.monotonic() >= deadline:
                    lost = len(batch) + self._queue.qsize()
                    while not self._queue.empty():
                        self._queue.get_nowait()
                    self.dropped += lost
                    log.error("closing with the database unavailable: %d recorded questions lost", lost)
                    return
            self._retrying = batch  # close() takes it over if it interrupts the wait
            try:
                await asyncio.sleep(min(wait, deadline - time.monotonic()) if deadline else wait)
            finally:
                self._retrying = None
            wait = min(wait * 2, RETRY_SECONDS[1])

    # -- votes ----------------------------------------------------------------
    async def vote(self, question_id: object, user_id: int, up: bool, reason_text: str | None = None) -> bool:
        """Record ``user_id``'s vote on an answer (replacing their earlier one). True once committed."""
        if self._closing:
            return False
        reason_text = (reason_text or "").strip()[:REASON_LENGTH] or None
        record = VoteRecord(question_id, self.voter(user_id), up, None if up else reason_text, utcnow())  # type: ignore[arg-type]
        write = asyncio.ensure_future(self.store.put_vote(record))
        self._votes.add(write)
        write.add_done_callback(self._votes.discard)
        try:
            await asyncio.wait_for(asyncio.shield(write), VOTE_SECONDS)
            return True
        except Exception as exc:  # includes the timeout: the user is told it was not recorded
            self._count_failure()
            self._log_failure("could not record a vote: %s", reason(exc) if str(exc) else type(exc).__name__)
            return False

    async def flush(self) -> None:
        """Wait until every record queued so far is written (or, while the database is down, retried)."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    # -- health, retention, shutdown ------------------------------------------
    async def ping(self, timeout: float = VOTE_SECONDS) -> bool:
        """True when the database answers a trivial query within ``timeout`` seconds (False once closed)."""
        if self._closing:
            return False
        try:
            await asyncio.wait_for(self.store.ping(), timeout)
            return True
        except Exception:
            return False

    async def _purge_loop(self) -> None:
        while True:
            try:
                removed = await self.store.purge(self.keep_days)
                if any(removed):
                    log.info("retention: removed %d questions and %d votes older than %d days",
                             *removed, self.keep_days)
            except Exception as exc:
                self._log_failure("could not remove old records (will retry tomorrow): %s", reason(exc))
            await asyncio.sleep(PURGE_EVERY_SECONDS)

    async def close(self) -> None:
        """Stop taking records, write every queued one (see :data:`FLUSH_SECONDS`), close the database."""
        if self._closing:
            return
        self._closing = True
        if self._purger is not None:
            self._purger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._purger
        if self._writer is not None and not self._writer.done():
            waiting = self._retrying
            if waiting is not None:  # between retries: retry now rather than after the back-off
                self._writer.cancel()
            await asyncio.wait([self._writer])
            if waiting is not None:
                await self._write(waiting)
        await self._write_queued()  # what is left, e.g. if the writer was cancelled
        if self._votes:
            await asyncio.wait(list(self._votes), timeout=VOTE_SECONDS)
        await self.store.close()

    def _count_failure(self) -> None:
        self.write_failures += 1
        if self.on_write_failure is not None:
            self.on_write_failure()

    def _log_failure(self, message: str, *args: object) -> None:
        now = time.monotonic()
        if now - self._last_log >= LOG_EVERY_SECONDS:
            self._last_log = now
            log.error(message, *args)


async def open_recorder(settings: Settings) -> Recorder:
    """The recorder the settings describe (PIERPOINT_DATABASE_URL, _RECORD_QUESTIONS, _KEEP_DAYS, _VOTER_KEY)."""
    key = settings.voter_key.get_secret_value().strip() if settings.voter_key else None
    log.info("recording questions%s and votes in %s, kept %d days", "" if settings.record_questions else
             " (without their text)", describe(async_url(settings.database)), settings.keep_days)
    return await Recorder.open(settings.database, voter_key=key or None, record_questions=settings.record_questions,
                               keep_days=settings.keep_days)
