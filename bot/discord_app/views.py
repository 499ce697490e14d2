"""The "More" button under an answer: the next passages for the same question."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import discord

from bot.discord_app.feedback import vote_buttons
from bot.discord_app.formatting import Reply, ask_reply
from bot.discord_app.respond import tell
from bot.retrieval.search import Answer

log = logging.getLogger(__name__)

MORE_PASSAGES = 15
"""How many passages one answer can page through with More."""


class MoreView(discord.ui.View):
    """Pages through an answer's passages in place, then disables itself at its timeout.

    Only the person who asked can page (others get a private note), so an
    answer in a busy channel does not change under its reader.
    """

    def __init__(self, answer: Answer, *, page_size: int, owner_id: int, rich: bool, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.answer = answer
        self.page_size = page_size
        self.owner_id = owner_id
        self.rich = rich
        self.shown = min(page_size, len(answer.hits))
        self.message: discord.Message | None = None
        self.origin: discord.Interaction | None = None
        self._refresh()

    @property
    def remaining(self) -> int:
        return len(self.answer.hits) - self.shown

    def _refresh(self) -> None:
        self.more.disabled = self.remaining <= 0
        self.more.label = f"More ({self.remaining} left)" if self.remaining > 0 else "No more"

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await tell(interaction, "Only the person who asked can page through this answer. Ask your own with `/ask`.")
        return False

    @discord.ui.button(label="More", style=discord.ButtonStyle.secondary, emoji="➕")
    async def more(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        start = self.shown
        page = list(self.answer.hits[start: start + self.page_size])
        self.shown += len(page)
        self._refresh()
        label = f" ({start + 1}–{self.shown} of {len(self.answer.hits)})"
        reply = ask_reply(self.answer, page, rich=self.rich, page=label)
        await interaction.response.edit_message(**reply.send_kwargs(), view=self)
        self.origin = interaction  # a fresh 15-minute window to edit the message at timeout
        if self.remaining <= 0:
            self.stop()

    async def on_timeout(self) -> None:
        """Grey the button out so nobody clicks a dead control."""
        self.more.disabled = True
        try:
            if self.origin is not None:
                await self.origin.edit_original_response(view=self)
            elif self.message is not None:
                await self.message.edit(view=self)
        except discord.HTTPException as exc:  # the message was deleted, or the token expired
            log.debug("could not disable the More button: %s", exc)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        log.error("More button failed", exc_info=error)
        await tell(interaction, "Something went wrong fetching more passages. Try asking again.")


def first_page(answer: Answer, *, page_size: int, owner_id: int, rich: bool, timeout: float,
               record_id: uuid.UUID | None = None) -> tuple[Reply, discord.ui.View | None]:
    """The reply showing an answer's first passages, and a More button when there are others.

    With ``record_id`` (recording on), an answer that shows passages also gets 👍 and 👎.
    """
    page = list(answer.hits[:page_size])
    more = len(answer.hits) > len(page)
    label = f" (1–{len(page)} of {len(answer.hits)})" if more else ""
    reply = ask_reply(answer, page, rich=rich, page=label)
    view = MoreView(answer, page_size=page_size, owner_id=owner_id, rich=rich, timeout=timeout) if more else None
    if record_id is not None and page:
        view = view or discord.ui.View(timeout=timeout)
        for button in vote_buttons(record_id):
            view.add_item(button)
    return reply, view
