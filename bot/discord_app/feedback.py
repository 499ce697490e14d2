"""👍 and 👎 under an answer: one vote per person per answer, kept by :mod:`bot.records`.

The buttons are :class:`discord.ui.DynamicItem` s registered on the bot, their
custom ids carrying the answer's record id (``pierpoint:vote:up:<32 hex>``), so
they keep working after a restart for as long as Discord keeps the message.
Anyone who can see the answer may vote; a second click replaces the first. 👎
counts at once and opens "What was wrong?" for an optional reason.

discord.py's modals are not persistent: a form opened before a restart would be
discarded when submitted after it. So :class:`ReasonModal` only draws the form; its
custom id carries the record id (``pierpoint:reason:<32 hex>:<8 hex>``, the last
part telling apart two forms on one answer), and :func:`reason_submitted`, the
bot's ``on_interaction`` listener, handles every submission with that prefix,
whichever process opened the form.
"""

from __future__ import annotations

import logging
import re
import secrets
import uuid
from typing import Any

import discord

from bot.discord_app.components import AnswerRow, row_builder
from bot.discord_app.respond import tell
from bot.records import ask_record, influence_record, new_record_id
from bot.records.schema import REASON_LENGTH
from bot.retrieval.search import Answer, InfluenceAnswer

log = logging.getLogger(__name__)

COULD_NOT_RECORD = "Sorry, I couldn't record that right now. Please try again later."
THANKS_UP = "Thanks! 👍 noted."
THANKS_REASON = "Thanks, that helps us improve the answers."
VOTING_OFF = "Voting is turned off on this bot."
MODAL_SECONDS = 900.0
"""How long a "What was wrong?" form waits for its reason (the 👎 itself is already counted)."""
INFLUENCE_SHOWN = 5
"""Passages an influence answer shows (``influence_reply``'s default), recorded as shown."""
_ID = r"pierpoint:vote:(?P<choice>up|down):(?P<record>[0-9a-f]{32})"
_REASON_ID = re.compile(r"pierpoint:reason:(?P<record>[0-9a-f]{32}):[0-9a-f]{8}")
REASON_FIELD = "reason"
"""The custom id of the form's text input."""


def vote_custom_id(record_id: uuid.UUID, up: bool) -> str:
    return f"pierpoint:vote:{'up' if up else 'down'}:{record_id.hex}"


class _VoteFace(discord.ui.Button[Any]):
    """How a vote button is drawn in an answer's view.

    Clicks reach :class:`VoteButton` through the bot's registered dynamic items only:
    a view holding DynamicItem instances unregisters their class from discord.py's
    store when it times out (as More's view does), which would silence every vote
    button on every answer.
    """

    def is_dispatchable(self) -> bool:
        return False


def _button(record_id: uuid.UUID, up: bool, kind: type[discord.ui.Button[Any]]) -> discord.ui.Button[Any]:
    return kind(emoji="👍" if up else "👎", style=discord.ButtonStyle.secondary,
                custom_id=vote_custom_id(record_id, up))


@row_builder
def vote_row(row: AnswerRow) -> list[discord.ui.Button[Any]]:
    """👍 and 👎 under an answer that shows passages and was recorded."""
    return vote_buttons(row.record_id) if row.record_id is not None and row.shown else []


def vote_buttons(record_id: uuid.UUID) -> list[discord.ui.Button[Any]]:
    """👍 and 👎 for the answer recorded as ``record_id``, to add to its view."""
    return [_button(record_id, up, _VoteFace) for up in (True, False)]


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=_ID):
    """A click on 👍 or 👎, whichever process and whenever the answer was sent."""

    def __init__(self, record_id: uuid.UUID, up: bool) -> None:
        super().__init__(_button(record_id, up, discord.ui.Button))
        self.record_id = record_id
        self.up = up

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str]) -> VoteButton:
        return cls(uuid.UUID(hex=match["record"]), match["choice"] == "up")

    async def callback(self, interaction: discord.Interaction) -> None:
        records = getattr(interaction.client, "records", None)
        if records is None:
            await tell(interaction, VOTING_OFF)
            return
        if not await records.vote(self.record_id, interaction.user.id, self.up):
            await tell(interaction, COULD_NOT_RECORD)
            return
        interaction.client.metrics.vote(self.up)
        if self.up:
            await tell(interaction, THANKS_UP)
        else:
            await interaction.response.send_modal(ReasonModal(self.record_id))


