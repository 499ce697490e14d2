"""Search: the one call every front end makes.

``Retriever.ask(question)`` ranks passages by fusing five ranked lists with
reciprocal rank fusion (RRF):

* dense, whole passage: the question's vector against each paragraph embedded
  with its context (speaker, influence, article);
* dense, best sentence: the same vector against each sentence, so one precise
  sentence inside a long paragraph is not drowned out;
* BM25 keywords (over the passage and its annotations), for rare exact words the vectors blur;
* the annotations: the editors' questions each passage answers, in a fan's words
  (``corpus/README.md``), against the question's vector;
* the influence catalogue, when the question names a title ("which Mad Men
  episode...") or is one ("Bennett Miller").

Then it honours a named speaker ("what does Kay say about luck?") and prefers
the creators' own words to the journalist's paraphrase of them. A question
whose best passage is under a calibrated similarity, or that sits closer to an
example of what the interviews do not answer (``corpus/not-answered.txt``) than
to any passage (or nearly as close, when the example shares a word of the question's the
corpus never uses), gets "no good match" rather than noise; a single word the corpus uses
is a keyword lookup. :meth:`Retriever.explain`
returns every step for ``python -m bot explain``.

``Retriever.influence(title)`` looks a title up in the catalogue
(:mod:`bot.retrieval.catalogue`) and returns the write-up.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from bot.retrieval.catalogue import Catalogue, Lookup, mentioned_in, title_words
from bot.retrieval.corpus import Corpus, Influence, Passage, load_corpus, split_speakers
from bot.retrieval.embedder import DEFAULT_BACKEND, Embedder
from bot.retrieval.heap import release_freed_heap
from bot.retrieval.index import EmbeddingIndex, load_index
from bot.retrieval.lexical import KeywordIndex, analyse
from bot.retrieval.question import QuestionPreparer
from bot.retrieval.speakers import SpeakerFinder, SpeakerQuery
from bot.retrieval.subjects import WEAK_ANSWER, SubjectCheck, UnlistedTitle, asked_subject, written_as_title
from bot.retrieval.text import clean_query, find_name, has_words, split_sentences

log = logging.getLogger(__name__)

RRF_K = 5
"""RRF's damping constant; small because the lists are short and their heads matter most."""
WEIGHTS = {"passage": 0.5, "sentence": 1.0, "keywords": 1.0, "annotations": 1.0, "catalogue": 1.0}
"""The whole-passage list at half weight: the same model as the sentence list, so counting it fully
double-counts the vectors. Measured on the development questions and our own check set together."""
SHORTLIST = 100
"""Passages per list that get sentence-level scoring; all of them on the real corpus."""
DESCRIBED_WEIGHT = 3.0
"""Extra weight of the catalogue list, times the catalogue's confidence, when a question names an
influence by its credits ("the pacino film"): as much as the three text lists together, which cannot
see the influence because its credits are not in the passages' text."""
MIN_RELEVANCE = 0.25
"""Best cosine under which a question gets "no good match". Calibrated on 55 on-topic questions
(all pass: the lowest was 0.25, or 0.16 rescued by BM25) against 25 off-topic ones (weather, trivia,
greetings: most refused). tests/retrieval/test_search.py checks both sides."""
NOT_ANSWERED_MARGIN = -0.03
"""A question whose closest editor's example of an unanswered question (``corpus/not-answered.txt``)
is nearer than its best passage, sentence or annotation, less this margin, gets "no good match".
Negative: the examples are short questions like the fan's, so they sit a little closer than
passages do. Calibrated on the development no_answer questions and the examples themselves
(each left out in turn) against every answerable development question; our own check set
confirms it (see the closing note of issue 9)."""
SHARED_WORD_MARGIN = -0.15
"""A wider margin for an unanswered example that also uses a word of the question's that no passage or
annotation uses ("food" in "what's Mickey Down's favourite food?" and "what food do they like?"): the
shared missing word is the question's subject, so the example need not beat the passages by as much.
Swept from -0.05 to -0.4 on the development questions (every no_answer refused from -0.15 on, one
answerable question more refused) and checked on our own set's totals (closing note of issue 9, round 2)."""
ANNOTATION_MATCH = 0.6
"""An annotation at least this close (cosine) is the fan's question in other words: its passage's fused
score gets the excess on top (0.9 adds 0.3, where first place in every list is 1.0). Rank fusion alone
would weigh a near-paraphrase like any first place; measured on both question sets."""
MIN_KEYWORD_SCORE = 2.0
"""A BM25 score that rescues a passage the vectors missed (rare exact words)."""
KEYWORD_LOOKUP_WORDS = 1
"""A question of at most this many content words, every one a word the corpus uses ("scaffold"), is a
keyword lookup: the passages using it are kept whatever their BM25 score (a lone word's vector is weak
and a word used in several passages scores low), and it is never off topic. Measured on both sets
(closing note of issue 9, round 2): one more development question answered, nothing else changed."""
NARRATION_FACTOR = 0.8
"""The journalist's paraphrase ranks under the creators' own words."""
OTHER_SPEAKER_FACTOR = 0.45
"""When a question names a speaker, passages by someone else rank this much lower."""
SHARED_SPEAKER_FACTOR = 0.75
"""...and passages they wrote jointly ("we") rank a little lower."""
LEAD_IN_SHARE = 1.0
"""A quote ranks at least this share of the journalist's lead-in to it."""
MAX_RESULTS = 25


