"""Finding an influence from what a fan types: "heat", "madmen", "the safdies film".

Three ways in, tried in order, each with rapidfuzz doing the fuzzy part:

1. the title (or an alias, or a title named only in passing), typos and all;
2. the credit: a director's or creator's surname ("safdies" -> Uncut Gems);
3. the write-up: BM25 over each influence's own paragraphs ("lee pace show"),
   accepted only when one influence clearly wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process, utils

from bot.retrieval.corpus import Corpus, Influence, Mention, Passage
from bot.retrieval.lexical import KeywordIndex
from bot.retrieval.text import find_name, normalise

TITLE_THRESHOLD = 85.0
"""A title matches when rapidfuzz scores it at least this (0-100)."""
NAME_THRESHOLD = 85.0
"""A word of the query matches a credited name at this score or more."""
DESCRIPTION_MARGIN = 1.5
"""Found by its write-up only when it scores this many times the runner-up."""

_GENERIC = {
    "the", "a", "an", "film", "films", "movie", "movies", "show", "shows", "series", "tv", "sitcom",
    "programme", "program", "one", "that", "by", "directed", "created", "s", "'s", "about", "of",
}
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_CREDIT_WORDS = {"directed", "created", "written", "by", "and", "&"}


@dataclass(frozen=True)
class Entry:
    """Something a fan might look up: an influence, or a title named in passing."""

    title: str
    names: tuple[str, ...]
    influence: Influence | None = None
    mention: Mention | None = None

    @property
    def passages(self) -> tuple[Passage, ...]:
        if self.influence:
            return self.influence.passages
        return self.mention.passages if self.mention else ()


@dataclass(frozen=True)
class Lookup:
    """The outcome of looking a title up."""

    entry: Entry | None
    score: float  # 0-1: how sure the match is
    how: str  # "title", "credit", "write-up" or "none"
    suggestions: tuple[Influence, ...] = field(default=())

    @property
    def influence(self) -> Influence | None:
        return self.entry.influence if self.entry else None

    @property
    def mention(self) -> Mention | None:
        return self.entry.mention if self.entry else None


def title_words(text: str) -> str:
    """A title reduced to the words that distinguish it."""
    kept = [w for w in utils.default_process(normalise(_YEAR.sub(" ", text))).split() if w not in _GENERIC]
    return " ".join(kept)


def _surnames(credit: str) -> set[str]:
    """Last names in a printed credit: "directed by Josh & Benny Safdie" -> {"safdie"}."""
    people = re.split(r",|\band\b|&", re.sub(r"^\s*(directed|created|written)\s+by\s+", "", credit, flags=re.I))
    names = [utils.default_process(p).split() for p in people]
    # A lone first name ("Josh" in "Josh & Benny Safdie") shares the surname that follows.
    return {words[-1] for words in names if len(words) > 1}


def _credit_names(credit: str) -> set[str]:
    return {w for w in utils.default_process(credit).split() if w not in _CREDIT_WORDS}


class Catalogue:
    """The influences and passing mentions of the corpus, searchable by title."""

    def __init__(self, corpus: Corpus) -> None:
        self.influences = corpus.influences
        self.entries: list[Entry] = [
            Entry(i.title, (i.title, *i.aliases), influence=i) for i in corpus.influences
        ] + [Entry(m.title, (m.title, *m.aliases), mention=m) for m in corpus.mentions]
        self._names: list[str] = []
        self._owners: list[int] = []
        for number, entry in enumerate(self.entries):
            for name in entry.names:
                self._names.append(title_words(name))
                self._owners.append(number)
        self._squashed = [n.replace(" ", "") for n in self._names]
        self._surnames = [_surnames(i.credit) for i in self.influences]
        self._credit_names = [_credit_names(i.credit) for i in self.influences]
        self._writeups = KeywordIndex(
            [f"{i.title} {i.credit} " + " ".join(p.text for p in i.passages) for i in self.influences]
        )

    def lookup(self, query: str) -> Lookup:
        """Find the entry a fan means, or say which titles come closest."""
        key = title_words(query)
        if not key:
            return Lookup(None, 0.0, "none", self.suggest(query))
        entry, score = self._by_title(key)
        if entry is not None:
            return Lookup(entry, score, "title")
        influence, score = self._by_credit(key)
        if influence is None:
            influence, score = self._by_writeup(key)
            how = "write-up"
        else:
            how = "credit"
        if influence is not None:
            return Lookup(self._entry_of(influence), score, how)
        return Lookup(None, 0.0, "none", self.suggest(query))

    def suggest(self, query: str, limit: int = 3) -> tuple[Influence, ...]:
        """The influences whose titles look most like ``query``."""
        key = title_words(query) or normalise(query)
        titles = [title_words(i.title) for i in self.influences]
        ranked = process.extract(key, titles, scorer=fuzz.WRatio, limit=limit)
        return tuple(self.influences[index] for _, _, index in ranked)

    def named_in(self, question: str) -> list[Entry]:
        """Titles written out inside a longer question ("which Mad Men episode...").

        One-word titles that are everyday words ("Heat", "Kids") only count
        when capitalised, so "the heat of the trading floor" is not about Mann.
        """
        return [entry for entry in self.entries if any(find_name(question, name) for name in entry.names)]

    # -- the three ways in ----------------------------------------------
    def _by_title(self, key: str) -> tuple[Entry | None, float]:
        best = process.extractOne(key, self._names, scorer=fuzz.WRatio)
        squashed = process.extractOne(key.replace(" ", ""), self._squashed, scorer=fuzz.ratio)
        candidates = [c for c in (best, squashed) if c is not None]
        if not candidates:
            return None, 0.0
        _, score, index = max(candidates, key=lambda c: c[1])
        # WRatio rewards a short query inside a long title ("mad" in "mad men");
        # demand that most of the query is accounted for.
        if score < TITLE_THRESHOLD or len(key) < 3:
            return None, 0.0
        return self.entries[self._owners[index]], score / 100

    def _by_credit(self, key: str) -> tuple[Influence | None, float]:
        words = key.split()
        scores = []
        for surnames, names in zip(self._surnames, self._credit_names, strict=True):
            hits = [w for w in words if process.extractOne(w, names, scorer=fuzz.ratio, score_cutoff=NAME_THRESHOLD)]
            has_surname = any(process.extractOne(w, surnames, scorer=fuzz.ratio, score_cutoff=NAME_THRESHOLD)
                              for w in words)
            scores.append(len(hits) if has_surname else 0)
        if not scores:
            return None, 0.0
        best = int(np.argmax(scores))
        if scores[best] == 0 or scores.count(scores[best]) > 1:
            return None, 0.0
        return self.influences[best], min(1.0, 0.6 + 0.2 * scores[best])

    def _by_writeup(self, key: str) -> tuple[Influence | None, float]:
        scores = self._writeups.scores(key)
        if not len(scores):
            return None, 0.0
        order = np.argsort(-scores)
        top, runner_up = float(scores[order[0]]), float(scores[order[1]]) if len(order) > 1 else 0.0
        if top <= 0 or top < DESCRIPTION_MARGIN * runner_up:
            return None, 0.0
        return self.influences[int(order[0])], min(1.0, 0.5 + 0.05 * top)

    def _entry_of(self, influence: Influence) -> Entry:
        return next(e for e in self.entries if e.influence is influence)


def mentioned_in(passages: Sequence[Passage], names: Sequence[str], *,
                 exclude: Sequence[Passage] = ()) -> list[Passage]:
    """Passages that name any of ``names`` (see :func:`find_name`), apart from ``exclude``."""
    skip = {p.id for p in exclude}
    return [p for p in passages if p.id not in skip and any(find_name(p.text, n) for n in names)]
