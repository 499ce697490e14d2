"""Free text: DMs to the bot and @mentions in a server."""

from __future__ import annotations

import discord


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


async def test_server_messages_without_a_mention_are_ignored(simcord_env, server):
    await server.alice.send(server.channel, "advice for writers")
    assert server.channel.last_message.author != simcord_env.bot.user