@dataclass(frozen=True)
class Hit:
    """One passage returned for a query."""

    passage: Passage
    score: float
    highlight: tuple[int, int] | None = None
    """Character span of the sentence that best matches the query, if any."""

    @property
    def highlighted_sentence(self) -> str | None:
        return self.passage.text[self.highlight[0]: self.highlight[1]] if self.highlight else None

    def to_dict(self) -> dict[str, Any]:
        """The batch-mode shape: text exactly as in the corpus, plus attribution."""
        p = self.passage
        return {
            "text": p.text,
            "speaker": p.speaker,
            "article": p.article.title,
            "publication": p.article.publication,
            "url": p.article.url,
            "section": p.section,
            "score": round(float(self.score), 4),
        }


@dataclass(frozen=True)
class Answer:
    """What ``ask`` found. ``problem`` explains an empty ``hits`` in words a fan understands."""

    question: str
    hits: tuple[Hit, ...]
    speaker: str | None = None
    problem: str | None = None
    notice: str | None = None
    """A short line for the fan when part of a long message was left out (see bot.retrieval.question)."""
    unlisted: str | None = None
    """The title asked about, as typed, when it is not one of the twelve influences (``problem`` says so)."""


@dataclass(frozen=True)
class InfluenceAnswer:
    """What ``influence`` found: the write-up, or the closest titles and passing mentions."""

    query: str
    influence: Influence | None
    hits: tuple[Hit, ...]
    mentioned_title: str | None = None
    suggestions: tuple[Influence, ...] = field(default=())
    problem: str | None = None
    candidates: tuple[Influence, ...] = field(default=())
    """Influences that fit the description about equally; ``problem`` asks which one."""
    credit_line: str | None = None
    """The influence's public credits in one line ("1995 · Michael Mann · Al Pacino, ..."), the
    bot's own text from corpus/influences.toml, never the creators' words."""


@dataclass(frozen=True)
class Refusal:
    """Why a question gets "no good match", or not.

    ``answered``: the best cosine of any passage, sentence window or annotation;
    ``unanswered``: that of the closest example in ``corpus/not-answered.txt`` (``closest``);
    ``unknown_words``: the question's stemmed words that no passage or annotation uses;
    ``shared``: the closest example that uses one of them too (``SHARED_WORD_MARGIN``) and its cosine
    (None and -inf when there is none); ``reason``: why it is refused ("off topic", "closer to an
    unanswered example", "shares a missing word with an unanswered example") or None.
    """

    refused: bool
    off_topic: bool
    answered: float
    unanswered: float
    closest: str | None
    unknown_words: tuple[str, ...]
    shared: str | None = None
    shared_score: float = -np.inf
    reason: str | None = None
    lookup: bool = False
    """One word the corpus uses (``KEYWORD_LOOKUP_WORDS``): its passages are kept and it is never off topic."""


