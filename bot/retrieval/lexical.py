"""Keyword search: BM25 (the ``bm25s`` library) over stemmed words.

Dense vectors miss rare exact words ("Valhalla", "Casey Bloys"); BM25 finds
them. The two are fused in :mod:`bot.retrieval.search`.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from bot.retrieval.text import words

_STOPWORDS = frozenset(STOPWORDS_EN)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def analyse(text: str) -> list[str]:
    """Stemmed content words: "What does Kay say about luck?" -> ["kay", "say", "luck"]."""
    return [_stem(w.replace("'", "")) for w in words(text) if w not in _STOPWORDS and len(w) > 1]


class KeywordIndex:
    """BM25 over a list of documents; scores every document for a query."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._count = len(documents)
        self._bm25 = bm25s.BM25()
        self._vocabulary: dict[str, int] = {}
        if documents:
            # Token ids as compact int arrays, not lists of strings: at 100k passages this
            # keeps the build's transient memory to tens of MB instead of hundreds.
            ids = [array("i", (self._vocabulary.setdefault(t, len(self._vocabulary)) for t in analyse(d)))
                   for d in documents]
            self._bm25.index((ids, dict(self._vocabulary)), create_empty_token=False, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """One BM25 score per document (zeros when no query word is indexed)."""
        return self.scores_of(analyse(query))

    def scores_of(self, terms: Sequence[str]) -> np.ndarray:
        """:meth:`scores` for a query already analysed (:func:`analyse`)."""
        ids = [self._vocabulary[t] for t in terms if t in self._vocabulary]
        if not ids:
            return np.zeros(self._count, dtype=np.float32)
        return self._bm25.get_scores(ids)

    def unknown_words(self, query: str) -> list[str]:
        """The query's stemmed content words that no document contains."""
        return self.unknown_of(analyse(query))

    def unknown_of(self, terms: Sequence[str]) -> list[str]:
        """:meth:`unknown_words` for a query already analysed (:func:`analyse`)."""
        return [t for t in terms if t not in self._vocabulary]

    def together(self, terms: Sequence[str]) -> bool:
        """Whether one document contains every one of ``terms`` (analysed stems; False for none).

        Read from BM25's own term-to-document matrix (compressed sparse columns), so no
        per-document word sets are kept: at 100k passages those would cost hundreds of MB.
        """
        if not terms or any(t not in self._vocabulary for t in terms):
            return False
        matrix = self._bm25.scores
        common: np.ndarray | None = None
        for term in sorted(set(terms), key=lambda t: self._documents_with(t, matrix).size):
            documents = self._documents_with(term, matrix)
            common = documents if common is None else np.intersect1d(common, documents, assume_unique=True)
            if not common.size:
                return False
        return True

    def _documents_with(self, term: str, matrix: dict) -> np.ndarray:
        token = self._vocabulary[term]
        return matrix["indices"][matrix["indptr"][token]: matrix["indptr"][token + 1]]

    @property
    def nbytes(self) -> int:
        scores = getattr(self._bm25, "scores", None) or {}
        return sum(a.nbytes for a in scores.values() if isinstance(a, np.ndarray))
