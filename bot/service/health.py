"""``GET /healthz`` and ``GET /metrics`` over HTTP, with aiohttp (already a dependency of discord.py).

Off unless ``PIERPOINT_METRICS_PORT`` is set; it listens on
``PIERPOINT_METRICS_HOST`` (``127.0.0.1`` by default, so only the machine
itself, or a sidecar, can read it).

``/healthz`` answers 200 when the bot is ready and 503 otherwise, with the
same JSON body either way::

    {"ready": true, "stopping": false, "index_loaded": true,
     "shards": {"connected": 2, "total": 2}, "database_reachable": true}

``shards.total`` is the number of shards this process runs (``null`` until
Discord has said how many it recommends). ``database_reachable`` is ``null``
when the bot has no database store; otherwise the store, ``bot.records``,
is asked with its ``async ping()``, which raises (or returns False) when the
database cannot be reached.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

log = logging.getLogger(__name__)

# A health probe must answer quickly; a database that takes longer than this to answer a ping counts as down.
DATABASE_PING_TIMEOUT_SECONDS = 2.0


async def database_reachable(bot: Any) -> bool | None:
    """None when the bot has no database store (``bot.records``); else whether its ``ping()`` succeeds in time."""
    records = getattr(bot, "records", None)
    if records is None or not hasattr(records, "ping"):
        return None
    try:
        result = await asyncio.wait_for(records.ping(), DATABASE_PING_TIMEOUT_SECONDS)
    except Exception as exc:
        log.warning("health check: the database did not answer (%s)", type(exc).__name__)
        return False
    return result is not False


async def health(bot: Any) -> dict[str, Any]:
    """The ``/healthz`` body; ``ready`` says whether the bot can answer questions right now."""
    shard_ids = bot.shard_ids if bot.shard_ids is not None else (
        range(bot.shard_count) if bot.shard_count is not None else None)
    total = len(shard_ids) if shard_ids is not None else None
    connected = sum(1 for shard in bot.shards.values() if not shard.is_closed())
    index_loaded = bot.searcher is not None
    database = await database_reachable(bot)
    stopping = not bot.lifecycle.accepting or bot.is_closed()
    ready = (index_loaded and bot.is_ready() and not stopping and total is not None and connected == total
             and database is not False)
    return {"ready": ready, "stopping": stopping, "index_loaded": index_loaded,
            "shards": {"connected": connected, "total": total}, "database_reachable": database}


class HealthServer:
    """The HTTP server for one bot: ``await start()``, ``await stop()``; ``port`` is the port it got."""

    def __init__(self, bot: Any, host: str, port: int) -> None:
        self._bot, self._host, self._port = bot, host, port
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)

    async def start(self) -> None:
        """Listen; raises OSError when the port is taken or the host is not this machine's."""
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self._host, self.port)

    @property
    def port(self) -> int:
        """The port listened on (the one the system chose, when started with port 0)."""
        return self._runner.addresses[0][1] if self._runner.addresses else self._port

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        body = await health(self._bot)
        return web.json_response(body, status=200 if body["ready"] else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(body=self._bot.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})
