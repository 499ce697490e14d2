"""The Discord bot: a ``commands.Bot`` whose cogs answer from the retrieval core."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.components import AnswerCache, persistent_items
from bot.discord_app.cooldown import QuestionCooldown
from bot.discord_app.feedback import VOTE_ITEMS, reason_submitted
from bot.discord_app.respond import tell
from bot.discord_app.searcher import Searcher
from bot.records import Recorder, open_recorder
from bot.retrieval.search import Retriever
from bot.service.lifecycle import Lifecycle
from bot.service.metrics import Metrics
from bot.service.shards import describe_shards
from bot.settings import Settings, load_settings

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


class PierpointBot(commands.AutoShardedBot):
    """Slash commands in servers, DMs and private channels; plain DMs and @mentions too.

    No privileged intent is needed: Discord sends message content for DMs and
    for messages that mention the bot, which is all the bot reads. Sharded with
    discord.py's AutoShardedBot: Discord's recommended shard count, all in this
    process, unless PIERPOINT_SHARD_COUNT / PIERPOINT_SHARD_IDS give a range.
    """

    def __init__(self, settings: Settings, retriever: Retriever | None = None, *, sync_commands: bool = False,
                 load_index: bool = True, recommended_shards: bool = False) -> None:
        shard_count = settings.shard_count
        if shard_count is None and not recommended_shards:
            shard_count = 1  # an embedded or test bot; `run` asks Discord (recommended_shards=True)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            allowed_contexts=EVERYWHERE,
            allowed_installs=ANY_INSTALL,
            shard_count=shard_count,
            shard_ids=list(settings.shard_ids) if settings.shard_ids is not None else None,
        )
        self.settings = settings
        self.lifecycle = Lifecycle()  # answers in progress; no new questions once stopping
        self.metrics = Metrics(self)
        self.cooldown = QuestionCooldown(settings.cooldown_questions, settings.cooldown_seconds)
        self._retriever = retriever
        self._sync_commands = sync_commands
        self._load_index = load_index
        self.searcher: Searcher | None = None
        self.records: Recorder | None = None
        self.answers = AnswerCache()
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
        if self.settings.recording:
            self.records = await open_recorder(self.settings)
            self.records.on_write_failure = self.metrics.db_write_failure
            self.add_dynamic_items(*VOTE_ITEMS)
        self.add_listener(reason_submitted, "on_interaction")  # "What was wrong?" forms, also after a restart
        for cog in COGS:
            await self.load_extension(cog)
        # Buttons on answers posted before a restart still work (bot.discord_app.components).
        self.add_dynamic_items(*persistent_items())
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
        log.info("Pierpoint is online as %s in %d servers, running %s", self.user, len(self.guilds),
                 describe_shards(self.shard_ids, self.shard_count))

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
        except discord.DiscordException as exc:  # logged above with its cause; this is the consequence
            log.warning("could not tell the user about the failure of /%s: %s", name, exc)

    async def close(self) -> None:
        if self.searcher is not None:
            self.searcher.close()
        if not hasattr(self, "_AutoShardedClient__queue"):
            # Never connected: discord.py's AutoShardedClient.close() wakes an event queue that only
            # launching the shards creates. Give it one, so closing a bot that never logged in works.
            self._AutoShardedClient__queue = asyncio.PriorityQueue()
        await super().close()
        if self.records is not None:  # after the gateway: no new question can arrive while the queue is written
            await self.records.close()


def create_bot(retriever: Retriever | None = None, *, settings: Settings | None = None,
               sync_commands: bool = False, load_index: bool = True,
               recommended_shards: bool = False) -> PierpointBot:
    """Build the bot without a token and without touching the network.

    Its ``setup_hook`` (run on login) loads the committed index, or uses
    ``retriever`` when one is given (tests share one across many bots).
    Without ``settings``, they are read now from the environment and .env.

    Shards: PIERPOINT_SHARD_COUNT / PIERPOINT_SHARD_IDS when set. Otherwise one shard, which
    is what a program embedding the bot (or a test harness such as simcord) expects, unless
    ``recommended_shards`` is true: then the bot asks Discord for its recommended count at
    login, as ``python -m bot run`` does.
    """
    return PierpointBot(settings or load_settings(), retriever, sync_commands=sync_commands, load_index=load_index,
                        recommended_shards=recommended_shards)
