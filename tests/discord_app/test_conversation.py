"""Free text: DMs to the bot and @mentions in a server."""

from __future__ import annotations

import logging

import discord

from tests.discord_app.helpers import reject_replies_to_deleted_messages


async def test_a_plain_dm_is_answered_like_ask(simcord_env):
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm("what does Kay say about luck?")
    reply = fan.dm_channel.last_message
    assert reply.author == simcord_env.bot.user
    assert "On “what does Kay say about luck?”" in reply.content
    assert reply.embeds[0].author.name == "Konrad Kay"


async def test_a_dm_can_use_the_commands_as_text(simcord_env):
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm("/influence the social network")
    assert fan.dm_channel.last_message.embeds[0].title.startswith("The Social Network (2010)")
    await fan.send_dm("/influences")
    assert "Michael Clayton" in fan.dm_channel.last_message.embeds[0].description


async def test_a_mention_in_a_server_is_answered_without_the_mention(simcord_env, server):
    bot_user = simcord_env.bot.user
    question = await server.alice.send(server.channel, f"{bot_user.mention} advice for writers")
    reply = server.channel.last_message
    assert reply.author == bot_user
    assert reply.reference.message_id == question.id, "a reply to the question"
    assert "On “advice for writers”" in reply.content, "the mention is not part of the question"
    assert "<@" not in reply.content
    assert len(reply.embeds) == 3


async def test_replying_to_the_bot_is_not_a_new_question(simcord_env, server):
    await server.alice.send(server.channel, f"{simcord_env.bot.user.mention} advice for writers")
    answer = server.channel.last_message
    thanks = await server.alice.send(server.channel, "thanks, that's great", reply_to=answer)
    assert server.channel.last_message.id == thanks.id, "the bot stays quiet"


async def test_a_mention_is_answered_without_read_message_history(simcord_env):
    """Discord refuses replies there, so the answer is a plain message instead of silence."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel(
        "no-history", overwrites={guild.me: discord.PermissionOverwrite(read_message_history=False)})
    fan = guild.add_member(simcord_env.create_user("fan"))
    await fan.send(channel, f"{simcord_env.bot.user.mention} advice for writers")
    answer = [m for m in channel.history() if m.author == simcord_env.bot.user]
    assert answer and answer[-1].reference is None and answer[-1].embeds


async def test_a_bare_mention_explains_how_to_ask(simcord_env, server):
    await server.alice.send(server.channel, simcord_env.bot.user.mention)
    assert "Ask me something after the mention" in server.channel.last_message.content


async def test_help_typed_in_a_dm_or_after_a_mention_gets_the_help(simcord_env, server):
    fan = simcord_env.create_user("dm-fan")
    for text in ("help", "/help"):
        await fan.send_dm(text)
        assert "`/ask question:`" in fan.dm_channel.last_message.embeds[0].description, text
    await server.alice.send(server.channel, f"{simcord_env.bot.user.mention} /help")
    assert "`/ask question:`" in server.channel.last_message.embeds[0].description


async def test_hello_and_thanks_get_a_friendly_line_and_spend_no_questions(simcord_env):
    # The conftest's limit is 3 questions per 30 s: six lines of small talk, then three questions all answered.
    fan = simcord_env.create_user("dm-fan")
    for text in ("hi", "Hello!", "hey there", "thanks", "Thank you!", "thanks, Pierpoint"):
        await fan.send_dm(text)
        reply = fan.dm_channel.last_message.content
        assert "don't talk about that" not in reply and "e.g. “" in reply, (text, reply)
    for question in ("advice for writers", "what does Kay say about luck?", "how did they cast the show?"):
        await fan.send_dm(question)
        assert fan.dm_channel.last_message.content.startswith(f"On “{question}”"), "not rate limited"


async def test_server_messages_without_a_mention_are_ignored(simcord_env, server):
    await server.alice.send(server.channel, "advice for writers")
    assert server.channel.last_message.author != simcord_env.bot.user


def delete_while_answering(env, monkeypatch, message_of) -> None:
    """The asker deletes their message while the bot is still searching (typing)."""
    reject_replies_to_deleted_messages(env, monkeypatch)
    searcher = env.bot.searcher
    search = searcher.ask

    async def ask_then_question_deleted(*args, **kwargs):
        answer = await search(*args, **kwargs)
        message = message_of()
        env.backend.delete_message(message.channel.id, message.id)
        return answer

    monkeypatch.setattr(searcher, "ask", ask_then_question_deleted)


async def test_a_question_deleted_while_answering_still_gets_its_answer(simcord_env, server, monkeypatch, caplog):
    delete_while_answering(simcord_env, monkeypatch, lambda: server.channel.last_message)
    with caplog.at_level(logging.WARNING):
        await server.alice.send(server.channel, f"{simcord_env.bot.user.mention} what does Kay say about luck?")

    answer = server.channel.last_message
    assert answer.author == simcord_env.bot.user
    assert "On “what does Kay say about luck?”" in answer.content, "the answer names the question it answers"
    assert answer.embeds[0].author.name == "Konrad Kay"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_when_the_answer_cannot_be_sent_the_fallback_cannot_raise(simcord_env, server, caplog):
    simcord_env.inject_error("POST", "/channels/*/messages", status=500, times=2)  # the answer, then the apology
    with caplog.at_level(logging.WARNING):
        await server.alice.send(server.channel, f"{simcord_env.bot.user.mention} what does Kay say about luck?")

    assert server.channel.last_message.author != simcord_env.bot.user, "nothing could be posted"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info, "logged once, with its cause"
    assert "500" in str(errors[0].exc_info[1])
    assert not simcord_env.errors, "nothing escaped the handler"


async def test_when_only_the_answer_fails_the_asker_is_told(simcord_env, server):
    simcord_env.inject_error("POST", "/channels/*/messages", status=500, times=1)
    await server.alice.send(server.channel, f"{simcord_env.bot.user.mention} what does Kay say about luck?")
    assert "something went wrong" in server.channel.last_message.content
