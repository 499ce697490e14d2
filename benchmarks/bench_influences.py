"""Influence lookups: autocomplete per keystroke, /influence, and what the credits cost at start.

    .venv/bin/python benchmarks/bench_influences.py            # Markdown report on stdout
    .venv/bin/python benchmarks/bench_influences.py --rounds 20

It measures, on the committed corpus, credits file and index (wall clock,
``time.perf_counter``, after one untimed warm-up pass):

1. **autocomplete per keystroke**: for each of :data:`TYPED` (titles, stars,
   characters, a network, typos), every prefix as a fan types it, one character
   more each time, through ``Catalogue.complete`` and the ``app_commands.Choice``
   objects the cog returns. Autocomplete runs on the event loop, so its p95 must
   stay well under what a fan notices and what would delay other events: goal
   **p95 <= 5 ms**. Discord itself allows 3 s.
2. **/influence**: ``Retriever.influence`` on fan descriptions (title, credits,
   premise by meaning: the last encodes the text with the model), next to a bare
   encode of the same descriptions by the same model, the floor of the premise path.
3. **start-up**: building the ``Catalogue`` (credits file parsed and validated,
   profiles built), and encoding the twelve premises, which happens once, in
   ``Retriever.warm_up`` (where the model is loaded anyway).
4. **/ask's extra work**: ``Catalogue.described_in`` per question, the part of
   every ``/ask`` this feature adds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np
from discord import app_commands

from bot.retrieval.catalogue import Catalogue
from bot.retrieval.search import Retriever
from bot.settings import get_settings

TYPED: tuple[str, ...] = (
    "sandler", "bateman", "draper", "the social network", "michael mann", "joan holloway", "socail netwrk",
    "de nero", "lee pace", "amc", "halt and catch fire", "leo fitzpatrick", "uncut gems", "kid cudi",
)
DESCRIPTIONS: tuple[str, ...] = (
    "heat", "madmen", "the pacino film", "joan holloway", "the 90s film", "margin call", "thief",
    "diamond district jeweller", "young man caring for his mother with cancer", "the wolf of wall street",
)
QUESTIONS: tuple[str, ...] = (
    "what do they say about the pacino film?", "what advice do they give writers?",
    "how did they pitch Industry to HBO?", "which Mad Men episode do they love?",
    "what do they think of the don draper show?", "how did Mickey Down and Konrad Kay meet?",
)
GOAL_P95_MS = 5.0


def timed_ms(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def percentiles(samples: Sequence[float]) -> tuple[float, float, int]:
    values = np.asarray(samples, dtype=np.float64)
    return float(np.percentile(values, 50)), float(np.percentile(values, 95)), len(values)


def keystrokes(words: Sequence[str]) -> list[str]:
    """Every prefix of every word, as typed: "sa", "san", ... (one character is typed first too)."""
    return [word[:n] for word in words for n in range(1, len(word) + 1)]


def autocomplete(catalogue: Catalogue, typed: str) -> list[app_commands.Choice[str]]:
    """What the cog does per keystroke (bot/discord_app/cogs/influences.py)."""
    return [app_commands.Choice(name=c.label, value=c.title) for c in catalogue.complete(typed, limit=25)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="timed passes over every input (default 10)")
    args = parser.parse_args(argv)
    settings = get_settings()
    retriever = Retriever.load(settings.corpus_dir, settings.index_dir, settings.model)
    retriever.warm_up()

    build = [timed_ms(lambda: Catalogue(retriever.corpus, encode=retriever.embedder.encode)) for _ in range(5)]
    fresh = Catalogue(retriever.corpus, encode=retriever.embedder.encode)
    premises_ms = timed_ms(fresh.warm_up)

    catalogue = retriever.catalogue
    typed = keystrokes(TYPED)
    for text in typed + list(DESCRIPTIONS):  # warm-up: caches, the premise vectors
        autocomplete(catalogue, text)
        retriever.influence(text)
    keys = [timed_ms(lambda t=t: autocomplete(catalogue, t)) for _ in range(args.rounds) for t in typed]
    lookups = [timed_ms(lambda d=d: retriever.influence(d)) for _ in range(args.rounds) for d in DESCRIPTIONS]
    described = [timed_ms(lambda q=q: catalogue.described_in(q)) for _ in range(args.rounds) for q in QUESTIONS]
    encodes = [timed_ms(lambda d=d: retriever.embedder.encode_one(d)) for _ in range(args.rounds) for d in DESCRIPTIONS]

    k50, k95, kn = percentiles(keys)
    l50, l95, ln = percentiles(lookups)
    d50, d95, dn = percentiles(described)
    e50, e95, en = percentiles(encodes)
    b50, _, _ = percentiles(build)
    verdict = "yes" if k95 <= GOAL_P95_MS else "**no**"
    print("| Influence lookups | n | p50 ms | p95 ms | Goal | Met |")
    print("|---|---:|---:|---:|---|---|")
    print(f"| autocomplete, per keystroke | {kn} | {k50:.2f} | {k95:.2f} | p95 <= {GOAL_P95_MS:g} ms | {verdict} |")
    print(f"| /influence (title, credits or premise) | {ln} | {l50:.2f} | {l95:.2f} | | |")
    print(f"| (reference: bare encode of the same descriptions) | {en} | {e50:.2f} | {e95:.2f} | | |")
    print(f"| /ask: influences named by credits | {dn} | {d50:.2f} | {d95:.2f} | | |")
    print()
    print(f"Start-up: Catalogue with credits built in {b50:.1f} ms (median of 5); the twelve premises "
          f"encoded in {premises_ms:.0f} ms, once, in Retriever.warm_up.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