class RankedList:
    """One ranked list over the shortlist: each passage's score and 1-based rank (inf: not in the list)."""

    def __init__(self, scores: np.ndarray, keep: np.ndarray | None = None) -> None:
        self.scores = scores
        self.ranks = _ranks(scores, keep)


@dataclass(frozen=True)
class Scoring:
    """What :meth:`Retriever.score` computed for one question (arrays are over ``shortlist``).

    ``fused`` is the weighted RRF of ``lists`` plus any near-paraphrase annotation's
    bonus (see ``ANNOTATION_MATCH``), scaled to (0, 1]; each of
    ``rules`` multiplies it (1.0 = no change); ``final`` is the product, ``order``
    the positions kept, best first. ``python -m bot explain`` prints all of it.
    """

    question: str
    asked: SpeakerQuery
    shortlist: np.ndarray
    lists: dict[str, RankedList]
    fused: np.ndarray
    rules: dict[str, np.ndarray]
    final: np.ndarray
    order: np.ndarray
    best_sentence: np.ndarray
    refusal: Refusal


EMPTY_QUESTION = "Ask a question in words, for example: advice for writers."
NO_MATCH = "Mickey Down and Konrad Kay don't talk about that in these interviews."
EMPTY_TITLE = "Give a film or TV title, for example: heat."
MENTIONED_ONLY = "Not in their list of influences; they only mention it in passing."


BLAS_THREADS = 1
"""Threads numpy's BLAS (OpenBLAS) may use, set process-wide when a Retriever is made. Scoring is
matrix-vector products, bound by memory bandwidth: a second thread gains little alone and, when other
processes or a concurrent search hold the CPUs, makes each product wait for a stalled thread. Measured at
100k passages on 2 busy CPUs: 5-6 ms per product with 1 thread, 3-40 ms with 2 (benchmarks/README.md, section
4). Only BLAS: onnxruntime has its own single thread (bot.encoder) and torch's OpenMP pool is left alone."""
WIDE_SENTENCES_MAX_BYTES = 16 * 1024 * 1024
"""Largest float32 copy of the sentence vectors kept beside the float16 ones. Widening the shortlisted rows
costs about 0.1 ms per question on the real corpus (numpy converts float16 slowly), a tenth of everything
but the encode; a copy under this size (the real corpus: 0.3 MB) saves it, while a large corpus (100k
passages: hundreds of MB) keeps widening only its shortlist (benchmarks/README.md, section 4)."""


