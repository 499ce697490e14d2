"""The real bot against simcord's in-memory Discord.

Every test gets a fresh bot (discord.py objects belong to one event loop)
sharing the session's retriever, so the model loads once. After every test,
every message payload the bot sent is checked against Discord's limits and
for pings: a test that makes the bot break either fails even if it did not
look.
"""

from __future__ import annotations

import pytest

from bot import create_bot
from bot.settings import Settings
from tests.discord_app.helpers import Server, can_ping, limit_problems, make_server, sent_payloads


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, PIERPOINT_COOLDOWN_QUESTIONS=3, PIERPOINT_COOLDOWN_SECONDS=30)


@pytest.fixture
def simcord_bot(retriever, settings):
    """What simcord starts: the production bot, syncing its commands as an operator would."""
    return create_bot(retriever, settings=settings, sync_commands=True)


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
