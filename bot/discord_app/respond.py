"""Answering an interaction once, whether or not it was deferred first."""

from __future__ import annotations

from typing import Any

import discord

from bot.discord_app.formatting import Reply


def can_embed(interaction: discord.Interaction) -> bool:
    """Embeds need the Embed Links permission where the answer lands (always granted in DMs)."""
    return interaction.guild is None or interaction.app_permissions.embed_links


async def send(
    interaction: discord.Interaction, reply: Reply, *, ephemeral: bool = False, view: discord.ui.View | None = None
) -> discord.Message | None:
    """Send ``reply`` as the interaction's answer: the response, or the followup after a defer."""
    kwargs: dict[str, Any] = {**reply.send_kwargs(), "ephemeral": ephemeral}
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        return await interaction.followup.send(**kwargs, wait=True)
    await interaction.response.send_message(**kwargs)
    return None


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A short private note to the user (errors, cooldowns)."""
    await send(interaction, Reply(content=text), ephemeral=True)
