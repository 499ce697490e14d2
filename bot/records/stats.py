"""The content-gap report: what fans asked, what found nothing, how answers were rated.

:func:`gather` reads one time window with a handful of aggregate queries (the
database does the counting, so 100,000 questions take well under a second on
SQLite) and returns one JSON-ready dict; :mod:`bot.records.report` renders it
as text or HTML.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.records.schema import questions, shown_passages, votes
from bot.records.store import Store, utcnow

TOP = 20
"""Rows in each "most ..." list."""
DOWN_VOTED = 10
"""Down-voted answers listed, most down votes first."""
REASONS = 100
"""Reasons listed at most, newest first."""


def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


async def gather(store: Store, days: int, now: datetime | None = None) -> dict[str, Any]:
    """The report for the ``days`` days up to ``now`` (UTC): counts, per-day series, and the top lists.

    Keys: ``days``, ``since``, ``questions``, ``no_match``, ``no_match_share``, ``answer_ms_mean``,
    ``servers``, ``via`` ({"slash", "dm", "mention", "console"}: questions), ``feedback`` ({"up", "down"}),
    ``reasons`` (strings, newest first), ``unanswered`` ([{"question", "count"}]), ``down_voted``
    ([{"question", "up", "down", "reasons", "passages"}]), ``passages`` ([{"passage", "count"}]),
    ``influences`` ([{"influence", "count"}]), ``influence_lookups`` and ``per_day``
    ([{"day", "questions", "no_match", "up", "down"}], oldest first).
    """
    since = (now or utcnow()) - timedelta(days=days)
    async with store.engine.connect() as connection:
        report = {"days": days, "since": since.isoformat(timespec="seconds") + "Z"}
        report.update(await _totals(connection, since))
        report["feedback"], report["reasons"] = await _votes(connection, since)
        report["unanswered"] = await _unanswered(connection, since)
        report["down_voted"] = await _down_voted(connection, since)
        report["passages"] = await _passages(connection, since)
        report["influences"] = await _influences(connection, since)
        report["per_day"] = await _per_day(connection, since)
    return report


def _asks(since: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(questions.c.asked_at >= since, questions.c.command == "ask")


async def _totals(connection: AsyncConnection, since: datetime) -> dict[str, Any]:
    row = (await connection.execute(sa.select(
        _count(questions.c.command == "ask").label("questions"),
        _count(sa.and_(questions.c.command == "ask", questions.c.no_match)).label("no_match"),
        _count(questions.c.command == "influence").label("influence_lookups"),
        sa.func.avg(sa.case((questions.c.command == "ask", questions.c.answer_ms))).label("answer_ms"),
        sa.func.count(sa.distinct(questions.c.guild_id)).label("servers"),
    ).where(questions.c.asked_at >= since))).one()
    via = dict((await connection.execute(
        sa.select(questions.c.via, sa.func.count()).where(_asks(since)).group_by(questions.c.via))).all())
    total = int(row.questions)
    return {
        "questions": total,
        "no_match": int(row.no_match),
        "no_match_share": round(int(row.no_match) / total, 4) if total else 0.0,
        "answer_ms_mean": round(float(row.answer_ms), 1) if row.answer_ms is not None else None,
        "servers": int(row.servers),
        "via": {name: int(via.get(name, 0)) for name in ("slash", "dm", "mention", "console")},
        "influence_lookups": int(row.influence_lookups),
    }


async def _votes(connection: AsyncConnection, since: datetime) -> tuple[dict[str, int], list[str]]:
    row = (await connection.execute(sa.select(_count(votes.c.up).label("up"), _count(~votes.c.up).label("down"))
                                    .where(votes.c.voted_at >= since))).one()
    reasons = (await connection.scalars(
        sa.select(votes.c.reason).where(votes.c.voted_at >= since, ~votes.c.up, votes.c.reason.is_not(None))
        .order_by(votes.c.voted_at.desc()).limit(REASONS))).all()
    return {"up": int(row.up), "down": int(row.down)}, list(reasons)


async def _unanswered(connection: AsyncConnection, since: datetime) -> list[dict[str, Any]]:
    """"No good match" questions grouped by their normalised text, most asked first."""
    count = sa.func.count().label("count")
    rows = await connection.execute(
        sa.select(sa.func.min(questions.c.question).label("question"), count)
        .where(_asks(since), questions.c.no_match, questions.c.normalised.is_not(None), questions.c.normalised != "")
        .group_by(questions.c.normalised).order_by(count.desc(), sa.func.min(questions.c.question)).limit(TOP))
    return [{"question": r.question.strip(), "count": int(r.count)} for r in rows]


async def _down_voted(connection: AsyncConnection, since: datetime) -> list[dict[str, Any]]:
    down = _count(~votes.c.up).label("down")
    rows = (await connection.execute(
        sa.select(votes.c.question_id, down, _count(votes.c.up).label("up"))
        .where(votes.c.voted_at >= since).group_by(votes.c.question_id).having(down > 0)
        .order_by(down.desc(), votes.c.question_id).limit(DOWN_VOTED))).all()
    if not rows:
        return []
    ids = [r.question_id for r in rows]
    texts = dict((await connection.execute(
        sa.select(questions.c.id, questions.c.question).where(questions.c.id.in_(ids)))).all())
    shown: dict[Any, list[str]] = defaultdict(list)
    for qid, passage in await connection.execute(
            sa.select(shown_passages.c.question_id, shown_passages.c.passage_id)
            .where(shown_passages.c.question_id.in_(ids)).order_by(shown_passages.c.position)):
        shown[qid].append(passage)
    reasons: dict[Any, list[str]] = defaultdict(list)
    for qid, reason in await connection.execute(
            sa.select(votes.c.question_id, votes.c.reason)
            .where(votes.c.question_id.in_(ids), ~votes.c.up, votes.c.reason.is_not(None))):
        reasons[qid].append(reason)
    return [{"question": texts.get(r.question_id), "up": int(r.up), "down": int(r.down),
             "reasons": reasons[r.question_id], "passages": shown[r.question_id]} for r in rows]


async def _passages(connection: AsyncConnection, since: datetime) -> list[dict[str, Any]]:
    count = sa.func.count().label("count")
    rows = await connection.execute(
        sa.select(shown_passages.c.passage_id, count).where(shown_passages.c.asked_at >= since)
        .group_by(shown_passages.c.passage_id).order_by(count.desc(), shown_passages.c.passage_id).limit(TOP))
    return [{"passage": r.passage_id, "count": int(r.count)} for r in rows]


async def _influences(connection: AsyncConnection, since: datetime) -> list[dict[str, Any]]:
    count = sa.func.count().label("count")
    rows = await connection.execute(
        sa.select(questions.c.influence, count)
        .where(questions.c.asked_at >= since, questions.c.command == "influence", questions.c.influence.is_not(None))
        .group_by(questions.c.influence).order_by(count.desc(), questions.c.influence).limit(TOP))
    return [{"influence": r.influence, "count": int(r.count)} for r in rows]


async def _per_day(connection: AsyncConnection, since: datetime) -> list[dict[str, Any]]:
    days: dict[str, dict[str, Any]] = {}

    def day(key: object) -> dict[str, Any]:
        name = str(key)[:10]
        return days.setdefault(name, {"day": name, "questions": 0, "no_match": 0, "up": 0, "down": 0})

    asked_day = sa.func.date(questions.c.asked_at)
    for key, asked, missed in await connection.execute(
            sa.select(asked_day, sa.func.count(), _count(questions.c.no_match))
            .where(_asks(since)).group_by(asked_day)):
        day(key).update(questions=int(asked), no_match=int(missed))
    voted_day = sa.func.date(votes.c.voted_at)
    for key, up, down in await connection.execute(
            sa.select(voted_day, _count(votes.c.up), _count(~votes.c.up))
            .where(votes.c.voted_at >= since).group_by(voted_day)):
        day(key).update(up=int(up), down=int(down))
    return [days[name] for name in sorted(days)]
