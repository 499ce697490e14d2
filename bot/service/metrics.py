"""The bot's Prometheus metrics, in a registry of its own.

Each bot gets its own ``CollectorRegistry`` (not prometheus-client's global
one), so several bots in one process, as in the tests, never share counts.
Metric names (all prefixed ``pierpoint_``):

- ``questions_total{how, outcome}``: questions, ``how`` = slash | dm | mention,
  ``outcome`` = answered | no_match | cooldown | error.
- ``answer_seconds``: histogram of the time from receiving a question to its
  answer being sent, in seconds (answered and no_match only).
- ``votes_total{vote}``: votes on answers, ``vote`` = up | down.
- ``servers``: servers (guilds) on this process's shards.
- ``gateway_latency_seconds{shard}``: heartbeat round trip of each connected shard.
- ``database_write_failures_total``: records the database store could not write.

Votes and database failures are counted by whoever handles them, through
:meth:`Metrics.vote` and :meth:`Metrics.db_write_failure` (the store and the
vote buttons live in the recording feature, not here).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sized
from contextlib import contextmanager
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

SLASH, DM, MENTION = "slash", "dm", "mention"
ANSWERED, NO_MATCH, COOLDOWN, ERROR = "answered", "no_match", "cooldown", "error"
HOW_ASKED = (SLASH, DM, MENTION)
OUTCOMES = (ANSWERED, NO_MATCH, COOLDOWN, ERROR)
# An answer is a ~20 ms search plus one or two Discord round trips (~0.1-0.5 s); Discord gives up on an
# undeferred interaction at 3 s. Buckets from 50 ms to 10 s cover both sides of that.
ANSWER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


class Asked:
    """One question being answered: set its outcome; it counts as ``answered`` unless told otherwise."""

    def __init__(self) -> None:
        self.outcome = ANSWERED

    def found(self, hits: Sized) -> None:
        """The search returned ``hits``: answered if there are any, else no_match."""
        self.outcome = ANSWERED if len(hits) else NO_MATCH

    def cooldown(self) -> None:
        self.outcome = COOLDOWN


class _BotGauges(Collector):
    """Read at scrape time from the bot itself: servers and per-shard gateway latency."""

    def __init__(self, bot: Any) -> None:
        self._bot = bot

    def describe(self) -> list[GaugeMetricFamily]:
        return list(self._families())

    def collect(self) -> Iterator[GaugeMetricFamily]:
        servers, latency = self._families()
        if self._bot is not None:
            servers.add_metric([], len(self._bot.guilds))
            for shard_id, seconds in getattr(self._bot, "latencies", []):
                if math.isfinite(seconds):  # inf/nan until the shard's first heartbeat is acknowledged
                    latency.add_metric([str(shard_id)], seconds)
        yield servers
        yield latency

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        return (GaugeMetricFamily("pierpoint_servers", "Servers (guilds) on this process's shards."),
                GaugeMetricFamily("pierpoint_gateway_latency_seconds",
                                  "Heartbeat round trip of each connected shard, in seconds.", labels=["shard"]))


class Metrics:
    """Counters for one bot; ``render()`` gives the Prometheus text exposition."""

    def __init__(self, bot: Any = None) -> None:
        self.registry = CollectorRegistry()
        self._questions = Counter("pierpoint_questions", "Questions by how they were asked and their outcome.",
                                  ["how", "outcome"], registry=self.registry)
        self._answer_seconds = Histogram("pierpoint_answer_seconds",
                                         "Time from receiving a question to sending its answer, in seconds.",
                                         buckets=ANSWER_BUCKETS, registry=self.registry)
        self._votes = Counter("pierpoint_votes", "Votes on answers.", ["vote"], registry=self.registry)
        self._db_write_failures = Counter("pierpoint_database_write_failures",
                                          "Records the database store failed to write.", registry=self.registry)
        for how in HOW_ASKED:  # every series from zero, so rates work from the first scrape
            for outcome in OUTCOMES:
                self._questions.labels(how, outcome)
        for vote in ("up", "down"):
            self._votes.labels(vote)
        self.registry.register(_BotGauges(bot))

    @contextmanager
    def question(self, how: str) -> Iterator[Asked]:
        """Count the enclosed question under ``how`` (slash, dm, mention); an exception counts as ``error``."""
        asked, started = Asked(), time.perf_counter()
        try:
            yield asked
        except BaseException:
            asked.outcome = ERROR
            raise
        finally:
            self._questions.labels(how, asked.outcome).inc()
            if asked.outcome in (ANSWERED, NO_MATCH):
                self._answer_seconds.observe(time.perf_counter() - started)

    def vote(self, up: bool) -> None:
        """Count one vote on an answer (for the vote buttons to call)."""
        self._votes.labels("up" if up else "down").inc()

    def db_write_failure(self) -> None:
        """Count one record the database store could not write (for the store to call)."""
        self._db_write_failures.inc()

    def render(self) -> bytes:
        """The Prometheus text format (version 0.0.4) of every metric."""
        return generate_latest(self.registry)
