"""Free text: a DM to the bot, or a server message that @mentions it, is answered like /ask.

Text that looks like a command ("/influence heat", "/influences") is run as
that command, since people type them into DMs too.
"""

from __future__ import annotations

import logging
import re
import time
from functools import cached_property

import discord
from discord.ext import commands

from bot.discord_app.client import PierpointBot
from bot.discord_app.cooldown import cooldown_message
from bot.discord_app.feedback import INFLUENCE_SHOWN, new_answer_id, record_ask, record_influence
from bot.discord_app.formatting import Reply, help_reply, influence_reply, influences_reply, sources_reply
from bot.discord_app.mentions import message_text
from bot.discord_app.views import MORE_PASSAGES, first_page
from bot.service.lifecycle import RESTARTING
from bot.service.metrics import DM, MENTION
from bot.text_commands import SMALL_TALK_REPLIES, parse

log = logging.getLogger(__name__)

HOW_TO_ASK = "Ask me something after the mention, e.g. “@Pierpoint advice for writers”, or use `/help`."
SORRY = "Sorry, something went wrong on my side answering that. It has been logged; please try again in a moment."


class ConversationCog(commands.Cog):
    def __init__(self, bot: PierpointBot) -> None:
        self.bot = bot

    @cached_property
    def _mention(self) -> re.Pattern[str]:
        """The bot's own mention, written out (the bot is logged in once cogs load)."""
        assert self.bot.user is not None
        return re.compile(rf"<@!?{self.bot.user.id}>")

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        in_dm = message.guild is None
        # The mention must be written in the message: a reply to the bot also "mentions" it.
        if not in_dm and not self._mention.search(message.content):
            return
        text = self._question_text(message)
        try:
            if not self.bot.lifecycle.accepting:
                await self._reply(message, Reply(content=RESTARTING))
                return
            with self.bot.lifecycle.answering():
                await self._answer(message, text, rich=in_dm or self._can_embed(message))
        except discord.Forbidden:
            log.info("no permission to reply in channel %s", message.channel.id)
        except Exception as exc:
            log.error("failed to answer a message in channel %s", message.channel.id, exc_info=exc)
            try:
                await self._reply(message, Reply(content=SORRY))
            except discord.DiscordException as again:  # logged above with its cause; this is the consequence
                log.warning("could not tell the asker either: %s", again)

    def _question_text(self, message: discord.Message) -> str:
        """The message without the bot's own mention, other mentions written out as names (no raw ids)."""
        return message_text(message, self.bot.user.id if self.bot.user else None)

    def _can_embed(self, message: discord.Message) -> bool:
        channel = message.channel
        me = message.guild.me if message.guild else None
        return bool(me and channel.permissions_for(me).embed_links)  # type: ignore[union-attr]

    async def _answer(self, message: discord.Message, text: str, *, rich: bool) -> None:
        command = parse(text)
        bot = self.bot
        if command.name == "help":
            reply = help_reply(rich=rich)
        elif command.name in SMALL_TALK_REPLIES:  # not a question: no search, no rate limit spent
            reply = Reply(content=SMALL_TALK_REPLIES[command.name])
        elif command.name == "ask" and not command.argument:
            reply = help_reply(rich=rich) if message.guild is None else Reply(content=HOW_TO_ASK)
        elif command.name == "unknown":
            reply = Reply(content="I only know `/ask`, `/influence`, `/influences`, `/sources` and `/help`.")
        elif command.name == "influences":
            reply = influences_reply(bot.retriever.influences(), rich=rich)
        elif command.name == "sources":
            reply = sources_reply(bot.retriever.corpus.articles, rich=rich)
        elif command.name == "influence":
            started = time.perf_counter()
            found = await bot.searcher.influence(command.argument)
            reply = influence_reply(found, rich=rich)
            await self._reply(message, reply)
            record_influence(bot, found, shown=INFLUENCE_SHOWN,
                             via="dm" if message.guild is None else "mention",
                             guild_id=message.guild.id if message.guild else None, started=started)
            return
        else:
            await self._ask(message, command.argument, rich=rich)
            return
        await self._reply(message, reply)

    async def _ask(self, message: discord.Message, question: str, *, rich: bool) -> None:
        with self.bot.metrics.question(DM if message.guild is None else MENTION) as asked:
            wait = self.bot.cooldown.retry_after(message.author.id, message.created_at)
            if wait:
                asked.cooldown()
                await self._reply(message, Reply(content=cooldown_message(wait)))
                return
            started = time.perf_counter()
            async with message.channel.typing():
                answer = await self.bot.searcher.ask(question, MORE_PASSAGES)
            asked.found(answer.hits)
            record_id = new_answer_id(self.bot)
            reply, view = first_page(answer, page_size=self.bot.settings.ask_count, owner_id=message.author.id,
                                     rich=rich, key=self.bot.answers.put(answer), record_id=record_id)
            await self._reply(message, reply, view=view)
            record_ask(self.bot, record_id, answer, shown=self.bot.settings.ask_count,
                       via="dm" if message.guild is None else "mention",
                       guild_id=message.guild.id if message.guild else None, started=started)

    async def _reply(self, message: discord.Message, reply: Reply,
                     view: discord.ui.View | None = None) -> discord.Message:
        """Post ``reply`` under ``message``: as a reply where the bot may read history, and in any case
        without depending on ``message`` still existing (a deleted question still gets its answer,
        whose header names the question)."""
        kwargs = reply.send_kwargs()
        if view is not None:
            kwargs["view"] = view
        channel = message.channel
        if message.guild is None or not channel.permissions_for(message.guild.me).read_message_history:  # type: ignore[union-attr]
            return await channel.send(**kwargs)  # a reply needs Read Message History
        return await channel.send(**kwargs, reference=message.to_reference(fail_if_not_exists=False),
                                  mention_author=False)


async def setup(bot: PierpointBot) -> None:
    await bot.add_cog(ConversationCog(bot))
