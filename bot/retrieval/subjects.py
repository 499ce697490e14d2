"""What an /ask question is about when it asks about one thing: "what do they say about the big short?".

An /ask naming a title that is not one of the twelve influences used to get one of
the twelve's write-ups for a word they share ("short" is in the Mad Men write-up).
This module finds the subject of such a question (:func:`asked_subject`) and says
whether it reads as a title the interviews never talk about (:class:`SubjectCheck`);
the catalogue (:mod:`bot.retrieval.catalogue`, the same decision as ``/influence``)
then says whether it is one of theirs. :meth:`bot.retrieval.search.Retriever.rank`
answers "not in their list" when all three agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.retrieval.lexical import KeywordIndex, analyse

_VERBS = (r"say|says|said|think|thinks|thought|feel|feels|felt|make|makes|made|write|writes|wrote|talk|talks|"
          r"talked|reckon|reckons|like|liked|rate|rated")
_SUBJECT_FORMS = (
    # "what do they say about X", "what did Kay think of X", "how do they feel about X"
    re.compile(rf"^(?:so\s+|and\s+)?(?:what|how)\s+(?:do|does|did|would)\s+(?:[\w’'&]+\s+){{1,3}}?"
               rf"(?:{_VERBS})\s+(?:about|of|on|regarding)\s+(?P<subject>.+)$", re.IGNORECASE),
    # "their thoughts on X", "thoughts on X?", "any views on X"
    re.compile(r"^(?:any\s+|their\s+|your\s+)?(?:thoughts|views?|take|opinions?)\s+(?:on|about|of)\s+(?P<subject>.+)$",
               re.IGNORECASE),
)
_QUESTION_WORDS = re.compile(r"\b(?:what|how|why|who|whom|whose|when|where|which|is|are|was|were|do|does|did|"
                             r"can|could|should|would|will|they|their|them|he|she|his|her)\b", re.IGNORECASE)
_QUOTED = re.compile(r"^[\"“‘'*_](?P<inner>[^\"”’'*_]+)[\"”’'*_]$")
_TRAILING = re.compile(r"[\s?.!]+$")
MIN_SUBJECT_WORDS = 2
"""Content words a subject needs before it can read as a title: one word ("luck", "HBO", "the cast")
is a topic the ranked answer handles; most titles the issue names have two or more."""
MAX_SUBJECT_WORDS = 6
"""...and at most this many: a longer tail is a question, not a name."""
WEAK_ANSWER = 0.40
"""Best passage/sentence/annotation cosine under which an answer to such a subject is no answer.
Probed on titles and topics that are in no eval set: titles not in the list 0.29-0.56, ordinary topics
whose words the corpus never uses together 0.33-0.69 (the rule also needs the catalogue's rejection)."""


def asked_subject(question: str) -> str | None:
    """The one thing ``question`` asks about, as typed, or None.

    "what do they think of margin call?" -> "margin call"; "Their thoughts on The Big Short" ->
    "The Big Short"; a question that is only a short phrase ("margin call?") is its own subject.
    Quotes around the subject are dropped. None for any other question.
    """
    text = _TRAILING.sub("", question.strip())
    for form in _SUBJECT_FORMS:
        match = form.match(text)
        if match:
            return _unquote(match["subject"].strip())
    if text and not _QUESTION_WORDS.search(text) and len(text.split()) <= MAX_SUBJECT_WORDS:
        return _unquote(text)
    return None


def written_as_title(subject: str, question: str) -> bool:
    """Quoted, or every word capitalised ("The Big Short") where it stands in the question."""
    if re.search(rf"[\"“‘'*_]{re.escape(subject)}[\"”’'*_]", question):
        return True
    words = [w for w in subject.split() if w.lower() not in ("of", "the", "a", "an", "and", "to", "in", "on")]
    return len(words) >= MIN_SUBJECT_WORDS and all(w[0].isupper() for w in words) and not question.startswith(subject)


class SubjectCheck:
    """Whether a subject reads as a title the corpus never talks about.

    ``keywords``: the BM25 index of every passage's searchable text (passage, section,
    annotations), asked whether one passage uses all of a subject's words; ``names``: people
    of the corpus (speakers), whose names make a subject a topic ("working with Konrad"),
    not a title.
    """

    def __init__(self, keywords: KeywordIndex, names: Iterable[str]) -> None:
        self._keywords = keywords
        self._names = frozenset(stem for name in names for stem in analyse(name))

    def unused(self, subject: str) -> bool:
        """True when ``subject`` has 2-6 content words, names nobody of the corpus and no
        passage uses all its words: "the big short" (no passage says both "big" and "short"),
        not "british tv" or "the trading floor"."""
        stems = set(analyse(subject))
        if not MIN_SUBJECT_WORDS <= len(stems) <= MAX_SUBJECT_WORDS or stems & self._names:
            return False
        return not self._keywords.together(sorted(stems))


@dataclass(frozen=True)
class UnlistedTitle:
    """An /ask about a title the catalogue rejects: the subject and the passages naming it in passing."""

    subject: str
    why: str  # "a write-up picked for a shared word", "weak answer", "written as a title"


def _unquote(text: str) -> str:
    match = _QUOTED.match(text)
    return match["inner"].strip() if match else text
