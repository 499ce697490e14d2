"""A per-user limit on questions, shared by /ask, DMs and mentions.

discord.py's ``CooldownMapping`` does the bookkeeping. The clock is the
Discord timestamp of the interaction or message, not the local clock, so a
user's limit is measured the way they experienced it (and the simulated
Discord in the tests can move time forward).
"""

from __future__ import annotations

import math
from datetime import datetime

from discord.ext import commands


class QuestionCooldown:
    """At most ``rate`` questions per ``per`` seconds for each user."""

    def __init__(self, rate: int, per: float) -> None:
        self._mapping: commands.CooldownMapping[int] = commands.CooldownMapping.from_cooldown(
            rate, per, lambda user_id: user_id
        )

    def retry_after(self, user_id: int, when: datetime) -> int | None:
        """Seconds to wait (rounded up) if this question is over the limit, else None (and it counts)."""
        bucket = self._mapping.get_bucket(user_id, when.timestamp())
        if bucket is None:
            return None
        wait = bucket.update_rate_limit(when.timestamp())
        return math.ceil(wait) if wait else None


def cooldown_message(seconds: int) -> str:
    return f"You're asking quickly! Try again in {seconds} s."
