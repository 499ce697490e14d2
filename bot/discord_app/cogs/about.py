"""/sources and /help: where the words come from and how to ask."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import PierpointBot
from bot.discord_app.formatting import help_reply, sources_reply
from bot.discord_app.respond import can_embed, send


class AboutCog(commands.Cog):
    def __init__(self, bot: PierpointBot) -> None:
        self.bot = bot

    @app_commands.command(name="sources", description="The interviews every answer is quoted from.")
    async def sources(self, interaction: discord.Interaction) -> None:
        await send(interaction, sources_reply(self.bot.retriever.corpus.articles, rich=can_embed(interaction)))

    @app_commands.command(name="help", description="What Pierpoint does and how to ask it.")
    async def help(self, interaction: discord.Interaction) -> None:
        await send(interaction, help_reply(rich=can_embed(interaction)), ephemeral=True)


async def setup(bot: PierpointBot) -> None:
    await bot.add_cog(AboutCog(bot))
