"""Sharding: the bot answers in servers on each of the shards it runs, and only those."""

from __future__ import annotations

import logging

import simcord

from bot import create_bot
from bot.settings import Settings
from tests.discord_app.helpers import embeds_of

ADVICE = "If you are writing a spec script, make it interesting in the first few pages."


async def ask_everywhere(env, guild):
    """A slash command and a mention in ``guild``; both must be answered."""
    channel = guild.create_text_channel("general")
    fan = guild.add_member(env.create_user(f"fan-{guild.id}"))
    result = await fan.slash(channel, "ask", question="advice for writers")
    assert ADVICE in embeds_of(result)[0].description
    await fan.send(channel, f"{env.bot.user.mention} what does Kay say about luck?")
    reply = channel.last_message
    assert reply.author == env.bot.user and reply.embeds[0].author.name == "Konrad Kay"


async def test_two_shards_in_one_process_answer_in_servers_on_each(retriever, settings):
    """What `run` does: the bot asks Discord (here simcord) for the recommended count, 2, and runs both."""
    bot = create_bot(retriever, settings=settings, sync_commands=True, recommended_shards=True)
    assert bot.shard_count is None, "nothing configured: the count comes from Discord at login"
    async with simcord.run(bot, shard_count=2) as env:
        assert sorted(bot.shards) == [0, 1]
        for shard_id in (0, 1):
            guild = env.create_guild(f"shard {shard_id} fans", shard_id=shard_id)
            assert bot.get_guild(guild.id).shard_id == shard_id
            await ask_everywhere(env, guild)
    await bot.close()


async def test_two_shards_configured_by_setting(retriever):
    bot = create_bot(retriever, settings=Settings(_env_file=None, PIERPOINT_SHARD_COUNT=2), sync_commands=True)
    async with simcord.run(bot) as env:
        assert sorted(bot.shards) == [0, 1]
        await ask_everywhere(env, env.create_guild("shard 1 fans", shard_id=1))
    await bot.close()


async def test_a_process_given_half_the_shards_answers_on_those_and_sees_no_other_server(retriever, caplog):
    settings = Settings(_env_file=None, PIERPOINT_SHARD_COUNT=4, PIERPOINT_SHARD_IDS="2-3")
    bot = create_bot(retriever, settings=settings, sync_commands=True)
    with caplog.at_level(logging.INFO, logger="bot.discord_app.client"):
        async with simcord.run(bot) as env:
            assert sorted(bot.shards) == [2, 3] and bot.shard_count == 4
            for shard_id in (2, 3):
                await ask_everywhere(env, env.create_guild(f"shard {shard_id} fans", shard_id=shard_id))
            elsewhere = env.create_guild("another process's fans", shard_id=0)
            await env.settle()
            assert bot.get_guild(elsewhere.id) is None, "shard 0's servers belong to another process"
    assert "running shards 2-3 of 4" in caplog.text
