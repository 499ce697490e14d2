"""Starting the bot and registering its commands, with clear messages instead of tracebacks.

The token is read from settings and handed to discord.py; it is never
printed or logged, and no message here includes it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections.abc import Callable
from typing import TypeVar

import aiohttp
import discord

from bot.discord_app.client import PierpointBot, create_bot
from bot.retrieval.search import Retriever
from bot.service.health import HealthServer
from bot.service.shards import describe_shards
from bot.service.shutdown import SignalStop
from bot.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

# Three dot-separated base64url parts: a shape check catches a pasted client secret or a stray quote.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$")
HOW_TO_GET_A_TOKEN = (
    "Create one under Bot > Reset Token at https://discord.com/developers/applications, "
    "then put DISCORD_TOKEN=... in .env (see .env.example)."
)


def _fail(message: str) -> int:
    print(f"Pierpoint can't start: {message}", file=sys.stderr)
    return 1


def check_token(settings: Settings) -> str | None:
    """The token if it is set and looks like a bot token; otherwise print why and return None."""
    token = settings.token
    if not token:
        _fail(f"DISCORD_TOKEN is not set. {HOW_TO_GET_A_TOKEN}")
        return None
    if not _TOKEN_SHAPE.match(token):
        _fail("DISCORD_TOKEN does not look like a bot token (it should be three parts separated by dots; "
              f"the client secret or application id will not work). {HOW_TO_GET_A_TOKEN}")
        return None
    return token


class CannotListen(RuntimeError):
    """The health and metrics server could not take its port."""


def _talk_to_discord(action: Callable[[], T]) -> T | int:
    """Run ``action``, turning Discord's and the network's failures into one-line messages."""
    try:
        return action()
    except CannotListen as exc:
        return _fail(str(exc))
    except discord.LoginFailure:
        return _fail(f"Discord rejected DISCORD_TOKEN (it may have been reset). {HOW_TO_GET_A_TOKEN}")
    except discord.PrivilegedIntentsRequired:
        return _fail("Discord refused an intent. Pierpoint needs no privileged intents: "
                     "check you are running an unmodified Pierpoint.")
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        return _fail(f"could not reach Discord ({type(exc).__name__}). Check the internet connection.")
    except discord.HTTPException as exc:
        return _fail(f"Discord answered with an error: {exc.status} {exc.text or ''}".strip())


def run_bot(settings: Settings) -> int:
    """``python -m bot run``: connect and serve until stopped."""
    token = check_token(settings)
    if token is None:
        return 1
    discord.utils.setup_logging(level=getattr(logging, settings.log_level.upper(), logging.INFO), root=True)
    # Load before connecting, so a broken corpus or stale index stops here with its own message
    # (raised to the command line) rather than inside discord.py's start-up.
    retriever = Retriever.load(settings.corpus_dir, settings.index_dir, settings.model, backend=settings.backend,
                               cache_dir=settings.cache_dir)
    try:
        retriever.warm_up()
    except (OSError, ValueError) as exc:
        return _fail(f"could not load the embedding model {settings.model!r} ({exc}). "
                     "Check PIERPOINT_MODEL, or unset it to use the built-in model.")
    bot = create_bot(retriever, settings=settings, recommended_shards=True)  # Discord's count unless set
    result = _talk_to_discord(lambda: asyncio.run(serve(bot, token, settings)))
    return result if isinstance(result, int) else 0


async def serve(bot: PierpointBot, token: str, settings: Settings) -> None:
    """Connect and answer until stopped: SIGTERM or SIGINT stop cleanly (a second one at once).

    The health and metrics server runs alongside when PIERPOINT_METRICS_PORT is set.
    """
    log.info("Connecting %s", describe_shards(settings.shard_ids, settings.shard_count))
    async with bot:
        stop = SignalStop(bot)
        stop.install()
        server = None
        if settings.metrics_port is not None:
            server = HealthServer(bot, settings.metrics_host, settings.metrics_port)
            try:
                await server.start()
            except OSError as exc:
                reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else (exc.strerror or str(exc))
                raise CannotListen(f"PIERPOINT_METRICS_HOST/PORT: cannot listen on {settings.metrics_host}:"
                                   f"{settings.metrics_port} ({reason}).") from None
        try:
            await bot.start(token)
            if stop.task is not None:
                await stop.task  # returns once bot.close() is done; let the stop finish its own logging
        finally:
            if server is not None:
                await server.stop()


def sync_commands(settings: Settings, guild_id: int | None = None, *, clear: bool = False) -> int:
    """``python -m bot sync``: register the slash commands globally, or in one server (instant).

    ``clear`` removes a server's own copies again (after testing with ``--guild``), so a
    server that also has the global commands does not list each one twice.
    """
    token = check_token(settings)
    if token is None:
        return 1
    if clear and guild_id is None:
        return _fail("--clear needs --guild ID: it removes the commands registered in that one server.")

    async def sync() -> list[discord.app_commands.AppCommand]:
        bot = create_bot(settings=settings, load_index=False)
        async with bot:
            await bot.login(token)
            if guild_id is None:
                return await bot.tree.sync()
            guild = discord.Object(id=guild_id)
            if clear:
                bot.tree.clear_commands(guild=guild)
            else:
                bot.tree.copy_global_to(guild=guild)
            return await bot.tree.sync(guild=guild)

    result = _talk_to_discord(lambda: asyncio.run(sync()))
    if isinstance(result, int):
        return result
    if clear:
        print(f"Removed the commands registered in server {guild_id}; the global ones remain.")
        return 0
    names = ", ".join(f"/{command.name}" for command in result)
    where = f"in server {guild_id} (available now)" if guild_id else "globally (Discord may take up to an hour)"
    print(f"Registered {len(result)} commands {where}: {names}")
    return 0
