"""Mentions in what a fan typed, written out as the names Discord shows.

A question like ``@Pierpoint what does <@123> think about luck?`` carries raw
Discord ids. They mean nothing to the search (``123`` is not a word of the
interviews), would be echoed in the answer's header, and must never reach the
records database (no raw user id is stored). :func:`readable` replaces each
mention with what Discord's client shows for it (``@display name``, ``@role``,
``#channel``), resolved from the guild and the objects Discord sent with the
message, or a neutral ``@someone``/``@role``/``#channel`` when it cannot be
resolved (a DM, a member who left, a slash option, whose mentions Discord does not
resolve).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import discord

MENTION = re.compile(r"<(@!?|@&|#)([0-9]+)>")
"""Discord's mention syntax: ``<@id>`` and ``<@!id>`` (member), ``<@&id>`` (role), ``<#id>`` (channel)."""
SOMEONE, SOME_ROLE, SOME_CHANNEL = "@someone", "@role", "#channel"
"""What an unresolvable mention becomes: it still reads as a mention, without its id."""


def readable(text: str, *, guild: discord.Guild | None, users: Iterable[Any] = (), roles: Iterable[Any] = (),
             client: discord.Client | None = None, own_id: int | None = None) -> str:
    """``text`` with every mention written out; the mention of ``own_id`` (the bot) removed.

    ``users`` and ``roles`` are the objects Discord resolved with the message (``message.mentions``,
    ``message.role_mentions``); ``guild`` and ``client`` caches are looked up otherwise.
    """
    known_users = {user.id: user for user in users}
    known_roles = {role.id: role for role in roles}

    def name(match: re.Match[str]) -> str:
        kind, ident = match[1], int(match[2])
        if kind in ("@", "@!"):
            if ident == own_id:
                return " "
            user = known_users.get(ident) or (guild.get_member(ident) if guild else None) \
                or (client.get_user(ident) if client else None)
            return f"@{user.display_name}" if user else SOMEONE
        if kind == "@&":
            role = known_roles.get(ident) or (guild.get_role(ident) if guild else None)
            return (role.name if role.name.startswith("@") else f"@{role.name}") if role else SOME_ROLE  # @everyone
        channel = guild.get_channel_or_thread(ident) if guild else None
        return f"#{channel.name}" if channel else SOME_CHANNEL

    return MENTION.sub(name, text).strip()


def message_text(message: discord.Message, own_id: int | None) -> str:
    """A message's text as a question: mentions written out, the bot's own removed."""
    return readable(message.content, guild=message.guild, users=message.mentions, roles=message.role_mentions,
                    own_id=own_id)


def option_text(interaction: discord.Interaction, text: str) -> str:
    """A slash command's text option as a question: mentions written out from the interaction's guild."""
    me = interaction.client.user
    return readable(text, guild=interaction.guild, client=interaction.client, own_id=me.id if me else None)
