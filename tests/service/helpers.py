"""Holding an answer in progress, and waiting for the bot without simcord's settling."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any


def hold_search_thread(bot) -> threading.Event:
    """Occupy the bot's one search thread (PIERPOINT_SEARCH_THREADS=1) until the returned event is set.

    A question asked meanwhile is an answer in progress: deferred, its search queued behind this one,
    as when a search is slow. Reaches into the Searcher's pool, which has no public way to be held.
    """
    release = threading.Event()
    bot.searcher._pool.submit(release.wait, 30)
    return release


async def without_settling(env, action: Callable[[], Awaitable[Any]]) -> Any:
    """Start a user action and return at once, without waiting for the bot to finish handling it.

    Pauses simcord's settling (a private hook, ``_settle_internal``) as tests/discord_app/helpers.py does.
    """
    assert hasattr(env, "_settle_internal"), "simcord changed: update without_settling()"

    async def no_settle(*args: Any, **kwargs: Any) -> None:
        return None

    env._settle_internal = no_settle
    try:
        return await action()
    finally:
        del env._settle_internal


async def until(condition: Callable[[], Any], timeout: float = 10.0) -> None:
    """Wait (in real time) until ``condition()`` is true; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out waiting for the bot"
        await asyncio.sleep(0.01)
