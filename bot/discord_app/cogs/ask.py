"""/ask: a question answered with the creators' own words, and a More button."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import PierpointBot
from bot.discord_app.cooldown import cooldown_message
from bot.discord_app.respond import can_embed, send, tell
from bot.discord_app.views import MORE_PASSAGES, first_page


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
        wait = self.bot.cooldown.retry_after(interaction.user.id, interaction.created_at)
        if wait:
            await tell(interaction, cooldown_message(wait))
            return
        await interaction.response.defer(thinking=True, ephemeral=private)
        answer = await self.bot.searcher.ask(question, MORE_PASSAGES)
        reply, view = first_page(answer, page_size=count, owner_id=interaction.user.id, rich=can_embed(interaction),
                                 key=self.bot.answers.put(answer))
        await send(interaction, reply, ephemeral=private, view=view)


async def setup(bot: PierpointBot) -> None:
    await bot.add_cog(AskCog(bot))
