"""Which influence a fan's description fits: "the pacino film", "joan holloway", "the amc show".

Each influence gets a profile of weighted evidence from its credits
(:mod:`bot.retrieval.credits`) and its write-up:

* names (cast, characters, directors, creators, writers, producers, titles and
  nicknames), matched word by word with rapidfuzz so "sevigny", "de nero" and
  "saverin" still count; a surname weighs more than a first name;
* words of the premise, genres, source book, network and studio (stemmed);
* years and decades ("1995", "the 90s");
* words of the creators' write-up, weighing least.

A description is scored against every profile: each of its content words
counts once, with the heaviest evidence it matches. An influence fits when it
accounts for most of the description's words (:data:`MIN_COVERAGE`): a title
that is not theirs ("margin call", "the big short") shares a word at most, so
it is not mistaken for one of the twelve. Influences scoring about as well as
the best (:data:`TIE_SHARE`) are all returned, so the caller can ask which.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.retrieval.corpus import Influence
from bot.retrieval.credits import Credits
from bot.retrieval.lexical import analyse

# -- weights: how much one matched word tells ------------------------------------------
TITLE_WEIGHT = 4.0
"""A word of a title, alternative title or nickname."""
SURNAME_WEIGHT = 3.0
"""The last word of a person's or character's name: what fans type ("sandler", "draper")."""
FIRST_NAME_WEIGHT = 1.5
"""Other words of a name: "adam" is Sandler, Driver and Sackler at once."""
OUTLET_WEIGHT = 2.0
"""A network or studio ("amc", "hbo", "a24")."""
PLACE_WEIGHT = 2.0
"""A word of a place or firm of the story ("croydon", "sterling cooper")."""
YEAR_WEIGHT = 2.0
"""A year of release or on air."""
DECADE_WEIGHT = 1.5
"""A decade ("90s", "1980s") of release, or in the premise."""
STORY_WEIGHT = 1.0
"""A word of the premise, a genre or the source book."""
WRITEUP_WEIGHT = 0.6
"""A word of the creators' own write-up: least, it is their opinion, not the film."""
LEADS = 3
"""The first three billed of a cast are its leads..."""
SUPPORTING_SHARE = 0.7
"""...the rest weigh this share: "christopher abbott" is James White's lead before a Girls regular.
So do co-writers after the first credited, and producers."""
KIND_MISMATCH = 0.5
"""A "film" described as a "show" (or the reverse) keeps this share of its score."""

MIN_COVERAGE = 0.66
"""Share of a description's content words one influence must account for (2 of 3, all of 2)."""
NAMED_MIN_SCORE = 4.5
"""A person's full name (or two surnames) is strong enough evidence that the rest of the
description may be words the credits do not hold ("christian bale with an axe")..."""
NAMED_COVERAGE = 0.5
"""...as long as it accounts for this share of the description's words."""
TIE_SHARE = 0.8
"""Influences scoring at least this share of the best are reported as equally likely."""
NAME_FUZZ = 85.0
"""rapidfuzz ratio (0-100) for a typed word to count as a name's word ("sevingy")."""
PAIR_FUZZ = 80.0
"""...and for two typed words joined against two name words joined ("de nero" ~ "de niro")."""
MIN_FUZZY_LENGTH = 5
"""Shorter words only match a name with one slip (see MIN_TYPO_LENGTH), not by ratio."""
MIN_TYPO_LENGTH = 3
"""Words this long may differ from a name by one letter ("ham" for "Hamm"), when they are not
ordinary words of the corpus ("right" is never "Wright")."""
QUESTION_TYPO_LENGTH = 7
"""In a whole question, only words this long may be typos of a name ("studio" is a word, not "Studi")."""
FACT_WEIGHT = 2.0
"""Matches weighing this much are facts (surname, title, place, network, year), not story words
or first names: a question needs a surname or two facts to name an influence."""
PAIR_MIN_LENGTH = 6
"""Typed words joined, or one typed word, this long are compared with two name words joined."""

