"""Questions, the passages they showed, votes, and the voter-hash key.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("asked_at", sa.DateTime, nullable=False),
        sa.Column("guild_id", sa.BigInteger, nullable=True),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("command", sa.String(16), nullable=False),
        sa.Column("question", sa.Text, nullable=True),
        sa.Column("normalised", sa.Text, nullable=True),
        sa.Column("influence", sa.String(200), nullable=True),
        sa.Column("no_match", sa.Boolean, nullable=False),
        sa.Column("answer_ms", sa.Integer, nullable=False),
    )
    # Covering: the report's counts read this index alone.
    op.create_index("ix_questions_report", "questions",
                    ["asked_at", "command", "no_match", "via", "guild_id", "answer_ms", "influence"])
    op.create_index("ix_questions_no_match_normalised", "questions", ["no_match", "normalised"])
    op.create_table(
        "shown_passages",
        sa.Column("question_id", sa.Uuid, sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.SmallInteger, primary_key=True),
        sa.Column("passage_id", sa.String(120), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("asked_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_shown_passages_report", "shown_passages", ["asked_at", "passage_id"])
    op.create_table(
        "votes",
        sa.Column("question_id", sa.Uuid, primary_key=True),
        sa.Column("voter", sa.String(64), primary_key=True),
        sa.Column("up", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("voted_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_votes_voted_at", "votes", ["voted_at"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("votes")
    op.drop_table("shown_passages")
    op.drop_table("questions")
