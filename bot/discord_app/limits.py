"""Discord's message limits, and cutting text to fit them at a word boundary.

Discord rejects an over-long message outright (HTTP 400), so every text the
bot posts goes through :func:`fit` with the limit of the field it lands in.
"""

from __future__ import annotations

import discord

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_AUTHOR = 256
EMBED_FOOTER = 2048
EMBED_FIELDS = 25
EMBED_FIELD_VALUE = 1024
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CHOICE_NAME = 100
ELLIPSIS = "…"


def fit(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    head, space, _ = cut.rpartition(" ")
    if space and len(head) > limit // 2:
        cut = head
    return cut.rstrip(" ,;:–-") + ELLIPSIS


def total_size(embeds: list[discord.Embed]) -> int:
    """Characters Discord counts towards the 6,000 per message (``len(embed)`` counts them)."""
    return sum(len(e) for e in embeds)
