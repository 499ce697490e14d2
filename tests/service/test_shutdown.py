"""A clean stop: answers in progress finish, new questions hear the bot is restarting, the gateway closes."""

from __future__ import annotations

import asyncio

import pytest

from bot.records.stats import gather
from bot.records.store import Store
from bot.service.lifecycle import RESTARTING
from bot.service.shutdown import stop_gracefully
from bot.settings import Settings
from tests.discord_app.helpers import embeds_of
from tests.service.helpers import hold_search_thread, until, without_settling

ADVICE = "If you are writing a spec script, make it interesting in the first few pages."


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, PIERPOINT_SEARCH_THREADS=1)


async def test_a_stop_finishes_the_answer_in_progress_and_turns_new_questions_away(simcord_env, server):
    bot = simcord_env.bot
    release = hold_search_thread(bot)
    first = await without_settling(simcord_env, lambda: server.alice.slash(
        server.channel, "ask", question="advice for writers"))
    await until(lambda: first.deferred)
    assert bot.lifecycle.in_progress == 1 and not embeds_of(first)

    stopping = asyncio.create_task(stop_gracefully(bot))
    await until(lambda: not bot.lifecycle.accepting)
    late = await without_settling(simcord_env, lambda: server.members[1].slash(
        server.channel, "ask", question="what does Kay say about luck?"))
    dm = simcord_env.create_user("dm-fan")
    await without_settling(simcord_env, lambda: dm.send_dm("advice for writers"))
    await until(lambda: late.response is not None)
    assert late.ephemeral and late.response.content == RESTARTING
    await until(lambda: dm.dm_channel.last_message is not None and dm.dm_channel.last_message.author == bot.user)
    assert dm.dm_channel.last_message.content == RESTARTING
    assert not stopping.done() and not bot.is_closed(), "the stop waits for the answer in progress"

    release.set()
    await asyncio.wait_for(stopping, 15)
    top = embeds_of(first)[0]
    assert ADVICE in top.description, "the answer in progress was sent in full"
    assert bot.metrics.registry.get_sample_value(
        "pierpoint_questions_total", {"how": "slash", "outcome": "answered"}) == 1, "and recorded as answered"
    assert bot.is_closed()
    store = await Store.open(bot.settings.database)  # the stop flushed the answer's record to the database
    try:
        report = await gather(store, days=1)
    finally:
        await store.close()
    assert report["questions"] == 1 and report["no_match"] == 0


async def test_a_stop_does_not_wait_past_its_grace_period_for_an_answer_that_hangs(simcord_env, server, caplog):
    bot = simcord_env.bot
    release = hold_search_thread(bot)
    try:
        first = await without_settling(simcord_env, lambda: server.alice.slash(
            server.channel, "ask", question="advice for writers"))
        await until(lambda: first.deferred)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.wait_for(stop_gracefully(bot, grace=0.5), 10)
        assert 0.5 <= loop.time() - started < 5
        assert bot.is_closed() and not embeds_of(first)
        assert "Stopping with 1 answer(s) still unfinished after 0.5 s" in caplog.text
    finally:
        release.set()
