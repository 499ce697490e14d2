"""Pierpoint: Industry fans ask, the show's creators answer in their own published words.

``from bot import create_bot`` gives the Discord bot; the retrieval core it
uses lives in :mod:`bot.retrieval` and has no Discord in it. discord.py is
imported only when the bot is asked for, so terminal commands start faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.discord_app.client import PierpointBot, create_bot

__all__ = ["PierpointBot", "create_bot"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bot.discord_app import client

        return getattr(client, name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
