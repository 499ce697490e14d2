"""The real bot against simcord's in-memory Discord.

Every test gets a fresh bot (discord.py objects belong to one event loop)
sharing the session's retriever, so the model loads once. After every test,
every message payload the bot sent is checked against Discord's limits and
for pings: a test that makes the bot break either fails even if it did not
look.
"""

from __future__ import annotations

import pytest
import pytest_asyncio
from simcord import Env

from bot import create_bot
from bot.settings import Settings
from tests.discord_app.helpers import Server, can_ping, limit_problems, make_server, sent_payloads


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, PIERPOINT_COOLDOWN_QUESTIONS=3, PIERPOINT_COOLDOWN_SECONDS=30)


@pytest.fixture
async def simcord_bot(retriever, settings):
    """What simcord starts: the production bot, syncing its commands as an operator would.

    simcord detaches it without closing it, so its records database is closed here.
    """
    bot = create_bot(retriever, settings=settings, sync_commands=True)
    yield bot
    if bot.records is not None:
        await bot.records.close()


# What Discord recommends to a bot in a few servers: one shard. The bot asks (PIERPOINT_SHARD_COUNT unset, as
# in production); simcord plays Discord's part and answers with this count.
RECOMMENDED_SHARDS = 1


@pytest_asyncio.fixture
async def simcord_env(simcord_bot, request):
    """simcord's own fixture (simcord/pytest_plugin.py), answering the bot's shard-count question."""
    marker = request.node.get_closest_marker("simcord")
    options = dict(marker.kwargs) if marker else {}
    if simcord_bot.shard_count is None:
        options.setdefault("shard_count", RECOMMENDED_SHARDS)
    env = Env(simcord_bot, **options)
    await env.start()
    try:
        yield env
    finally:
        await env.shutdown()
        if env.check_errors:
            env._raise_errors_since(env._errors_acknowledged)


@pytest.fixture(autouse=True)
def every_payload_is_safe(request):
    """After each test: every payload within Discord's limits and unable to ping anyone."""
    if "simcord_env" not in request.fixturenames:
        yield
        return
    env = request.getfixturevalue("simcord_env")  # set up first, so it is torn down after this check
    yield
    for record, body in sent_payloads(env):
        assert not limit_problems(body), f"{record.method} {record.path}: {limit_problems(body)}"
        if body.get("content") is not None or body.get("embeds"):
            assert not can_ping(body), f"{record.method} {record.path} may ping: {body.get('allowed_mentions')}"


@pytest.fixture
def server(simcord_env) -> Server:
    return make_server(simcord_env)
