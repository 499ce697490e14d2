"""Turning what the retriever answered into a :class:`QuestionRecord` (no Discord here)."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from bot.records.store import QuestionRecord, utcnow

if TYPE_CHECKING:  # importing the retriever loads torch: `python -m bot stats` must not pay for that
    from bot.retrieval.search import Answer, InfluenceAnswer


def new_record_id() -> uuid.UUID:
    """A fresh answer record id: known before the answer is sent, so its buttons can carry it."""
    return uuid.uuid4()


def ask_record(record_id: uuid.UUID, answer: Answer, *, shown: int, via: str, guild_id: int | None,
               started: float, asked_at: datetime | None = None) -> QuestionRecord:
    """The record of a question answered with ``answer``'s first ``shown`` passages.

    ``started`` is the ``time.perf_counter()`` reading when the question arrived.
    """
    return QuestionRecord(
        id=record_id, asked_at=asked_at or utcnow(), guild_id=guild_id, via=via, command="ask",
        question=answer.question, no_match=not answer.hits, answer_ms=_elapsed_ms(started),
        passages=tuple((hit.passage.id, float(hit.score)) for hit in answer.hits[:shown]),
    )


def influence_record(found: InfluenceAnswer, *, shown: int, via: str, guild_id: int | None,
                     started: float) -> QuestionRecord:
    """The record of an influence lookup (``/influence heat``)."""
    return QuestionRecord(
        id=new_record_id(), asked_at=utcnow(), guild_id=guild_id, via=via, command="influence",
        question=found.query, no_match=found.influence is None, answer_ms=_elapsed_ms(started),
        influence=found.influence.title if found.influence else None,
        passages=tuple((hit.passage.id, float(hit.score)) for hit in found.hits[:shown]),
    )


def _elapsed_ms(started: float) -> int:
    return max(0, round((time.perf_counter() - started) * 1000))