def reason_custom_id(record_id: uuid.UUID) -> str:
    """A fresh form's custom id for a 👎 on ``record_id`` (61 characters; Discord allows 100)."""
    return f"pierpoint:reason:{record_id.hex}:{secrets.token_hex(4)}"


class ReasonModal(discord.ui.Modal, title="What was wrong?"):
    """The optional reason for a 👎 that is already counted: only the form, submissions go to
    :func:`reason_submitted` (it works after a restart; a live modal would not)."""

    reason: discord.ui.TextInput[ReasonModal] = discord.ui.TextInput(
        label="👎 counted. What was wrong? (optional)", custom_id=REASON_FIELD, style=discord.TextStyle.paragraph,
        required=False,
        max_length=REASON_LENGTH, placeholder="e.g. wrong person, not about that")

    def __init__(self, record_id: uuid.UUID) -> None:
        super().__init__(timeout=MODAL_SECONDS, custom_id=reason_custom_id(record_id))
        self.record_id = record_id


async def reason_submitted(interaction: discord.Interaction) -> None:
    """The bot's ``on_interaction`` listener: a submitted "What was wrong?" form, recorded and thanked privately.

    Other interactions are left alone. A form opened by an earlier process is handled the same way.
    """
    if interaction.type is not discord.InteractionType.modal_submit or interaction.response.is_done():
        return
    match = _REASON_ID.fullmatch(str((interaction.data or {}).get("custom_id", "")))
    if match is None:
        return
    try:
        text = _submitted_value((interaction.data or {}).get("components") or [], REASON_FIELD).strip()
        if not text:
            await tell(interaction, "Thanks! 👎 noted.")
            return
        records = getattr(interaction.client, "records", None)
        ok = records is not None and await records.vote(uuid.UUID(hex=match["record"]), interaction.user.id,
                                                        False, text[:REASON_LENGTH])
        await tell(interaction, THANKS_REASON if ok else COULD_NOT_RECORD)
    except Exception as error:
        log.error("the reason form failed", exc_info=error)
        if not interaction.response.is_done():
            await tell(interaction, COULD_NOT_RECORD)


def _submitted_value(components: list[dict[str, Any]], custom_id: str) -> str:
    """The value of the text input ``custom_id`` in a modal submission's components (rows or labels), or ""."""
    for component in components:
        inner = component.get("components") or ([component["component"]] if "component" in component else [])
        if component.get("custom_id") == custom_id:
            return str(component.get("value") or "")
        if inner:
            found = _submitted_value(inner, custom_id)
            if found:
                return found
    return ""


VOTE_ITEMS = (VoteButton,)
"""The dynamic items to register with ``bot.add_dynamic_items`` in ``setup_hook``."""


# -- recording the answers the cogs give ------------------------------------------
def record_ask(bot: Any, record_id: uuid.UUID | None, answer: Answer, *, shown: int, via: str,
               guild_id: int | None, started: float) -> None:
    """Queue the record of an answered question (no-op when recording is off). Never waits or raises."""
    records = getattr(bot, "records", None)
    if records is None or record_id is None:
        return
    try:
        records.record(ask_record(record_id, answer, shown=shown, via=via, guild_id=guild_id, started=started))
    except Exception:  # recording must never break an answer
        log.exception("could not queue a question's record")


def record_influence(bot: Any, found: InfluenceAnswer, *, shown: int, via: str, guild_id: int | None,
                     started: float) -> None:
    """Queue the record of an influence lookup (no-op when recording is off)."""
    records = getattr(bot, "records", None)
    if records is None:
        return
    try:
        records.record(influence_record(found, shown=shown, via=via, guild_id=guild_id, started=started))
    except Exception:
        log.exception("could not queue an influence lookup's record")


def new_answer_id(bot: Any) -> uuid.UUID | None:
    """A record id for an answer about to be sent, or None when recording is off."""
    return new_record_id() if getattr(bot, "records", None) is not None else None
