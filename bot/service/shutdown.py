"""A clean stop on SIGTERM or SIGINT; a second signal exits at once.

Hosts send SIGTERM on every deploy (Docker, systemd and Kubernetes then wait
10 to 30 s before killing the process); Ctrl-C sends SIGINT. The first signal
starts :func:`stop_gracefully`: new questions are told the bot is restarting,
answers in progress get up to :data:`STOP_GRACE_SECONDS` to finish, then
``bot.close()`` flushes whatever the bot records (its ``close`` does that) and
closes the gateway, and ``bot.start()`` returns so the process exits 0.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from typing import Any

log = logging.getLogger(__name__)

# How long answers in progress may take to finish. An answer normally takes well under a second, so 10 s is
# room for a slow Discord; it fits Kubernetes' 30 s and systemd's 90 s wait before a kill (Docker's default is
# 10 s: give the container a little more, see the README).
STOP_GRACE_SECONDS = 10.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


async def stop_gracefully(bot: Any, grace: float = STOP_GRACE_SECONDS) -> None:
    """Refuse new questions, wait up to ``grace`` seconds for answers in progress, then ``await bot.close()``."""
    if bot.lifecycle.in_progress:
        log.info("Stopping: no new questions; waiting up to %g s for %d answer(s) in progress",
                 grace, bot.lifecycle.in_progress)
    unfinished = await bot.lifecycle.drain(grace)
    if unfinished:
        log.warning("Stopping with %d answer(s) still unfinished after %g s", unfinished, grace)
    await bot.close()  # flushes records (when the bot has them), closes the gateway and the HTTP session
    log.info("Pierpoint stopped cleanly")


class SignalStop:
    """Turns the first SIGTERM/SIGINT into :func:`stop_gracefully`, and a second into an immediate exit."""

    def __init__(self, bot: Any, grace: float = STOP_GRACE_SECONDS) -> None:
        self._bot = bot
        self._grace = grace
        self.task: asyncio.Task[None] | None = None

    def install(self) -> None:
        """Handle the signals on the running event loop (on Windows, through ``signal.signal``)."""
        loop = asyncio.get_running_loop()
        for signum in STOP_SIGNALS:
            try:
                loop.add_signal_handler(signum, self.handle, signum)
            except NotImplementedError:  # Windows' event loops have no add_signal_handler
                signal.signal(signum, lambda number, frame: loop.call_soon_threadsafe(self.handle, number))

    def handle(self, signum: int) -> None:
        name = signal.Signals(signum).name
        if self.task is None:
            log.info("%s received: stopping cleanly (send it again to exit at once)", name)
            self.task = asyncio.get_running_loop().create_task(stop_gracefully(self._bot, self._grace))
            return
        log.warning("%s received again: exiting at once", name)
        for handler in logging.getLogger().handlers:
            handler.flush()
        sys.stderr.flush()
        os._exit(128 + signum)  # the shell's convention for "ended by this signal"
