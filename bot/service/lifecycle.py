"""Answers in progress, and no new questions once a stop has begun.

The cogs wrap each answer in :meth:`Lifecycle.answering` and check
:attr:`Lifecycle.accepting` before starting one; the stop
(:func:`bot.service.shutdown.stop_gracefully`) calls :meth:`Lifecycle.drain`.
Everything runs on the bot's event loop, so a plain counter is enough.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager, suppress

RESTARTING = "Pierpoint is restarting, so it can't take questions for a moment. Please ask again in a minute."


class Lifecycle:
    """Whether this bot takes new questions, and how many answers it is in the middle of."""

    def __init__(self) -> None:
        self._stopping = False
        self._in_progress = 0
        self._idle: asyncio.Event | None = None  # made by drain(), set when the last answer finishes

    @property
    def accepting(self) -> bool:
        """False once a stop has begun: new questions get :data:`RESTARTING` instead of an answer."""
        return not self._stopping

    @property
    def in_progress(self) -> int:
        return self._in_progress

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Count the enclosed answer as in progress until it is sent (or fails)."""
        self._in_progress += 1
        try:
            yield
        finally:
            self._in_progress -= 1
            if self._in_progress == 0 and self._idle is not None:
                self._idle.set()

    async def drain(self, timeout: float) -> int:
        """Refuse new questions, then wait up to ``timeout`` seconds for the answers in progress.

        Returns how many answers were still unfinished when the wait ended (0 when all finished).
        """
        self._stopping = True
        if self._in_progress:
            self._idle = asyncio.Event()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), timeout)
        return self._in_progress
