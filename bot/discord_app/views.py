"""The "More" button under an answer: the next passages for the same question.

It is persistent (see :mod:`bot.discord_app.components`): its custom id carries
the answer key, who asked, how many passages are shown and the page size, so a
click is answered after a restart too. Only the person who asked can page: an
answer in a busy channel does not change under its other readers (they get a
private note suggesting their own ``/ask``). A click that needs a new search
(the answer is no longer in memory) is acknowledged first, then answered.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import discord

from bot.discord_app.components import (
    EXPIRED,
    KEY_PATTERN,
    OWNER_PATTERN,
    PREFIX,
    AnswerRow,
    answer_view,
    owner_tag,
    persistent,
    recover_question,
    row_builder,
)
from bot.discord_app.formatting import Reply, ask_reply
from bot.discord_app.respond import tell
from bot.retrieval.search import Answer

log = logging.getLogger(__name__)

MORE_PASSAGES = 15
"""How many passages one answer can page through with More."""
NOT_YOURS = "Only the person who asked can page through this answer. Ask your own with `/ask`."
FAILED = "Something went wrong fetching more passages. Try asking again."


def page_label(start: int, shown: int, total: int) -> str:
    return f" ({start + 1}–{shown} of {total})"


@persistent
class MoreButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                 template=rf"{PREFIX}:more:(?P<key>{KEY_PATTERN}):(?P<owner>{OWNER_PATTERN}):"
                          r"(?P<shown>\d{1,2}):(?P<size>[1-5]):(?P<rich>[01])"):
    """Shows the next ``size`` passages of the answer keyed ``key``, after the ``shown`` already shown."""

    def __init__(self, key: str, owner: str, shown: int, size: int, rich: bool, remaining: int | None = None) -> None:
        self.key, self.owner, self.shown, self.size, self.rich = key, owner, shown, size, rich
        super().__init__(discord.ui.Button(style=discord.ButtonStyle.secondary, emoji="➕",
                                           custom_id=self._custom_id(), label="More"))
        if remaining is not None:
            self._show_remaining(remaining)

    def _custom_id(self) -> str:
        return f"{PREFIX}:more:{self.key}:{self.owner}:{self.shown}:{self.size}:{int(self.rich)}"

    def _show_remaining(self, remaining: int) -> None:
        self.item.label = f"More ({remaining} left)" if remaining > 0 else "No more"
        self.item.disabled = remaining <= 0

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str], /) -> MoreButton:
        return cls(match["key"], match["owner"], int(match["shown"]), int(match["size"]), match["rich"] == "1")

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if owner_tag(interaction.user.id) == self.owner:
            return True
        await _guarded(tell(interaction, NOT_YOURS), "could not tell a reader the answer is not theirs")
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await self._next_page(interaction)
        except Exception:
            log.exception("More button failed")
            await _guarded(tell(interaction, FAILED), "could not report a failed More click")

    async def _next_page(self, interaction: discord.Interaction) -> None:
        bot: Any = interaction.client
        answer = bot.answers.get(self.key)
        if answer is None:
            question = recover_question(interaction.message, self.key)
            if question is None:
                await tell(interaction, EXPIRED)
                return
            await interaction.response.defer()  # a new search can queue behind others: acknowledge first
            answer = await bot.searcher.ask(question, MORE_PASSAGES)
            bot.answers.put(answer)
        start = self.shown
        page = list(answer.hits[start: start + self.size])
        if not page:
            await tell(interaction, "There are no more passages for this question.")
            return
        self.shown = start + len(page)
        self.custom_id = self._custom_id()
        self._show_remaining(len(answer.hits) - self.shown)
        reply = ask_reply(answer, page, rich=self.rich, page=page_label(start, self.shown, len(answer.hits)))
        if interaction.response.is_done():
            await interaction.edit_original_response(**reply.send_kwargs(), view=self.view)
        else:
            await interaction.response.edit_message(**reply.send_kwargs(), view=self.view)


@row_builder
def more_buttons(row: AnswerRow) -> list[discord.ui.Item[Any]]:
    """A More button when the answer has passages past the first page."""
    remaining = len(row.answer.hits) - row.shown
    if remaining <= 0:
        return []
    return [MoreButton(row.key, row.owner, row.shown, row.page_size, row.rich, remaining)]


def first_page(answer: Answer, *, page_size: int, owner_id: int, rich: bool, key: str,
               record_id: uuid.UUID | None = None) -> tuple[Reply, discord.ui.View | None]:
    """The reply showing an answer's first passages, and the row of buttons under it.

    More when there are other passages; with ``record_id`` (recording on), 👍 and 👎 too.
    """
    page = list(answer.hits[:page_size])
    more = len(answer.hits) > len(page)
    label = page_label(0, len(page), len(answer.hits)) if more else ""
    reply = ask_reply(answer, page, rich=rich, page=label)
    if not page:
        return reply, None
    row = AnswerRow(answer, key, owner_tag(owner_id), page_size, len(page), rich, record_id)
    return reply, answer_view(row)


async def _guarded(action: Any, what: str) -> None:
    """Await a REST call made on an error path: its own failure is logged, never raised."""
    try:
        await action
    except discord.DiscordException as exc:  # HTTP errors, an interaction already answered...
        log.warning("%s: %s", what, exc)
