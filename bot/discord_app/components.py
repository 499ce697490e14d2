"""Persistent buttons under an answer: they keep working after the bot restarts.

A button the bot posts is a ``discord.ui.DynamicItem`` whose custom id carries
everything its click needs, so no in-memory view has to survive: discord.py
matches the custom id of any click against the templates registered with
``bot.add_dynamic_items`` (in ``PierpointBot.setup_hook``) and rebuilds the item
from it. An answer is named by a compact *answer key*, :func:`answer_key`, a hash
of the question that was searched; the question itself is recovered from the
answer message the button is on (its header echoes the question), checked
against the key, and searched again when the process no longer holds the answer
in :class:`AnswerCache`. When neither works (an echo cut short, an edited
message), the click gets :data:`EXPIRED`, privately, never silence. Owners are
named by :func:`owner_tag`, a hash of the user id: no raw user id is posted.

The answer row is built by :func:`answer_view` from every registered row builder,
in registration order: More first (``bot.discord_app.views``), then 👍/👎
(``bot.discord_app.feedback``, when the answer is recorded). To add buttons to
the same row, e.g. 👍/👎 votes:

1. In a new module (say ``bot/discord_app/votes.py``), subclass
   ``discord.ui.DynamicItem[discord.ui.Button]`` with a template under this
   module's prefix, e.g. ``template=rf"{PREFIX}:vote:(?P<key>{KEY_PATTERN}):(?P<vote>[ud])"``,
   implementing ``from_custom_id`` and ``callback`` (answer the interaction in it:
   ``interaction.response.send_message(..., ephemeral=True)`` or
   ``edit_message(view=self.view)``, whose ``view`` is the whole row rebuilt from
   the message, so other buttons stay as they are). Decorate the class with
   :func:`persistent`.
2. Register a row builder with :func:`row_builder`: a function of an
   :class:`AnswerRow` (the answer, its key, the page) returning the buttons to add,
   e.g. ``lambda row: [VoteButton(row.key, "u"), VoteButton(row.key, "d")]``
   (return none for an empty answer).
3. Add the module's name to :data:`COMPONENT_MODULES`; the bot imports them all
   before it registers the persistent items, so the buttons work after a restart.

Custom ids are at most 100 characters (Discord's limit) and a row holds 5 buttons.
"""

from __future__ import annotations

import hashlib
import importlib
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import discord

from bot.discord_app.formatting import echoed_question
from bot.retrieval.search import Answer
from bot.retrieval.text import clean_query

PREFIX = "pp"
"""Pierpoint's namespace in custom ids."""
KEY_PATTERN = "[0-9a-f]{12}"
"""An answer key: 48 bits of a hash of the question, plenty to tell one answer's question from another's."""
OWNER_PATTERN = "[0-9a-f]{8}"
COMPONENT_MODULES = ("bot.discord_app.views", "bot.discord_app.feedback")
"""Modules that define persistent items and row builders: imported before registration."""
CUSTOM_ID_LIMIT = 100
BUTTONS_PER_ROW = 5
EXPIRED = "This answer has expired: I can no longer find its question. Ask again with `/ask`."
CACHE_SIZE = 512
"""Answers kept in memory so a More click needs no new search; each is a few kilobytes."""

ItemClass = TypeVar("ItemClass", bound=type)


def answer_key(question: str) -> str:
    """The compact key of an answer: a hash of the (cleaned) question that was searched."""
    return hashlib.sha256(clean_query(question).encode("utf-8")).hexdigest()[:12]


def owner_tag(user_id: int) -> str:
    """Who may page an answer, without posting their id: 32 bits of a keyed hash of it."""
    return hashlib.blake2b(str(user_id).encode(), digest_size=4, person=b"pierpoint-owner").hexdigest()


@dataclass(frozen=True)
class AnswerRow:
    """What a row builder gets: the answer, its key, and the page being posted."""

    answer: Answer
    key: str
    owner: str
    page_size: int
    shown: int
    rich: bool
    record_id: uuid.UUID | None = None
    """The answer's record (bot.records), when recording is on: the vote buttons carry it."""


_PERSISTENT: list[type[discord.ui.DynamicItem[Any]]] = []
_ROW_BUILDERS: list[Callable[[AnswerRow], Iterable[discord.ui.Item[Any]]]] = []


def persistent(cls: ItemClass) -> ItemClass:
    """Class decorator: register a DynamicItem so that its clicks are handled after a restart too."""
    if cls not in _PERSISTENT:
        _PERSISTENT.append(cls)
    return cls


def row_builder(builder: Callable[[AnswerRow], Iterable[discord.ui.Item[Any]]]
                ) -> Callable[[AnswerRow], Iterable[discord.ui.Item[Any]]]:
    """Decorator: ``builder(row)`` returns the buttons it adds under an answer."""
    if builder not in _ROW_BUILDERS:
        _ROW_BUILDERS.append(builder)
    return builder


def persistent_items() -> tuple[type[discord.ui.DynamicItem[Any]], ...]:
    """Every persistent item class, after importing :data:`COMPONENT_MODULES`."""
    for module in COMPONENT_MODULES:
        importlib.import_module(module)
    return tuple(_PERSISTENT)


def answer_view(row: AnswerRow) -> discord.ui.View | None:
    """The buttons under an answer, from every row builder; None when there are none."""
    persistent_items()
    builders = sorted(_ROW_BUILDERS, key=_module_rank)  # More first, whatever was imported first
    items = [item for builder in builders for item in builder(row)][:BUTTONS_PER_ROW]
    if not items:
        return None
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    return view


def _module_rank(builder: Callable[..., Any]) -> int:
    module = builder.__module__
    return COMPONENT_MODULES.index(module) if module in COMPONENT_MODULES else len(COMPONENT_MODULES)


def recover_question(message: discord.Message | None, key: str) -> str | None:
    """The question of the answer ``message`` shows, if its header still echoes it whole and it matches ``key``."""
    question = echoed_question(message.content if message is not None else None)
    if question is None or answer_key(question) != key:
        return None
    return clean_query(question)


class AnswerCache:
    """The last :data:`CACHE_SIZE` answers by key (least recently used dropped first)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._answers: OrderedDict[str, Answer] = OrderedDict()

    def put(self, answer: Answer) -> str:
        key = answer_key(answer.question)
        self._answers[key] = answer
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return key

    def get(self, key: str) -> Answer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer
