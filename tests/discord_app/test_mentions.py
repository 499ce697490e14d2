"""Mentions inside a question: searched, echoed and recorded as names, never as raw Discord ids."""

from __future__ import annotations

import re

from bot.records.schema import questions
from bot.retrieval.search import NO_MATCH
from tests.records.helpers import rows

DIGITS = re.compile(r"\d{6,}")


async def recorded_questions(bot) -> list[dict]:
    await bot.records.flush()
    return await rows(bot.settings.database, questions)


async def test_a_mention_question_naming_members_is_answered_echoed_and_stored_without_ids(server, simcord_env,
                                                                                           simcord_bot):
    alice, bob = server.members[0], server.members[1]
    me = simcord_env.bot.user.id
    await alice.send(server.channel, f"<@{me}> <@{bob.id}> what do they say about luck?")
    answer = server.channel.last_message.content
    assert NO_MATCH not in answer, "the member's mention must not spoil the search"
    assert "@fan1" in answer and str(bob.id) not in answer

    await alice.send(server.channel, f"<@!{me}> ask <@&{server.guild.id}> and <#{server.channel.id}> about casting")
    echoed = server.channel.last_message.content
    assert not DIGITS.search(echoed), echoed

    stored = await recorded_questions(simcord_bot)
    assert len(stored) == 2
    for row in stored:
        assert not DIGITS.search(row["question"]) and not DIGITS.search(row["normalised"]), row
    assert any(row["question"].startswith("@fan1 what do they say about luck") for row in stored)


async def test_a_slash_question_echoes_and_stores_mentions_without_their_ids(server, simcord_env, simcord_bot):
    # Discord resolves no mention inside a text option and the bot has no members intent: a neutral name.
    bob, stranger = server.members[1], 123456789012345678
    result = await server.alice.slash(server.channel, "ask", question=f"what does <@{bob.id}> think about luck?")
    assert "what does @someone think about luck" in result.response.content
    asked = f"<#{server.channel.id}> asks: how did <@!{stranger}> cast the show?"
    result = await server.alice.slash(server.channel, "ask", question=asked)
    assert "@someone" in result.response.content and "general asks" in result.response.content
    assert not DIGITS.search(result.response.content)
    for row in await recorded_questions(simcord_bot):
        assert not DIGITS.search(row["question"]) and not DIGITS.search(row["normalised"]), row
