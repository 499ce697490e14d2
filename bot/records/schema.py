"""The tables, as SQLAlchemy Core metadata (the migrations in ``migrations/`` create them).

One row in ``questions`` per answer the bot gave: its id is the answer's record id,
carried in the custom id of the answer's vote buttons. ``shown_passages`` lists the
passages an answer showed, best first; ``votes`` holds one vote per voter per answer
(the voter as a keyed hash, never a Discord id); ``meta`` holds the voter-hash key
when none is set in the settings.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

VIA = ("slash", "dm", "mention", "console")
"""How a question was asked."""
COMMANDS = ("ask", "influence")
"""What was asked: a question (/ask, a DM, a mention) or an influence lookup."""
REASON_LENGTH = 300
"""Longest reason a 👎 voter can give (the modal's limit)."""

questions = sa.Table(
    "questions", metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("asked_at", sa.DateTime, nullable=False),  # UTC, naive
    sa.Column("guild_id", sa.BigInteger, nullable=True),  # the server; NULL for DMs and the console
    sa.Column("via", sa.String(16), nullable=False),
    sa.Column("command", sa.String(16), nullable=False),
    sa.Column("question", sa.Text, nullable=True),  # NULL when PIERPOINT_RECORD_QUESTIONS=false
    sa.Column("normalised", sa.Text, nullable=True),  # lower case, no punctuation: groups repeats
    sa.Column("influence", sa.String(200), nullable=True),  # the influence an /influence lookup found
    sa.Column("no_match", sa.Boolean, nullable=False),
    sa.Column("answer_ms", sa.Integer, nullable=False),  # from receiving the question to the answer sent
)
REPORT_COLUMNS = ("asked_at", "command", "no_match", "via", "guild_id", "answer_ms", "influence")
"""A covering index: the report's counts read the index alone, never the table (100k questions in ms)."""
sa.Index("ix_questions_report", *(questions.c[name] for name in REPORT_COLUMNS))
sa.Index("ix_questions_no_match_normalised", questions.c.no_match, questions.c.normalised)

shown_passages = sa.Table(
    "shown_passages", metadata,
    sa.Column("question_id", sa.Uuid, sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.SmallInteger, primary_key=True),  # 0 = shown first
    sa.Column("passage_id", sa.String(120), nullable=False),  # e.g. "titans-of-industry/12"
    sa.Column("score", sa.Float, nullable=False),  # the retriever's fused score
    # The question's time again: "passages shown most" in a window reads one index, no join.
    sa.Column("asked_at", sa.DateTime, nullable=False),
)
sa.Index("ix_shown_passages_report", shown_passages.c.asked_at, shown_passages.c.passage_id)

votes = sa.Table(
    "votes", metadata,
    # No foreign key: a vote can arrive for an answer whose row is still queued, or was removed
    # by the retention limit while its message lives on in Discord.
    sa.Column("question_id", sa.Uuid, primary_key=True),
    sa.Column("voter", sa.String(64), primary_key=True),  # HMAC-SHA256 of the Discord user id, hex
    sa.Column("up", sa.Boolean, nullable=False),
    sa.Column("reason", sa.String(REASON_LENGTH), nullable=True),
    sa.Column("voted_at", sa.DateTime, nullable=False, index=True),  # UTC, naive; the latest change
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
