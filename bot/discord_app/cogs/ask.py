"""/ask: a question answered with the creators' own words, and a More button."""

from __future__ import annotations

import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import PierpointBot
from bot.discord_app.cooldown import cooldown_message
from bot.discord_app.feedback import new_answer_id, record_ask
from bot.discord_app.mentions import option_text
from bot.discord_app.respond import can_embed, send, tell
from bot.discord_app.views import MORE_PASSAGES, first_page
from bot.service.lifecycle import RESTARTING
from bot.service.metrics import SLASH


class AskCog(commands.Cog):
    def __init__(self, bot: PierpointBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description="Answer a question with what Mickey Down and Konrad Kay said.")
    @app_commands.describe(
        question="What do you want to know? e.g. advice for writers",
        count="How many passages to show (1-5, default 3)",
        private="Only you see the answer",
    )
    async def ask(self, interaction: discord.Interaction, question: str,
                  count: app_commands.Range[int, 1, 5] = 3, private: bool = False) -> None:
        if not self.bot.lifecycle.accepting:
            await tell(interaction, RESTARTING)
            return
        with self.bot.lifecycle.answering(), self.bot.metrics.question(SLASH) as asked:
            wait = self.bot.cooldown.retry_after(interaction.user.id, interaction.created_at)
            if wait:
                asked.cooldown()
                await tell(interaction, cooldown_message(wait))
                return
            started = time.perf_counter()
            await interaction.response.defer(thinking=True, ephemeral=private)
            answer = await self.bot.searcher.ask(option_text(interaction, question), MORE_PASSAGES)
            asked.found(answer.hits)
            record_id = new_answer_id(self.bot)
            reply, view = first_page(answer, page_size=count, owner_id=interaction.user.id,
                                     rich=can_embed(interaction), key=self.bot.answers.put(answer),
                                     record_id=record_id)
            await send(interaction, reply, ephemeral=private, view=view)
            record_ask(self.bot, record_id, answer, shown=count, via="slash", guild_id=interaction.guild_id,
                       started=started)


async def setup(bot: PierpointBot) -> None:
    await bot.add_cog(AskCog(bot))
