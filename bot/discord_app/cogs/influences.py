"""/influence and /influences: the twelve films and shows behind Industry."""

from __future__ import annotations

import time

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app import limits
from bot.discord_app.client import PierpointBot
from bot.discord_app.feedback import INFLUENCE_SHOWN, record_influence
from bot.discord_app.formatting import influence_reply, influences_reply
from bot.discord_app.mentions import option_text
from bot.discord_app.respond import can_embed, send, tell
from bot.service.lifecycle import RESTARTING

MAX_CHOICES = 25  # Discord's limit for autocomplete


class InfluencesCog(commands.Cog):
    def __init__(self, bot: PierpointBot) -> None:
        self.bot = bot

    @app_commands.command(name="influence", description="Their write-up of a film or show that shaped Industry.")
    @app_commands.describe(title="A title, or an actor, character or story from one, e.g. heat, al pacino, "
                                 "joan holloway",
                           private="Only you see the answer")
    async def influence(self, interaction: discord.Interaction, title: str, private: bool = False) -> None:
        if not self.bot.lifecycle.accepting:
            await tell(interaction, RESTARTING)
            return
        with self.bot.lifecycle.answering():
            # A catalogue lookup (no model work) in its own pool, off the event loop; deferred first all
            # the same, so that no load can push the acknowledgement past Discord's 3 seconds.
            started = time.perf_counter()
            await interaction.response.defer(thinking=True, ephemeral=private)
            found = await self.bot.searcher.influence(option_text(interaction, title))
            await send(interaction, influence_reply(found, rich=can_embed(interaction)), ephemeral=private)
            record_influence(self.bot, found, shown=INFLUENCE_SHOWN, via="slash", guild_id=interaction.guild_id,
                             started=started)

    @influence.autocomplete("title")
    async def influence_titles(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        # Titles and credited names ("sandler" -> "Uncut Gems (2019) · Adam Sandler"): rapidfuzz over a
        # few hundred short strings, well under a millisecond (benchmarks/bench_influences.py), so it
        # runs on the event loop rather than paying a thread hop on every keystroke.
        choices = self.bot.retriever.catalogue.complete(current or "", limit=MAX_CHOICES)
        return [app_commands.Choice(name=limits.fit(c.label, limits.CHOICE_NAME), value=c.title) for c in choices]

    @app_commands.command(name="influences", description="The films and shows that shaped Industry.")
    async def influences(self, interaction: discord.Interaction) -> None:
        reply = influences_reply(self.bot.retriever.influences(), rich=can_embed(interaction))
        await send(interaction, reply)


async def setup(bot: PierpointBot) -> None:
    await bot.add_cog(InfluencesCog(bot))
