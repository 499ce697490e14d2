"""/healthz and /metrics over a real HTTP connection to 127.0.0.1, with the bot in simcord."""

from __future__ import annotations

import aiohttp
import pytest
import simcord

from bot import create_bot
from bot.service.health import HealthServer
from bot.service.shutdown import stop_gracefully
from bot.settings import Settings
from tests.discord_app.helpers import embeds_of


async def get(server: HealthServer, path: str) -> tuple[int, str, object]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{server.port}{path}") as response:
        text = await response.text()
        body = await response.json() if response.content_type == "application/json" else None
        return response.status, text, body


def sample(text: str, name: str) -> float | None:
    """The value of one sample line (``name`` with its labels, exactly as exposed) in Prometheus text."""
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


@pytest.fixture
async def health_server(retriever):
    bot = create_bot(retriever, settings=Settings(_env_file=None), sync_commands=True, recommended_shards=True)
    server = HealthServer(bot, "127.0.0.1", 0)  # port 0: the system picks a free one
    await server.start()
    yield bot, server
    await server.stop()


async def test_healthz_is_503_before_the_bot_is_ready_then_200_then_503_when_stopping(health_server):
    bot, server = health_server
    status, _, body = await get(server, "/healthz")
    assert status == 503
    assert body == {"ready": False, "stopping": False, "index_loaded": False,
                    "shards": {"connected": 0, "total": None}, "database_reachable": None}

    async with simcord.run(bot, shard_count=2):
        status, _, body = await get(server, "/healthz")
        assert status == 200
        assert body == {"ready": True, "stopping": False, "index_loaded": True,
                        "shards": {"connected": 2, "total": 2}, "database_reachable": True}

        await stop_gracefully(bot)
        status, _, body = await get(server, "/healthz")
        assert status == 503 and body["stopping"] is True and body["ready"] is False


async def test_metrics_count_a_question_and_a_vote(health_server):
    bot, server = health_server
    async with simcord.run(bot, shard_count=2) as env:
        status, text, _ = await get(server, "/metrics")
        assert status == 200
        assert sample(text, 'pierpoint_questions_total{how="slash",outcome="answered"}') == 0
        assert sample(text, 'pierpoint_votes_total{vote="up"}') == 0

        guild = env.create_guild("Industry fans", shard_id=1)
        channel = guild.create_text_channel("general")
        result = await guild.add_member(env.create_user("fan")).slash(channel, "ask", question="advice for writers")
        assert embeds_of(result)
        bot.metrics.vote(up=True)  # what the vote button calls

        status, text, _ = await get(server, "/metrics")
        assert sample(text, 'pierpoint_questions_total{how="slash",outcome="answered"}') == 1
        assert sample(text, 'pierpoint_answer_seconds_count') == 1
        assert sample(text, 'pierpoint_votes_total{vote="up"}') == 1
        assert sample(text, 'pierpoint_votes_total{vote="down"}') == 0
        assert sample(text, "pierpoint_servers") == 1
        assert sample(text, 'pierpoint_gateway_latency_seconds{shard="0"}') is not None
        assert sample(text, 'pierpoint_gateway_latency_seconds{shard="1"}') is not None
        assert sample(text, "pierpoint_database_write_failures_total") == 0


class UnreachableDatabase:
    """The records store's health interface (``async ping()``), with its database down."""

    async def ping(self) -> None:
        raise ConnectionRefusedError("database is down")


async def test_an_unreachable_database_makes_the_bot_unhealthy(health_server):
    bot, server = health_server
    async with simcord.run(bot, shard_count=1):
        bot.records = UnreachableDatabase()
        status, _, body = await get(server, "/healthz")
        assert status == 503
        assert body["database_reachable"] is False and body["shards"] == {"connected": 1, "total": 1}
        bot.records = None


@pytest.fixture
def root_logging():
    """run_bot sets up logging on the root logger, as a process does: undo it after the test."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_taken_metrics_port_stops_the_bot_with_one_line_naming_the_setting(capsys, root_logging):
    import socket

    from bot.discord_app.runner import run_bot

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(_env_file=None, DISCORD_TOKEN="MTQ1NjA3NDQ0Mzk4MDgwMDAwMA.GhIjKl." + "x" * 38,
                            PIERPOINT_METRICS_PORT=port)
        assert run_bot(settings) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err == (f"Pierpoint can't start: PIERPOINT_METRICS_HOST/PORT: cannot listen on 127.0.0.1:{port} "
                   "(Address already in use).")