class Retriever:
    """Search over the corpus with a loaded index and model."""

    def __init__(self, corpus: Corpus, index: EmbeddingIndex, embedder: Embedder) -> None:
        self.corpus = corpus
        self.index = index
        self.embedder = embedder
        self.catalogue = Catalogue(corpus, encode=embedder.encode)
        self.speakers = SpeakerFinder(corpus.speakers)
        self.keywords = KeywordIndex([_keyword_document(p) for p in corpus.passages])
        self.subjects = SubjectCheck(self.keywords, corpus.speakers)
        owners = index.sentence_passage
        self._sentence_start = np.searchsorted(owners, np.arange(len(corpus.passages)), side="left")
        self._sentence_end = np.searchsorted(owners, np.arange(len(corpus.passages)), side="right")
        self._position = {p.id: n for n, p in enumerate(corpus.passages)}
        self._narration = np.array([p.speaker is None for p in corpus.passages])
        self._lead_ins = _lead_ins(corpus.passages)
        shared: dict[str | None, frozenset[str]] = {}  # a handful of distinct speakers, one set each
        self._speaker_sets = [shared.setdefault(p.speaker, frozenset(split_speakers(p.speaker)))
                              for p in corpus.passages]
        # numpy has no fast float16 product: passages (scored all at once) are float32 for BLAS, as load_index
        # returns them (no copy then); sentences stay float16 and only the shortlisted rows are converted
        # (see bot.retrieval.index.SEARCHED_DTYPE).
        self._passage_matrix = np.asarray(index.passage_vectors, dtype=np.float32)
        threadpool_limits(limits=BLAS_THREADS, user_api="blas")
        self._sentence_matrix = index.sentence_vectors
        wide_bytes = self._sentence_matrix.size * np.dtype(np.float32).itemsize
        self._wide_sentences = (np.asarray(self._sentence_matrix, dtype=np.float32)
                                if wide_bytes <= WIDE_SENTENCES_MAX_BYTES else None)
        # Editors' questions (a few per passage, a few dozen unanswered ones): small, so plain numpy float32.
        self._annotation_matrix = np.asarray(index.annotation_vectors, dtype=np.float32)
        self._annotation_passage = np.asarray(index.annotation_passage, dtype=np.int64)
        self._not_answered_matrix = np.asarray(index.not_answered_vectors, dtype=np.float32)
        self._not_answered_words = [frozenset(analyse(example)) for example in corpus.not_answered]

    @classmethod
    def load(cls, corpus_dir: Path, index_dir: Path, model: str, *, backend: str = DEFAULT_BACKEND,
             cache_dir: Path | None = None) -> Retriever:
        """Load corpus, committed index and model; nothing is encoded but the questions.

        ``backend`` and ``cache_dir``: see :class:`bot.retrieval.embedder.Embedder`.
        """
        corpus = load_corpus(corpus_dir)
        embedder = Embedder(model, backend, cache_dir)
        index = load_index(index_dir, corpus, embedder.name, encoder=embedder.identity)
        retriever = cls(corpus, index, embedder)
        release_freed_heap()  # what the index checks and the search tables' build freed (bot.retrieval.heap)
        return retriever

    def warm_up(self) -> None:
        """Load the model (and the tokenizer and language detector) now rather than on the first question,
        and encode the influences' premises."""
        self.embedder.encode_one("warm up")
        self.questions.prepare("warm up the language check")
        self.catalogue.warm_up()

    # -- ask ----------------------------------------------------------------
    @cached_property
    def questions(self) -> QuestionPreparer:
        """Language check and token-budget cut with this model's tokenizer (bot.retrieval.question)."""
        return self.embedder.question_preparer()

    def ask(self, question: str, k: int = 3) -> Answer:
        """The ``k`` passages that best answer ``question``, best first."""
        prepared = self.questions.prepare(question)
        cleaned = prepared.text
        if not has_words(cleaned):
            return Answer(cleaned, (), problem=EMPTY_QUESTION)
        if prepared.problem:
            return Answer(cleaned, (), problem=prepared.problem)
        asked = self.speakers.find(cleaned)
        vector = self.embedder.encode_one(asked.topic)
        answer = self.rank(cleaned, asked, vector, k)
        return replace(answer, notice=prepared.notice or answer.notice)

    def rank(self, question: str, asked: SpeakerQuery, vector: np.ndarray, k: int) -> Answer:
        """Everything after the encode: scoring, fusion, speaker, threshold."""
        k = max(1, min(int(k), MAX_RESULTS))
        scoring = self.score(question, asked, vector)
        unlisted = self.unlisted_title(scoring)
        if unlisted:
            return self._not_listed_answer(question, asked, unlisted)
        if scoring.refusal.refused:
            return Answer(question, (), asked.speaker, problem=NO_MATCH)
        hits = tuple(
            Hit(self.corpus.passages[scoring.shortlist[i]], float(scoring.final[i]), _span(scoring.best_sentence[i]))
            for i in scoring.order[:k]
        )
        return Answer(question, hits, asked.speaker)

    def score(self, question: str, asked: SpeakerQuery, vector: np.ndarray) -> Scoring:
        """Every ranked list, the fusion and the rules, for the shortlisted passages."""
        query = np.asarray(vector, dtype=np.float32)
        dense = self._passage_matrix @ query
        terms = analyse(asked.topic)  # once: BM25, the unknown words and the keyword-lookup test
        keyword = self.keywords.scores_of(terms)
        shortlist = _shortlist(dense, keyword)
        best_sentence, sentence_score = self._sentences(shortlist, query)
        annotation_score = self._annotations(query)[shortlist]
        keyword_short = keyword[shortlist]
        relevance = np.maximum(dense[shortlist], sentence_score)
        titled, described = self._titled_passages(question, shortlist)
        lists = {
            "passage": RankedList(dense[shortlist]),
            "sentence": RankedList(sentence_score),
            "keywords": RankedList(keyword_short, keyword_short > 0),
            "annotations": RankedList(annotation_score, np.isfinite(annotation_score)),
            "catalogue": RankedList(relevance, titled),
        }
        # A question that names an influence by its credits lifts the catalogue list by the catalogue's confidence.
        weights = {**WEIGHTS, "catalogue": WEIGHTS["catalogue"] + DESCRIBED_WEIGHT * described}
        fused = sum(weights[name] / (RRF_K + ranked.ranks) for name, ranked in lists.items())
        fused = fused / sum(weights[name] / (RRF_K + 1) for name in lists)
        fused = fused + np.clip(np.nan_to_num(annotation_score, neginf=0.0) - ANNOTATION_MATCH, 0.0, None)
        fused = fused / (2.0 - ANNOTATION_MATCH)  # scores stay in (0, 1]: 1.0 = first everywhere, exact annotation
        rules = {"quote over lead-in": self._lift_quotes(fused, shortlist) / np.maximum(fused, 1e-12),
                 "narration": np.where(self._narration[shortlist], NARRATION_FACTOR, 1.0)}
        if asked.speaker:
            rules["speaker"] = self._speaker_factors(asked.speaker, shortlist)
        final = fused.copy()
        for factor in rules.values():
            final = final * factor
        unknown = tuple(self.keywords.unknown_of(terms))
        lookup = not unknown and 0 < len(terms) <= KEYWORD_LOOKUP_WORDS
        keep = (relevance >= MIN_RELEVANCE) | (keyword_short >= MIN_KEYWORD_SCORE) | titled
        if lookup:
            keep |= keyword_short > 0
        ranked = np.argsort(-final, kind="stable")
        order = ranked[keep[ranked]].astype(np.int64, copy=False)
        refusal = self._refusal(asked, vector, relevance, annotation_score, keyword_short, titled, unknown, lookup)
        return Scoring(question, asked, shortlist, lists, fused, rules, final, order, best_sentence, refusal)

    def _refusal(self, asked: SpeakerQuery, vector: np.ndarray, relevance: np.ndarray,
                 annotation_score: np.ndarray, keyword: np.ndarray, titled: np.ndarray,
                 unknown: tuple[str, ...], lookup: bool) -> Refusal:
        """Whether the corpus answers the question at all (see MIN_RELEVANCE, NOT_ANSWERED_MARGIN)."""
        answered = float(max(relevance.max(), annotation_score.max()))
        closest, unanswered = None, -np.inf
        if len(self._not_answered_matrix):
            sims = self._not_answered_matrix @ np.asarray(vector, dtype=np.float32)
            closest, unanswered = self.corpus.not_answered[int(sims.argmax())], float(sims.max())
        shared, shared_score = None, -np.inf
        if unknown and len(self._not_answered_matrix):
            using = np.array([bool(set(unknown) & words) for words in self._not_answered_words])
            if using.any():
                best = int(np.flatnonzero(using)[sims[using].argmax()])
                shared, shared_score = self.corpus.not_answered[best], float(sims[best])
        off_topic = bool(relevance.max() < MIN_RELEVANCE and keyword.max() < MIN_KEYWORD_SCORE
                         and not (lookup and keyword.max() > 0))
        # Only a question with a word the corpus never uses can be one it does not answer.
        # A question asking for a creator's words ("what does Kay say about...") asks for their view, which
        # is what the interviews are; the examples are facts outside them, so only a shared missing word counts.
        not_answered = (unanswered > answered + NOT_ANSWERED_MARGIN and bool(unknown)
                        and not asked.speaker)
        shares_missing = shared_score > answered + SHARED_WORD_MARGIN
        reason = None
        if not titled.any():
            reason = ("off topic" if off_topic else "closer to an unanswered example" if not_answered else
                      "shares a missing word with an unanswered example" if shares_missing else None)
        return Refusal(reason is not None, off_topic, answered, unanswered, closest, unknown,
                       shared, shared_score, reason, lookup)

    def _lift_quotes(self, fused: np.ndarray, shortlist: np.ndarray) -> np.ndarray:
        """A quote ranks at least as high as the journalist's sentence leading into it.

        "Down's advice to aspiring writers is just to make something" paraphrases
        the answer printed under it; a fan asking for the advice wants the answer.
        """
        where = np.full(len(self.corpus.passages), -1)
        where[shortlist] = np.arange(len(shortlist))
        lead_in, quote = where[self._lead_ins[:, 0]], where[self._lead_ins[:, 1]]
        both = (lead_in >= 0) & (quote >= 0)
        lifted = fused.copy()
        np.maximum.at(lifted, quote[both], fused[lead_in[both]] * LEAD_IN_SHARE)
        return lifted

    def _sentences(self, shortlist: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best sentence span and its similarity for each shortlisted passage (vectorised)."""
        starts = self._sentence_start[shortlist]
        counts = self._sentence_end[shortlist] - starts
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
        total = int(counts.sum())
        rows = np.repeat(starts - offsets, counts) + np.arange(total)
        if self._wide_sentences is None:
            sims = self._sentence_matrix[rows].astype(np.float32) @ query
        elif total == len(self._wide_sentences):  # every sentence (a small corpus): no gather
            sims = self._wide_sentences @ query
        else:
            sims = self._wide_sentences[rows] @ query
        group = np.repeat(np.arange(len(shortlist)), counts)
        best_first = np.lexsort((-sims, group))[offsets]
        return self.index.sentence_spans[rows[best_first]], sims[best_first]

    def _annotations(self, query: np.ndarray) -> np.ndarray:
        """Each passage's best cosine over its annotations; -inf for a passage with none. Shape (P,)."""
        best = np.full(len(self.corpus.passages), -np.inf, dtype=np.float32)
        if len(self._annotation_passage):
            np.maximum.at(best, self._annotation_passage, self._annotation_matrix @ query)
        return best

    def _titled_passages(self, question: str, shortlist: np.ndarray) -> tuple[np.ndarray, float]:
        """Which shortlisted passages belong to a title the question names, is or describes
        by its credits ("the pacino film"), and how sure the catalogue is of a description (0-1)."""
        entries = self.catalogue.named_in(question)
        # Titles written out are found by the text lists too; the credits only add what they cannot see.
        described = [(influence, confidence) for influence, confidence in self.catalogue.described_in(question)
                     if self.catalogue.entry_of(influence) not in entries]
        entries += [self.catalogue.entry_of(i) for i, _ in described]
        if len(question.split()) <= 4:
            # The title way of Catalogue.lookup only: its description and premise ways (a second encode) are not used.
            entry = self.catalogue.title_entry(question)
            if entry and entry not in entries:
                entries.append(entry)
        if not entries:
            return np.zeros(len(shortlist), dtype=bool), 0.0
        wanted = [self._position[p.id] for entry in entries for p in entry.passages]
        return np.isin(shortlist, wanted), max((confidence for _, confidence in described), default=0.0)

    def unlisted_title(self, scoring: Scoring) -> UnlistedTitle | None:
        """The title an /ask question is about, when it is not one of the twelve influences.

        The question asks about one thing (:func:`~bot.retrieval.subjects.asked_subject`) that
        reads as a name no passage uses (:meth:`~bot.retrieval.subjects.SubjectCheck.unused`),
        the catalogue rejects it as ``/influence`` would (``how == "none"``), no influence's title is
        among its words, and either the fan wrote it as a title (quoted, capitalised) or the ranked
        answer is no answer to it: every cosine is under ``WEAK_ANSWER`` and the first passage is one
        of the twelve's write-ups, picked for a word they share ("the big short"), or the subject has
        a word no passage uses ("margin call"; "money and class" is answered).
        """
        subject = asked_subject(scoring.asked.topic)
        if not subject or not self.subjects.unused(subject) or self.catalogue.lookup(subject).how != "none":
            return None
        typed = set(title_words(subject).split())
        if any(set(title_words(i.title).split()) <= typed for i in self.corpus.influences):
            return None  # one of theirs is named too, lower case and all ("heat code quote"): the answer stands
        if written_as_title(subject, scoring.question):
            return UnlistedTitle(subject, "written as a title")
        if scoring.refusal.answered >= WEAK_ANSWER:
            return None  # "cinéma vérité": a write-up that uses the word is an answer
        first = self.corpus.passages[scoring.shortlist[scoring.order[0]]] if len(scoring.order) else None
        if first is not None and first.section in self._influence_titles:
            return UnlistedTitle(subject, f"every cosine under {WEAK_ANSWER}; the first passage is the "
                                          f"{first.section} write-up, for a shared word")
        unknown = set(scoring.refusal.unknown_words) & set(analyse(subject))
        if unknown:
            return UnlistedTitle(subject, f"every cosine under {WEAK_ANSWER}; words no passage uses: "
                                          f"{', '.join(sorted(unknown))}")
        return None

    def _not_listed_answer(self, question: str, asked: SpeakerQuery, unlisted: UnlistedTitle) -> Answer:
        """ "not in their list", with the passages that name the title in passing, as ``/influence`` does."""
        hits = tuple(Hit(p, 0.5, _sentence_naming(p, [unlisted.subject]))
                     for p in mentioned_in(self.corpus.passages, [unlisted.subject]))
        if hits:  # the notice is shown above the passages; it holds no user text
            return Answer(question, hits, asked.speaker, problem=_not_listed(unlisted.subject),
                          notice=MENTIONED_ONLY, unlisted=unlisted.subject)
        problem = f"{_not_listed(unlisted.subject)[:-1]}, and they don't talk about it in these interviews."
        return Answer(question, (), asked.speaker, problem=problem, unlisted=unlisted.subject)

    @cached_property
    def _influence_titles(self) -> frozenset[str]:
        return frozenset(i.title for i in self.corpus.influences)

    def _speaker_factors(self, speaker: str, shortlist: np.ndarray) -> np.ndarray:
        wanted = frozenset(split_speakers(speaker))
        said_by = [self._speaker_sets[position] for position in shortlist]
        return np.array([
            1.0 if people == wanted else SHARED_SPEAKER_FACTOR if people & wanted else OTHER_SPEAKER_FACTOR
            for people in said_by
        ])

    def explain(self, question: str) -> Scoring | None:
        """What ``ask`` computes for ``question``, for maintainers; None for a question with no words."""
        cleaned = clean_query(question)
        if not has_words(cleaned):
            return None
        asked = self.speakers.find(cleaned)
        return self.score(cleaned, asked, self.embedder.encode_one(asked.topic))

    # -- influence -------------------------------------------------------------
    def influence(self, title: str) -> InfluenceAnswer:
        """The write-up of one influence, found however the title is typed."""
        cleaned = clean_query(title)
        if not has_words(cleaned):
            return InfluenceAnswer(cleaned, None, (), problem=EMPTY_TITLE)
        lookup = self.catalogue.lookup(cleaned)
        if lookup.influence:
            return self._writeup(cleaned, lookup)
        if lookup.candidates:
            return InfluenceAnswer(cleaned, None, (), candidates=lookup.candidates,
                                   problem=_which_one(lookup.candidates))
        if lookup.mention:
            names = lookup.entry.names if lookup.entry else ()
            hits = tuple(Hit(p, lookup.score, _sentence_naming(p, names)) for p in lookup.mention.passages)
            return InfluenceAnswer(cleaned, None, hits, lookup.mention.title, self.catalogue.suggest(cleaned),
                                   problem=_not_listed(lookup.mention.title))
        # Only a distinctive title is searched for in passing ("the" or "show" would match everything).
        passages = mentioned_in(self.corpus.passages, [cleaned]) if title_words(cleaned) else []
        hits = tuple(Hit(p, 0.5, _sentence_naming(p, [cleaned])) for p in passages)
        return InfluenceAnswer(cleaned, None, hits, cleaned if hits else None, lookup.suggestions,
                               problem=_not_listed(cleaned))

    def _writeup(self, query: str, lookup: Lookup) -> InfluenceAnswer:
        influence = lookup.influence
        assert influence is not None
        own = [Hit(p, lookup.score) for p in influence.passages]
        names = [influence.title, *influence.aliases]
        elsewhere = [Hit(p, lookup.score / 2, _sentence_naming(p, names))
                     for p in mentioned_in(self.corpus.passages, names, exclude=influence.passages)]
        credits = self.catalogue.credits_of(influence)
        return InfluenceAnswer(query, influence, tuple(own + elsewhere),
                               credit_line=credits.credit_line() if credits else None)

    def influences(self) -> tuple[Influence, ...]:
        return self.corpus.influences


def _keyword_document(passage: Passage) -> str:
    """What BM25 indexes: the passage, the influence it writes up and its annotations
    (the fan's words for what it says: "music" for a paragraph that says "score")."""
    return " ".join([passage.section or "", passage.text, *passage.annotations])


def _span(row: np.ndarray) -> tuple[int, int]:
    return int(row[0]), int(row[1])


def _lead_ins(passages: tuple[Passage, ...]) -> np.ndarray:
    """(narration, quote) position pairs: the journalist's paragraph right before
    a speaker's answer in an interview introduces that answer."""
    pairs = [
        (n, n + 1)
        for n, (before, after) in enumerate(itertools.pairwise(passages))
        if before.speaker is None and after.speaker and after.section is None and before.article == after.article
    ]
    return np.asarray(pairs, dtype=np.int64).reshape(-1, 2)


def _shortlist(dense: np.ndarray, keyword: np.ndarray) -> np.ndarray:
    """Positions worth scoring sentence by sentence, in corpus order."""
    if len(dense) <= SHORTLIST:
        return np.arange(len(dense))
    top_dense = np.argpartition(-dense, SHORTLIST)[:SHORTLIST]
    top_keyword = np.argpartition(-keyword, SHORTLIST)[:SHORTLIST]
    top_keyword = top_keyword[keyword[top_keyword] > 0]
    return np.union1d(top_dense, top_keyword)


def _ranks(scores: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """1-based rank of each score (best = 1); positions not kept rank at infinity."""
    ranks = np.full(len(scores), np.inf)
    positions = np.arange(len(scores)) if keep is None else np.flatnonzero(keep)
    ranks[positions[np.argsort(-scores[positions], kind="stable")]] = np.arange(1, len(positions) + 1)
    return ranks


def _sentence_naming(passage: Passage, names: list[str] | tuple[str, ...]) -> tuple[int, int] | None:
    """The span of the first sentence that names any of ``names``."""
    for start, end in split_sentences(passage.text):
        if any(find_name(passage.text[start:end], name) for name in names):
            return start, end
    return None


def _which_one(candidates: tuple[Influence, ...]) -> str:
    titles = [f"{i.title} ({i.years})" for i in candidates]
    listed = ", ".join(titles[:-1]) + f" or {titles[-1]}"
    return f"That fits {len(titles)} of their influences: {listed}. Which one? Add a name or a detail."


def _not_listed(title: str) -> str:
    return f"{title} is not in their list of influences."
