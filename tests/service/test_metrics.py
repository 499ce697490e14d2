"""Questions are counted by how they were asked and how they ended."""

from __future__ import annotations

import pytest

from bot.service.metrics import Metrics
from bot.settings import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings(_env_file=None, PIERPOINT_COOLDOWN_QUESTIONS=2, PIERPOINT_COOLDOWN_SECONDS=30)


def count(bot, how: str, outcome: str) -> float:
    return bot.metrics.registry.get_sample_value("pierpoint_questions_total", {"how": how, "outcome": outcome})


async def test_slash_dm_and_mention_questions_are_counted_with_their_outcome(simcord_env, server):
    bot = simcord_env.bot
    await server.alice.slash(server.channel, "ask", question="advice for writers")
    await server.alice.slash(server.channel, "ask", question="what is the capital of Australia?")
    await server.alice.slash(server.channel, "ask", question="how did they cast the show?")  # over the limit of 2
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm("what does Kay say about luck?")
    await server.members[1].send(server.channel, f"{bot.user.mention} advice for writers")

    assert count(bot, "slash", "answered") == 1
    assert count(bot, "slash", "no_match") == 1
    assert count(bot, "slash", "cooldown") == 1
    assert count(bot, "dm", "answered") == 1
    assert count(bot, "mention", "answered") == 1
    assert count(bot, "slash", "error") == 0
    assert bot.metrics.registry.get_sample_value("pierpoint_answer_seconds_count") == 4, "cooldowns are not answers"


def test_a_question_that_fails_counts_as_an_error_and_the_failure_is_not_swallowed():
    metrics = Metrics()
    with pytest.raises(RuntimeError), metrics.question("dm"):
        raise RuntimeError("Discord said no")
    assert metrics.registry.get_sample_value("pierpoint_questions_total", {"how": "dm", "outcome": "error"}) == 1


def test_each_bot_has_its_own_registry():
    first, second = Metrics(), Metrics()
    first.vote(up=False)
    first.db_write_failure()
    assert first.registry.get_sample_value("pierpoint_votes_total", {"vote": "down"}) == 1
    assert second.registry.get_sample_value("pierpoint_votes_total", {"vote": "down"}) == 0
    assert first.registry.get_sample_value("pierpoint_database_write_failures_total") == 1
    assert b"pierpoint_servers" in Metrics().render()
