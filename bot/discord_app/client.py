"""The Discord bot: a ``commands.Bot`` whose cogs answer from the retrieval core."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.cooldown import QuestionCooldown
from bot.discord_app.respond import tell
from bot.discord_app.searcher import Searcher
from bot.retrieval.search import Retriever
from bot.settings import Settings, get_settings

log = logging.getLogger(__name__)

COGS = (
    "bot.discord_app.cogs.ask",
    "bot.discord_app.cogs.influences",
    "bot.discord_app.cogs.about",
    "bot.discord_app.cogs.conversation",
)
# Pierpoint never joins voice: skip discord.py's start-up warnings about voice libraries.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
ANY_INSTALL = app_commands.AppInstallationType(guild=True, user=True)


class PierpointBot(commands.Bot):
    """Slash commands in servers, DMs and private channels; plain DMs and @mentions too.

    No privileged intent is needed: Discord sends message content for DMs and
    for messages that mention the bot, which is all the bot reads.
    """

    def __init__(self, settings: Settings, retriever: Retriever | None = None, *, sync_commands: bool = False,
                 load_index: bool = True) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            allowed_contexts=EVERYWHERE,
            allowed_installs=ANY_INSTALL,
        )
        self.settings = settings
        self.cooldown = QuestionCooldown(settings.cooldown_questions, settings.cooldown_seconds)
        self._retriever = retriever
        self._sync_commands = sync_commands
        self._load_index = load_index
        self.searcher: Searcher | None = None
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        """Load the committed index (off the event loop: it reads files and loads the model), add the cogs."""
        if self._load_index:
            retriever = self._retriever or await asyncio.to_thread(
                Retriever.load, self.settings.corpus_dir, self.settings.index_dir, self.settings.model,
                backend=self.settings.backend, cache_dir=self.settings.cache_dir,
            )
            await asyncio.to_thread(retriever.warm_up)  # the first question should not pay for loading the model
            self.searcher = Searcher(retriever, self.settings.search_threads)
        for cog in COGS:
            await self.load_extension(cog)
        if self._sync_commands:
            await self.tree.sync()

    @property
    def retriever(self) -> Retriever:
        if self.searcher is None:
            raise RuntimeError("the bot was created without its index (load_index=False)")
        return self.searcher.retriever

    async def on_message(self, message: discord.Message) -> None:
        """Questions in DMs and mentions are handled by the conversation cog; there are no prefix commands."""

    async def on_ready(self) -> None:
        log.info("Pierpoint is online as %s in %d servers", self.user, len(self.guilds))

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        """Tell the user something went wrong, and log the traceback for the operator."""
        name = interaction.command.qualified_name if interaction.command else "?"
        log.error("/%s failed", name, exc_info=error)
        message = "Sorry, something went wrong on my side answering that. It has been logged; please try again."
        try:
            if interaction.response.type == discord.InteractionResponseType.deferred_channel_message:
                # The "thinking…" message is the answer's place; a followup could not be private anyway.
                await interaction.edit_original_response(content=message, embeds=[], view=None)
            else:
                await tell(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell the user about the failure of /%s", name)

    async def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        await super().close()


def create_bot(retriever: Retriever | None = None, *, settings: Settings | None = None,
               sync_commands: bool = False, load_index: bool = True) -> PierpointBot:
    """Build the bot without a token and without touching the network.

    Its ``setup_hook`` (run on login) loads the committed index, or uses
    ``retriever`` when one is given (tests share one across many bots).
    """
    return PierpointBot(settings or get_settings(), retriever, sync_commands=sync_commands, load_index=load_index)
