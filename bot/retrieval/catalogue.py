"""Finding an influence from what a fan types: "heat", "madmen", "the pacino film".

Three ways in, tried in order:

1. the title (or an alias, or a title named only in passing), typos and all
   (rapidfuzz);
2. a description scored against every fact of the credits file
   (``corpus/influences.toml``: cast, characters, directors, writers, network,
   year, premise) and the write-up (:mod:`bot.retrieval.descriptions`): "joan
   holloway", "the amc show", "sevigny". Two about equally good answers are
   returned as candidates, not guessed between;
3. the premise, by meaning: the description's embedding against each
   premise's, accepted only when one clearly wins ("the one where a baseball
   manager uses statistics").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from bm25s.stopwords import STOPWORDS_EN
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from bot.retrieval.corpus import Corpus, Influence, Mention, Passage
from bot.retrieval.credits import CREDITS_FILE, Credits, load_credits
from bot.retrieval.descriptions import Description, DescriptionIndex, Fit
from bot.retrieval.text import find_name, normalise, words

TITLE_THRESHOLD = 85.0
"""A title matches when rapidfuzz scores it at least this (0-100)."""
TITLE_COVERAGE = 0.66
"""A typed title that only partly matches a title must have this share of its words in it (2 of 3)."""
WORD_FUZZ = 80.0
"""rapidfuzz ratio for a typed word to count as a word of a title ("amercan" ~ "american")."""
PREMISE_MIN = 0.45
"""Cosine between a description and a premise under which the premise is not what was meant.
Calibrated on benchmarks/influences_dev.jsonl and titles not in the list: the paraphrased premises
scored 0.46-0.71, other finance titles ("the wolf of wall street") up to 0.52 but never 0.08 clear
of the runner-up."""
PREMISE_MARGIN = 0.08
"""...and by how much the best premise must beat the second (else nothing is guessed)."""
PREMISE_MIN_WORDS = 2
"""A story is told in a few words: one ("casino") is more likely another title, and is not
searched by meaning..."""
AGREEING_MIN_WORDS = 3
"""...and the lower bar of agreeing signals needs three ("silicon valley" shares a word with
Halt and Catch Fire's "Silicon Prairie" and is still another show)."""
AGREEING_PREMISE_MIN = 0.3
"""A lower bar when the description's words already point to the same influence (two weak
signals that agree: "la bank robbery crew vs a cop")."""
AGREEING_COVERAGE = 0.3
"""...that is, when that influence accounts for at least this share of the description's words."""
ASK_MIN_SCORE = 3.0
"""Evidence (see :mod:`bot.retrieval.descriptions`) a question needs to name an influence by its facts."""
ASK_MARGIN = 1.5
"""...and how many times the runner-up's it must be."""
ASK_COVERAGE = 0.5
"""...and the share of the question's content words it must account for."""

_GENERIC = {
    "the", "a", "an", "film", "films", "movie", "movies", "show", "shows", "series", "tv", "sitcom",
    "programme", "program", "one", "that", "by", "directed", "created", "s", "'s", "about", "of",
}
_STOPWORDS = frozenset(STOPWORDS_EN)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
COMPLETION_LABEL = 100
"""Discord's limit on an autocomplete choice's name (characters)."""
COMPLETION_CUTOFF = 75.0
"""rapidfuzz WRatio (0-100) a partly typed name needs to be offered ("sandl" -> Adam Sandler)."""
COMPLETION_TITLE_CUTOFF = 40.0
"""...and a partly typed title, as before the credits existed ("socail netwrk")."""
Encoder = Callable[[list[str]], np.ndarray]
"""Texts -> unit-length vectors, one row each (``Embedder.encode``)."""


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
class Completion:
    """One autocomplete choice: what the fan sees and the title it fills in."""

    label: str  # "Uncut Gems (2019) · Adam Sandler", at most COMPLETION_LABEL characters
    title: str


@dataclass(frozen=True)
class Lookup:
    """The outcome of looking a title up."""

    entry: Entry | None
    score: float  # 0-1: how sure the match is
    how: str  # "title", "description", "premise", "ambiguous" or "none"
    suggestions: tuple[Influence, ...] = field(default=())
    candidates: tuple[Influence, ...] = field(default=())
    """When ``how == "ambiguous"``: the influences that fit about equally, best first."""

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


class Catalogue:
    """The influences and passing mentions of the corpus, searchable by title or description.

    ``credits`` defaults to ``influences.toml`` in the corpus folder (none when the
    corpus has no folder or no such file). ``encode`` turns texts into unit vectors
    for the premise search; without it that way in is skipped. The premises are
    encoded once, by :meth:`warm_up` or on the first description that needs them.
    Raises :class:`~bot.retrieval.corpus.CorpusError` for a malformed credits file.
    """

    def __init__(self, corpus: Corpus, *, credits: dict[str, Credits] | None = None,
                 encode: Encoder | None = None) -> None:
        self.influences = corpus.influences
        if credits is None:
            folder = corpus.files[0].parent if corpus.files else None
            credits = load_credits(folder / CREDITS_FILE, corpus.influences) if folder else {}
        self.credits: dict[str, Credits] = credits
        self.entries: list[Entry] = [
            Entry(i.title, (i.title, *i.aliases, *self._other_titles(i)), influence=i) for i in corpus.influences
        ] + [Entry(m.title, (m.title, *m.aliases), mention=m) for m in corpus.mentions]
        self._names: list[str] = []
        self._owners: list[int] = []
        for number, entry in enumerate(self.entries):
            for name in entry.names:
                self._names.append(title_words(name))
                self._owners.append(number)
        self._squashed = [n.replace(" ", "") for n in self._names]
        known = {w for p in corpus.passages for w in words(p.text)}
        self.descriptions = DescriptionIndex(corpus.influences, credits, known)
        self._encode = encode
        self._premises: np.ndarray | None = None
        self._with_premise: list[Influence] = []
        self._premise_lock = threading.Lock()

    def lookup(self, query: str) -> Lookup:
        """Find the entry a fan means, say which ones fit equally, or which titles come closest."""
        key = title_words(query)
        entry, score = self._by_title(key) if key else (None, 0.0)
        if entry is not None:
            return Lookup(entry, score, "title")
        fits = self.descriptions.best(query)
        if len(fits) == 1:
            return Lookup(self.entry_of(fits[0].influence), _confidence(fits[0]), "description")
        if len(fits) > 1:
            candidates = tuple(f.influence for f in fits)
            return Lookup(None, 0.0, "ambiguous", candidates, candidates)
        influence, score = None, 0.0
        size = len(Description.parse(query).words)
        if size >= PREMISE_MIN_WORDS:
            partial = [f.influence for f in self.descriptions.fits(query) if f.coverage >= AGREEING_COVERAGE][:1]
            agreeing = partial[0] if partial and size >= AGREEING_MIN_WORDS else None
            influence, score = self._by_premise(query, agreeing)
        if influence is not None:
            return Lookup(self.entry_of(influence), score, "premise")
        return Lookup(None, 0.0, "none", self.suggest(query))

    def title_entry(self, query: str) -> Entry | None:
        """The entry :meth:`lookup` finds by title ("title"), without trying the other ways in; None if none."""
        key = title_words(query)
        return self._by_title(key)[0] if key else None

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

    def described_in(self, question: str) -> list[tuple[Influence, float]]:
        """Influences a question names by their facts ("what do they say about the pacino film?").

        Returns ``[(influence, confidence 0-1)]``, at most one: an influence counts
        only when a credited name, title word, or two facts that are not story
        words (network, place, year...) point to it
        (:data:`ASK_MIN_SCORE`), clearly to it rather than another
        (:data:`ASK_MARGIN`), and account for much of the question
        (:data:`ASK_COVERAGE`). The write-ups' own words are left to the passage
        search. Empty when nothing is named.
        """
        fits = self.descriptions.fits(question, in_question=True)
        if not fits:
            return []
        best, runner_up = fits[0], fits[1].score if len(fits) > 1 else 0.0
        if best.score < ASK_MIN_SCORE or best.score < ASK_MARGIN * runner_up or best.coverage < ASK_COVERAGE:
            return []
        if not best.named and best.facts < 2:  # "hbo", or "work" from a premise, is not a name
            return []
        return [(best.influence, _confidence(best))]

    def complete(self, typed: str, limit: int = 25) -> list[Completion]:
        """Autocomplete choices for what a fan has typed so far, best first, one per influence.

        Titles match fuzzily as before; so do the credits' names (cast, characters,
        directors, creators, writers, producers), networks and studios, and the choice
        then shows the name that matched: "draper" -> "Mad Men (2007-2015) · Don Draper
        (Jon Hamm)". Empty ``typed``: every influence in corpus order. Pure rapidfuzz,
        no model: cheap enough for every keystroke.
        """
        labels = {i.title: f"{i.title} ({i.years})" for i in self.influences}
        key = typed.strip()
        if not key:
            return [Completion(_fit(label), title) for title, label in labels.items()][:limit]
        best: dict[str, tuple[float, str]] = {}
        titles = list(labels.values())
        for label, score, index in process.extract(key, titles, scorer=fuzz.WRatio, processor=utils.default_process,
                                                   limit=None, score_cutoff=COMPLETION_TITLE_CUTOFF):
            best[self.influences[index].title] = (score + 1.0, label)  # a title beats a name scoring the same
        names = self._completion_names()
        for _, score, index in process.extract(key, [n for n, _, _ in names], scorer=fuzz.WRatio,
                                               processor=utils.default_process, limit=None,
                                               score_cutoff=COMPLETION_CUTOFF):
            _, title, shown = names[index]
            if score > best.get(title, (0.0, ""))[0]:
                best[title] = (score, f"{labels[title]} · {shown}")
        ranked = sorted(best.items(), key=lambda item: -item[1][0])
        return [Completion(_fit(label), title) for title, (_, label) in ranked[:limit]]

    def _completion_names(self) -> list[tuple[str, str, str]]:
        """(searchable name, influence title, what the choice shows) for every credited name."""
        if not hasattr(self, "_names_for_completion"):
            rows = []
            for influence in self.influences:
                credits = self.credits.get(influence.title)
                if not credits:
                    continue
                people = (*credits.directors, *credits.creators, *credits.writers, *credits.producers,
                          *credits.networks, *credits.studios, *credits.places, *credits.also_known_as,
                          *credits.nicknames)
                rows += [(name, influence.title, name) for name in dict.fromkeys(people)]
                for member in credits.cast:
                    rows.append((member.actor, influence.title, member.actor))
                    if normalise(member.character) not in ("himself", "herself", "themselves"):
                        rows.append((member.character, influence.title, f"{member.character} ({member.actor})"))
            self._names_for_completion = rows
        return self._names_for_completion

    def warm_up(self) -> None:
        """Encode the premises now rather than on the first description that needs them."""
        self._premise_vectors()

    def credits_of(self, influence: Influence) -> Credits | None:
        """The public credits of ``influence``, if the credits file has them."""
        return self.credits.get(influence.title)

    # -- the ways in ---------------------------------------------------------------
    def _other_titles(self, influence: Influence) -> tuple[str, ...]:
        credits = self.credits.get(influence.title)
        return credits.also_known_as if credits else ()

    def _by_title(self, key: str) -> tuple[Entry | None, float]:
        if len(key) < 3:
            return None, 0.0
        # The whole title, spaces ignored ("madmen", "uncut jems"): a plain ratio, no partial credit.
        squashed = process.extractOne(key.replace(" ", ""), self._squashed, scorer=fuzz.ratio,
                                      score_cutoff=TITLE_THRESHOLD)
        if squashed is not None:
            return self.entries[self._owners[squashed[2]]], squashed[1] / 100
        # WRatio forgives word order and extra words, and so rewards one shared word ("jez and
        # mark" ~ "halt and catch fire", "michael lewis book" ~ "michael clayton"): it is the
        # title only when most of the typed words are the title's.
        best = process.extractOne(key, self._names, scorer=fuzz.WRatio, score_cutoff=TITLE_THRESHOLD)
        if best is None or _word_coverage(key, self._names[best[2]]) < TITLE_COVERAGE:
            return None, 0.0
        _, score, index = best
        return self.entries[self._owners[index]], score / 100

    def _by_premise(self, query: str, by_words: Influence | None) -> tuple[Influence | None, float]:
        """The influence whose premise means what ``query`` says, if one clearly does.

        ``by_words``: the influence the description's words point to, if any; when the
        premise agrees, a lower similarity is enough (:data:`AGREEING_PREMISE_MIN`).
        """
        premises = self._premise_vectors()
        if premises is None or self._encode is None:
            return None, 0.0
        similarities = premises @ self._encode([query])[0]
        order = np.argsort(-similarities)
        best = self._with_premise[int(order[0])]
        top = float(similarities[order[0]])
        second = float(similarities[order[1]]) if len(order) > 1 else -1.0
        floor = AGREEING_PREMISE_MIN if best is by_words else PREMISE_MIN
        if top < floor or top - second < PREMISE_MARGIN:
            return None, 0.0
        return best, top

    def _premise_vectors(self) -> np.ndarray | None:
        """One unit vector per influence with a premise (encoded once, thread-safe)."""
        if self._encode is None or not self.credits:
            return None
        with self._premise_lock:
            if self._premises is None:
                self._with_premise = [i for i in self.influences if i.title in self.credits]
                texts = [premise_text(i, self.credits[i.title]) for i in self._with_premise]
                self._premises = np.asarray(self._encode(texts), dtype=np.float32)
        return self._premises

    def entry_of(self, influence: Influence) -> Entry:
        return next(e for e in self.entries if e.influence is influence)


def premise_text(influence: Influence, credits: Credits) -> str:
    """What is embedded for the premise search: kind, genres and the premise."""
    return f"A {influence.kind_label} ({', '.join(credits.genres)}). {credits.premise}"


def _word_coverage(query: str, name: str) -> float:
    """Share of the query's words (stop words aside) that are (nearly) words of ``name``."""
    name_words = name.split()
    words = [w for w in query.split() if w not in _STOPWORDS] or query.split()
    close = [w for w in words if any(_near(w, n) for n in name_words)]
    return len(close) / max(1, len(words))


def _near(typed: str, word: str) -> bool:
    """Equal, one slip apart ("jems"), or close by rapidfuzz ratio ("amercan")."""
    return (typed == word or (len(typed) > 2 and Levenshtein.distance(typed, word, score_cutoff=1) <= 1)
            or fuzz.ratio(typed, word, score_cutoff=WORD_FUZZ) > 0)


def _fit(label: str) -> str:
    return label if len(label) <= COMPLETION_LABEL else label[: COMPLETION_LABEL - 1] + "…"


def _confidence(fit: Fit) -> float:
    """A description's fit as 0-1: full coverage with a surname or title word is near 1."""
    return min(1.0, 0.4 + 0.3 * fit.coverage + (0.25 if fit.named else 0.0))


def mentioned_in(passages: Sequence[Passage], names: Sequence[str], *,
                 exclude: Sequence[Passage] = ()) -> list[Passage]:
    """Passages that name any of ``names`` (see :func:`find_name`), apart from ``exclude``."""
    skip = {p.id for p in exclude}
    return [p for p in passages if p.id not in skip and any(find_name(p.text, n) for n in names)]
