"""Nothing pings, hostile questions get clear answers, many users at once, cooldowns, failures."""

from __future__ import annotations

import logging

import pytest
import simcord

from tests.discord_app.helpers import all_at_once, embeds_of

HOSTILE = {
    "3,000 characters": "why " * 750,
    "whitespace only": " \t  \n ",
    "emoji only": "🔥💸📉🔥",
    "zero-width characters": "\u200b\u200c\u200d\ufeff",
    "broken markdown": "**heat `code ||spoiler ~~strike __under [link](http://x",
    "control characters": "advice\x00 for\x07 writers\x1b[31m",
}


async def test_a_question_full_of_mentions_pings_nobody(simcord_env, server):
    role = server.guild.create_role("Traders", mentionable=True)
    target = server.members[1]
    question = f"@everyone @here <@&{role.id}> {target.mention} advice for writers"
    result = await server.alice.slash(server.channel, "ask", question=question)

    stored = simcord_env.backend.get_message(server.channel.id, result.response.id)
    assert stored.ping_user_ids == [] and stored.ping_role_ids == [] and not stored.mention_everyone
    assert "@everyone" not in result.response.content, "echoed mentions are escaped"
    assert "@\u200beveryone" in result.response.content


async def test_a_mention_question_full_of_mentions_pings_nobody(simcord_env, server):
    bot = simcord_env.bot.user
    await server.alice.send(server.channel, f"{bot.mention} @everyone {server.members[1].mention} heat")
    reply = server.channel.last_message
    stored = simcord_env.backend.get_message(server.channel.id, reply.id)
    assert stored.ping_user_ids == [] and stored.ping_role_ids == [] and not stored.mention_everyone


@pytest.mark.parametrize("question", HOSTILE.values(), ids=HOSTILE.keys())
async def test_hostile_questions_get_a_clear_answer(server, question):
    result = await server.alice.slash(server.channel, "ask", question=question)
    assert result.acknowledged
    text = result.response.content
    assert text, "never silence"
    assert embeds_of(result) or "Ask a question in words" in text or "don't talk about that" in text


@pytest.mark.parametrize("title", ["", "🔥🔥", "x" * 3000, "**heat"], ids=["empty", "emoji", "huge", "markdown"])
async def test_hostile_titles_get_a_clear_answer(server, title):
    result = await server.alice.slash(server.channel, "influence", title=title)
    assert result.response.content or embeds_of(result)


# Discord itself refuses empty messages and user messages over 2,000 characters.
SENDABLE = {**{k: v for k, v in HOSTILE.items() if k not in ("whitespace only", "3,000 characters")},
            "2,000 characters": "why " * 500}


@pytest.mark.parametrize("text", SENDABLE.values(), ids=SENDABLE.keys())
async def test_hostile_dms_get_a_clear_answer(simcord_env, text):
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm(text)
    reply = fan.dm_channel.last_message
    assert reply.author == simcord_env.bot.user
    assert reply.content or reply.embeds


async def test_thirty_users_asking_at_once_are_all_answered(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("busy")
    fans = [guild.add_member(simcord_env.create_user(f"fan{n}")) for n in range(30)]
    questions = ["advice for writers", "what does Kay say about luck?", "Heat", "how did they cast the show?"]

    results = await all_at_once(simcord_env, [
        lambda fan=fan, n=n: fan.slash(channel, "ask", question=questions[n % len(questions)])
        for n, fan in enumerate(fans)
    ])

    assert all(embeds_of(r) for r in results), "every user got passages"
    assert all(questions[n % len(questions)] in r.response.content for n, r in enumerate(results))


async def test_cooldown_tells_the_user_when_to_try_again(simcord_env, server, settings):
    for _ in range(settings.cooldown_questions):
        assert embeds_of(await server.alice.slash(server.channel, "ask", question="heat"))
    blocked = await server.alice.slash(server.channel, "ask", question="heat")
    assert blocked.ephemeral and "Try again in" in blocked.response.content

    other = await server.members[1].slash(server.channel, "ask", question="heat")
    assert embeds_of(other), "the limit is per user"

    await simcord_env.advance_time(settings.cooldown_seconds + 1)
    assert embeds_of(await server.alice.slash(server.channel, "ask", question="heat"))


async def test_dm_questions_share_the_cooldown(simcord_env, settings):
    fan = simcord_env.create_user("dm-fan")
    for _ in range(settings.cooldown_questions):
        await fan.slash("ask", question="heat")
    await fan.send_dm("advice for writers")
    assert "Try again in" in fan.dm_channel.last_message.content


async def test_a_failure_is_told_to_the_user_and_logged(simcord_env, server, monkeypatch, caplog):
    async def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(simcord_env.bot.searcher, "ask", broken)
    with caplog.at_level(logging.ERROR):
        result = await server.alice.slash(server.channel, "ask", question="heat")

    assert "something went wrong" in result.response.content
    assert "index exploded" in caplog.text and "Traceback" in caplog.text
    simcord.assert_error(simcord_env, RuntimeError, contains="index exploded")


async def test_the_token_is_never_logged(simcord_env, server, caplog):
    with caplog.at_level(logging.DEBUG):
        await server.alice.slash(server.channel, "ask", question="heat")
    token = simcord_env.bot.http.token
    assert token and token not in caplog.text