FILM_WORDS = frozenset({"film", "films", "movie", "movies", "flick", "picture", "cinema"})
TV_WORDS = frozenset({"show", "shows", "series", "tv", "sitcom", "programme", "program",
                      "season", "seasons", "episode", "episodes", "telly", "television"})
_FILLER_TEXT = """
a an and are as at be but by for if in into is it no not of on or such that the their then there these they
this to was will with what whats which who whom whose where when why how do does did done doing say says said
saying think thinks thought about from like likes liked love loves loved one ones guy guys thing stuff any
some me my i you your we our us he she his her him them its it's that's there's been being have has had get
gets getting got tell talk talks talking mention mentions mentioned anything something more most very really
much lot lots
also just only so can could would should may might make made give gave take took use used go went starring
stars star actor actress acting played plays playing character characters role cast featuring directed
director direction created creator creators written writer writers wrote by film films movie movies flick
picture show shows series tv programme program season seasons episode episodes television classic
old new kind sort bit influence influences influenced inspiration inspirations favourite favorite write-up
writeup down kay mickey konrad creators industry scene scenes famous iconic cameo called named remember
ending
"""
FILLER = frozenset(_FILLER_TEXT.split())
"""Words that carry no fact about a title (question words, "starring", "film" and the like).
"down", "kay", "industry": the interviewees and their show, never a description of an influence."""

_DECADES = {
    "twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
    "seventies": 1970, "eighties": 1980, "nineties": 1990, "noughties": 2000, "aughts": 2000,
}
_DECADE = re.compile(r"^(?:(1[89]|20)?(\d)0)'?s$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_POSSESSIVE = re.compile(r"['’]s$")
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def fold(text: str) -> str:
    """Lower case without accents or apostrophes: "Chloë O'Connor" -> "chloe oconnor"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("'", "").replace("’", "")


def tokens(text: str) -> list[str]:
    """Folded words, possessives dropped: "Robert's" -> "robert"."""
    return [fold(_POSSESSIVE.sub("", w)) for w in _TOKEN.findall(text.lower())]


def decade_of(word: str) -> int | None:
    """"90s", "1990s", "nineties" -> 1990; anything else -> None."""
    if word in _DECADES:
        return _DECADES[word]
    match = _DECADE.match(word)
    if not match:
        return None
    century = {"18": 1800, "19": 1900, "20": 2000}.get(match.group(1) or "")
    tens = int(match.group(2)) * 10
    if century is None:  # "90s": the 1990s; "20s", "10s": this century
        century = 1900 if tens >= 30 else 2000
    return century + tens


@dataclass
class Profile:
    """Everything about one influence a description can match, with weights."""

    influence: Influence
    credits: Credits | None
    names: dict[str, float] = field(default_factory=dict)  # name word -> weight
    pairs: dict[str, float] = field(default_factory=dict)  # two adjacent name words joined -> weight
    words: dict[str, float] = field(default_factory=dict)  # stemmed word -> weight
    years: set[int] = field(default_factory=set)
    decades: set[int] = field(default_factory=set)
    strong: set[str] = field(default_factory=set)  # name words that are surnames or title words
    titles: set[str] = field(default_factory=set)  # words of titles and nicknames (typos: the title path)
    phrases: list[tuple[str, ...]] = field(default_factory=list)  # networks and studios of several words

    def add_name(self, name: str, *, title: bool = False, share: float = 1.0) -> None:
        words = tokens(name)
        for position, word in enumerate(words):
            last = position == len(words) - 1
            weight = share * (TITLE_WEIGHT if title else SURNAME_WEIGHT if last else FIRST_NAME_WEIGHT)
            if word in FILLER and not title:
                continue
            self.names[word] = max(self.names.get(word, 0.0), weight if word not in FILLER else 0.0)
            if title or last:
                self.strong.add(word)
            if title:
                self.titles.add(word)
        for first, second in itertools.pairwise(words):
            joined = first + second
            weight = share * (TITLE_WEIGHT if title else SURNAME_WEIGHT)
            self.pairs[joined] = max(self.pairs.get(joined, 0.0), weight)

    def add_words(self, text: str, weight: float) -> None:
        for stem in analyse(fold(text)):
            if stem not in FILLER:
                self.words[stem] = max(self.words.get(stem, 0.0), weight)
        self.words.pop("", None)
        for word in tokens(text):
            decade = decade_of(word)
            if decade:
                self.decades.add(decade)


def build_profile(influence: Influence, credits: Credits | None) -> Profile:
    profile = Profile(influence, credits)
    profile.add_name(influence.title, title=True)
    for alias in influence.aliases:  # characters' names ("Mark Corrigan"): "mark" alone is not the title
        profile.add_name(alias)
    for name in _credited_people(influence.credit):
        profile.add_name(name)
    if credits:
        for title in (*credits.also_known_as, *credits.nicknames):
            profile.add_name(title, title=True)
        for person in (*credits.directors, *credits.creators):
            profile.add_name(person)
        for billing, person in enumerate(credits.writers):  # "the sorkin film": his own script first
            profile.add_name(person, share=1.0 if billing == 0 else SUPPORTING_SHARE)
        for person in credits.producers:
            profile.add_name(person, share=SUPPORTING_SHARE)
        for billing, member in enumerate(credits.cast):
            share = 1.0 if billing < LEADS else SUPPORTING_SHARE
            profile.add_name(member.actor, share=share)
            for character in re.split(r"\band\b|&|,", member.character):
                profile.add_name(character, share=share)
        for outlet in (*credits.networks, *credits.studios):
            words = [w for w in tokens(outlet) if w not in FILLER]
            for word in words:
                if len(word) > 1:  # "a24" alone, but "4" only in "channel 4" (below)
                    for key in {word, *analyse(word)}:
                        profile.words[key] = max(profile.words.get(key, 0.0), OUTLET_WEIGHT)
            if len(words) > 1:
                profile.phrases.append(tuple(words))
            for first, second in itertools.pairwise(words):  # "lionsgate" for "Lions Gate Films"
                profile.words[first + second] = max(profile.words.get(first + second, 0.0), OUTLET_WEIGHT)
        for place in credits.places:
            profile.add_words(place, PLACE_WEIGHT)
        for text in (credits.premise, *credits.genres, credits.based_on or ""):
            profile.add_words(text, STORY_WEIGHT)
        profile.years.update(credits.years)
        profile.decades.update(year // 10 * 10 for year in credits.years)
    else:
        profile.years.update(int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", influence.years))
        profile.decades.update(y // 10 * 10 for y in profile.years)
    writeup = " ".join(p.text for p in influence.passages)
    for stem in analyse(fold(writeup)):
        if stem not in FILLER and stem not in profile.words:
            profile.words[stem] = WRITEUP_WEIGHT
    return profile


def _credited_people(credit: str) -> list[str]:
    """People in a printed credit: "directed by Josh & Benny Safdie" -> ["Josh", "Benny Safdie"]."""
    bare = re.sub(r"^\s*(directed|created|written)\s+by\s+", "", credit, flags=re.I)
    return [p.strip() for p in re.split(r",|\band\b|&", bare) if p.strip()]


@dataclass(frozen=True)
class Fit:
    """How well one influence fits a description."""

    influence: Influence
    score: float  # sum of the matched words' weights
    coverage: float  # 0-1: share of the description's content words it accounts for
    matched: int  # how many of those words it accounts for
    facts: int  # how many by a name, title, place, network, studio or year (not story or write-up words)
    people: int  # how many by a surname or a character's last name (not a title word)
    named: bool  # at least one surname, character's surname or title word matched


@dataclass(frozen=True)
class Description:
    """A description reduced to what can match: content words, years, decades, the kind asked for."""

    words: tuple[str, ...]
    kind: str | None  # "film", "tv" or None

    @classmethod
    def parse(cls, text: str) -> Description:
        raw = tokens(text)
        kinds = {"film" for w in raw if w in FILM_WORDS} | {"tv" for w in raw if w in TV_WORDS}
        kept = tuple(dict.fromkeys(w for w in raw if w not in FILLER and (len(w) > 1 or w.isdigit())))
        return cls(kept, kinds.pop() if len(kinds) == 1 else None)


class DescriptionIndex:
    """Scores descriptions against the influences' profiles (pure Python, < 1 ms for twelve)."""

    def __init__(self, influences: Sequence[Influence], credits: dict[str, Credits],
                 known_words: Iterable[str] = ()) -> None:
        """``known_words``: ordinary words (the corpus's own), which match a name only
        exactly: "right" is not a misspelt "Wright", "sevingy" may be "Sevigny". Credited
        names are known words too."""
        self.profiles = [build_profile(i, credits.get(i.title)) for i in influences]
        # A word that is some credited name exactly ("leo") is that name, not a slip for another ("leto").
        names = {word for profile in self.profiles for word in profile.names}
        self.known_words = frozenset(fold(w) for w in known_words) | names
        self._pair_keys = sorted({key for profile in self.profiles for key in profile.pairs})
        # Every word a profile matches exactly; one set test rules most profiles out of a question.
        self._exact = [frozenset(profile.names) | frozenset(profile.words) | frozenset(profile.pairs)
                       for profile in self.profiles]

    def fits(self, text: str, *, in_question: bool = False) -> list[Fit]:
        """Every influence that matches at least one word of ``text``, best first.

        ``in_question``: ``text`` is a whole /ask question, not a description, so only
        what cannot be an ordinary word counts: no write-up words, no single title
        words ("a bit mad" is not Mad Men: a title written out is found elsewhere), and
        typos only in long words ("studio" is not Wes Studi).
        """
        description = Description.parse(text)
        if not description.words:
            return []
        # What each typed word is, whichever profile it is matched against: its stems (and itself), year, decade.
        stems = [(*analyse(w), w) for w in description.words]
        years = [int(w) if _YEAR.match(w) else None for w in description.words]
        decades = [decade_of(w) for w in description.words]
        per_word, close = (stems, years, decades), self._close_pairs(description.words)
        # A profile can only match by an exact word, unless a word may be a typo (one the corpus does not use),
        # a year or decade, or part of a network's name (the phrases): then every profile is scored.
        exact_only = (all(w in self.known_words for w in description.words)
                      and not any(y is not None for y in years) and not any(decades))
        typed = {key for keys in stems for key in keys}
        typed.update(key for joined, near in close.values() for key in (joined, *near))
        fits = []
        for profile, exact in zip(self.profiles, self._exact, strict=True):
            if exact_only and not profile.phrases and exact.isdisjoint(typed):
                continue  # _score would find nothing
            score, matched, facts, people, named = self._score(profile, description, per_word, in_question, close)
            if not matched:
                continue
            if description.kind and description.kind != profile.influence.kind:
                score *= KIND_MISMATCH
            fits.append(Fit(profile.influence, score, matched / len(description.words), matched, facts, people,
                            named))
        return sorted(fits, key=lambda f: (-f.score, -f.coverage))

    def best(self, text: str) -> list[Fit]:
        """The influences that fit ``text``: one, several about equally (ambiguous), or none."""
        fits = [f for f in self.fits(text) if f.coverage >= MIN_COVERAGE
                or (f.people and f.score >= NAMED_MIN_SCORE and f.coverage >= NAMED_COVERAGE)]
        if not fits:
            return []
        # Equally likely: about the same score, and accounting for as many of the words.
        tied = [f for f in fits if f.score >= TIE_SHARE * fits[0].score and f.matched >= fits[0].matched]
        if len(tied) > 1 and fits[0].score <= WRITEUP_WEIGHT * fits[0].matched:
            return []  # only words of several write-ups ("the morning show"): nothing to ask about
        return tied

    def _close_pairs(self, words: tuple[str, ...]) -> dict[int, tuple[str, frozenset[str]]]:
        """For each pair of typed words long enough (:data:`PAIR_MIN_LENGTH`), by the first one's position:
        the two joined and every profile's name pair within :data:`PAIR_FUZZ` of it, found in one
        rapidfuzz pass over all the profiles' pairs rather than one comparison per profile."""
        close = {}
        for position in range(len(words) - 1):
            joined = words[position] + words[position + 1]
            if len(joined) >= PAIR_MIN_LENGTH:
                found = process.extract(joined, self._pair_keys, scorer=fuzz.ratio, score_cutoff=PAIR_FUZZ, limit=None)
                close[position] = (joined, frozenset(key for key, _, _ in found))
        return close

    def _score(self, profile: Profile, description: Description,
               per_word: tuple[list[tuple[str, ...]], list[int | None], list[int | None]],
               in_question: bool, close: dict[int, tuple[str, frozenset[str]]]) -> tuple[float, int, int, int, bool]:
        words = description.words
        stems, years, decades = per_word
        best = [0.0] * len(words)
        named, people = False, 0
        for position, word in enumerate(words):
            weight, strong = _name_weight(profile, word, fuzzy=word not in self.known_words,
                                          in_question=in_question)
            named = named or strong
            people += strong and word not in profile.titles
            for stem in stems[position]:
                found = profile.words.get(stem, 0.0)
                if found == WRITEUP_WEIGHT and in_question:
                    found = 0.0
                weight = max(weight, found)
            if years[position] is not None and years[position] in profile.years:
                weight = max(weight, YEAR_WEIGHT)
            decade = decades[position]
            if decade and decade in profile.decades:
                weight = max(weight, DECADE_WEIGHT)
            best[position] = weight
        # A network or studio written out: "channel 4" (the "4" counts only there).
        for phrase in profile.phrases:
            for start in range(len(words) - len(phrase) + 1):
                if tuple(words[start:start + len(phrase)]) == phrase:
                    for position in range(start, start + len(phrase)):
                        best[position] = max(best[position], OUTLET_WEIGHT)
        # Two typed words against two name words: "de nero" ~ "deniro", "leo fitzpatrik".
        for position, (joined, near) in close.items():
            if joined in profile.pairs:  # as _fuzzy_lookup: an exact pair first
                weight = profile.pairs[joined]
            else:
                weight = max((profile.pairs[key] for key in near if key in profile.pairs), default=0.0)
            if weight:
                named = True
                best[position] = max(best[position], weight / 2)
                best[position + 1] = max(best[position + 1], weight / 2)
        matched = sum(1 for w in best if w > 0)
        facts = sum(1 for w in best if w >= FACT_WEIGHT)
        return sum(best), matched, facts, people, named


def _name_weight(profile: Profile, word: str, *, fuzzy: bool, in_question: bool) -> tuple[float, bool]:
    if in_question and word in profile.titles:
        return 0.0, False
    if word in profile.names:
        return profile.names[word], word in profile.strong
    if not fuzzy or len(word) < (QUESTION_TYPO_LENGTH if in_question else MIN_TYPO_LENGTH):
        return 0.0, False
    best, best_word = 0.0, None
    for name_word, weight in profile.names.items():
        if weight > best and name_word not in profile.titles and _is_typo(word, name_word):
            best, best_word = weight, name_word
    if len(word) >= PAIR_MIN_LENGTH:  # "deniro", "mcnairy" typed as one word
        joined = _fuzzy_lookup(profile.pairs, word, PAIR_FUZZ)
        if joined > best:
            return joined, True
    return best, best_word in profile.strong


def _is_typo(typed: str, name_word: str) -> bool:
    """One slip after the first letter ("ham" for "hamm", "olsen" for "olson") or, in
    longer words, a rapidfuzz ratio of :data:`NAME_FUZZ` ("sevingy" for "sevigny")."""
    if len(name_word) < MIN_TYPO_LENGTH:
        return False
    if typed[0] == name_word[0] and Levenshtein.distance(typed, name_word, score_cutoff=1) <= 1:
        return True
    return len(typed) >= MIN_FUZZY_LENGTH and fuzz.ratio(typed, name_word, score_cutoff=NAME_FUZZ) > 0


def _fuzzy_lookup(table: dict[str, float], key: str, cutoff: float) -> float:
    if key in table:
        return table[key]
    return max((w for k, w in table.items() if fuzz.ratio(key, k, score_cutoff=cutoff)), default=0.0)

