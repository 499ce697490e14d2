"""The embedding index: built once by ``python -m bot build``, committed, checked at load.

Two files live in ``embeddings/``:

* ``vectors.npz``: unit-length float16 vectors for every passage, every
  sentence window and every annotation (the editors' questions a passage
  answers, see ``corpus/README.md``) (half the memory of float32; rankings are unchanged);
* ``manifest.json``: the model, the dimension, a hash of the corpus files, a
  hash of the exact texts embedded, a hash of the vectors, the passage ids, and
  the question encoder the index was built for (``encoder``: the backend and,
  for ONNX, the exported file's SHA-256).

At load every one of those is checked against the corpus and the configured
model. Anything that does not match raises :class:`StaleIndexError` with the
command that fixes it: a stale index is never served.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bot.retrieval.corpus import Corpus, Passage
from bot.retrieval.embedder import DEFAULT_BACKEND, Embedder
from bot.retrieval.text import split_sentences

FORMAT_VERSION = 2
STORED_DTYPE = np.float16
"""Vectors on disk: half the bytes of float32, rankings unchanged."""
SEARCHED_DTYPE = np.float32
"""Passage vectors as :func:`load_index` returns them: every question multiplies the whole passage matrix,
and numpy has no fast float16 product (a float16 matrix-vector product is several times slower than float32,
converting in chunks per question too: benchmarks/README.md, section 4). Widening float16 to float32 is
exact, so scores and rankings are those of the stored vectors. The float16 array read from disk is not
kept: one copy, not two (the searcher would otherwise hold a float32 copy beside it, 73 MB more at 100k
passages). Sentence rows stay float16: only a shortlist's are multiplied, widened as they are."""
MANIFEST = "manifest.json"
VECTORS = "vectors.npz"
REBUILD = "python -m bot build"


class StaleIndexError(RuntimeError):
    """The committed index cannot be trusted for this corpus and model."""

    def __init__(self, problem: str, fix: str = REBUILD) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem}\nTo fix it, run: {fix}")


def passage_context(passage: Passage) -> str:
    """Who says it and about which influence, in words the model reads with the text.

    "Mickey Down & Konrad Kay on Heat: ..." lets a question about Heat reach a
    paragraph that never names the film, and a question about Kay reach Kay.
    """
    who = passage.speaker or "The journalist"
    return f"{who} on {passage.section}" if passage.section else who


def passage_text_to_embed(passage: Passage) -> str:
    return f"{passage_context(passage)}: {passage.text}"


def sentence_text_to_embed(passage: Passage, spans: list[tuple[int, int]], number: int) -> str:
    """A sentence with the one before it (a "sentence window").

    The window carries what the sentence refers to ("We had this rule...",
    "...which is what you know?"). A three-sentence window (one before, one after)
    was measured too: level on the development questions, one question better on our
    own check set, but the best window's middle sentence, shown in bold, was then often
    not the one that answers; two it stays.
    """
    start = spans[max(0, number - 1)][0]
    return f"{passage_context(passage)}: {passage.text[start:spans[number][1]]}"


def annotation_text_to_embed(annotation: str) -> str:
    """An annotation is embedded as written: it is already in the words a fan would use."""
    return annotation


@dataclass(frozen=True)
class Units:
    """The texts the index embeds, derived from the corpus alone."""

    passage_texts: list[str]
    sentence_texts: list[str]
    sentence_passage: np.ndarray  # (S,) index of the passage each sentence belongs to
    sentence_spans: np.ndarray  # (S, 2) character span of the sentence in its passage
    annotation_texts: list[str] = field(default_factory=list)
    annotation_passage: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # (A,)
    not_answered_texts: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for text in self.passage_texts + self.sentence_texts:
            digest.update(text.encode())
            digest.update(b"\0")
        if self.annotation_texts:  # an unannotated corpus hashes as before
            digest.update(b"annotations\0")
            for text in self.annotation_texts:
                digest.update(text.encode())
                digest.update(b"\0")
        if self.not_answered_texts:
            digest.update(b"not answered\0")
            for text in self.not_answered_texts:
                digest.update(text.encode())
                digest.update(b"\0")
        return digest.hexdigest()


def units_for(corpus: Corpus) -> Units:
    passage_texts, sentence_texts, owners, spans = [], [], [], []
    annotation_texts, annotation_owners = [], []
    for number, passage in enumerate(corpus.passages):
        passage_texts.append(passage_text_to_embed(passage))
        sentences = split_sentences(passage.text)
        for position, span in enumerate(sentences):
            sentence_texts.append(sentence_text_to_embed(passage, sentences, position))
            owners.append(number)
            spans.append(span)
        for annotation in passage.annotations:
            annotation_texts.append(annotation_text_to_embed(annotation))
            annotation_owners.append(number)
    return Units(
        passage_texts=passage_texts,
        sentence_texts=sentence_texts,
        sentence_passage=np.asarray(owners, dtype=np.int32),
        sentence_spans=np.asarray(spans, dtype=np.int32).reshape(-1, 2),
        annotation_texts=annotation_texts,
        annotation_passage=np.asarray(annotation_owners, dtype=np.int32),
        not_answered_texts=[annotation_text_to_embed(q) for q in corpus.not_answered],
    )


@dataclass(frozen=True)
class EmbeddingIndex:
    """Vectors aligned with ``corpus.passages`` and their sentences."""

    model: str
    passage_vectors: np.ndarray  # (P, d) unit length: float16 as built and stored, float32 as loaded (SEARCHED_DTYPE)
    sentence_vectors: np.ndarray  # (S, d) float16, unit length
    sentence_passage: np.ndarray  # (S,) int32
    sentence_spans: np.ndarray  # (S, 2) int32
    annotation_vectors: np.ndarray | None = None  # (A, d) float16, unit length; None: no annotations
    annotation_passage: np.ndarray | None = None  # (A,) int32: the passage each annotation points to
    not_answered_vectors: np.ndarray | None = None  # (N, d) float16: questions no passage answers

    def __post_init__(self) -> None:
        if self.not_answered_vectors is None:
            object.__setattr__(self, "not_answered_vectors",
                               np.zeros((0, self.passage_vectors.shape[1]), dtype=np.float16))
        if self.annotation_vectors is None:
            object.__setattr__(self, "annotation_vectors",
                               np.zeros((0, self.passage_vectors.shape[1]), dtype=np.float16))
        if self.annotation_passage is None:
            object.__setattr__(self, "annotation_passage", np.zeros(0, dtype=np.int32))

    @property
    def dimension(self) -> int:
        return int(self.passage_vectors.shape[1])

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.passage_vectors, self.sentence_vectors, self.sentence_passage,
                                       self.sentence_spans, self.annotation_vectors, self.annotation_passage,
                                       self.not_answered_vectors))


def build_index(corpus: Corpus, embedder: Embedder, *, progress: bool = False,
                units: Units | None = None) -> EmbeddingIndex:
    """Encode every passage and sentence of ``corpus`` (``units``: its texts, if already made)."""
    units = units or units_for(corpus)
    vectors = embedder.encode_for_index(units.passage_texts + units.sentence_texts + units.annotation_texts
                              + units.not_answered_texts, progress=progress)
    count, sentences = len(units.passage_texts), len(units.sentence_texts)
    annotations = count + sentences + len(units.annotation_texts)
    return EmbeddingIndex(
        model=embedder.name,
        passage_vectors=vectors[:count].astype(np.float16),
        sentence_vectors=vectors[count:count + sentences].astype(np.float16),
        sentence_passage=units.sentence_passage,
        sentence_spans=units.sentence_spans,
        annotation_vectors=vectors[count + sentences:annotations].astype(np.float16),
        annotation_passage=units.annotation_passage,
        not_answered_vectors=vectors[annotations:].astype(np.float16),
    )


def _vectors_sha256(*arrays: np.ndarray) -> str:
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def save_index(index: EmbeddingIndex, corpus: Corpus, directory: Path, units: Units | None = None,
               *, encoder: dict[str, Any] | None = None) -> Path:
    """Write ``vectors.npz`` and ``manifest.json`` into ``directory``.

    ``encoder`` is :meth:`Embedder.identity` of the question encoder the index is for.
    """
    directory.mkdir(parents=True, exist_ok=True)
    units = units or units_for(corpus)
    import sentence_transformers

    # A loaded index holds float32 passages (SEARCHED_DTYPE); what is written and hashed is always float16.
    stored = [vectors.astype(STORED_DTYPE, copy=False) for vectors in
              (index.passage_vectors, index.sentence_vectors, index.annotation_vectors, index.not_answered_vectors)]

    manifest = {
        "format": FORMAT_VERSION,
        "model": index.model,
        "dimension": index.dimension,
        "corpus_sha256": corpus.sha256,
        "texts_sha256": units.sha256,
        "vectors_sha256": _vectors_sha256(*stored),
        "passages": len(corpus.passages),
        "sentences": len(units.sentence_texts),
        "annotations": len(units.annotation_texts),
        "not_answered": len(units.not_answered_texts),
        "passage_ids": [p.id for p in corpus.passages],
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "built_with": {"sentence-transformers": sentence_transformers.__version__},
        "encoder": encoder,
    }
    with open(directory / VECTORS, "wb") as handle:
        np.savez(handle, passages=stored[0], sentences=stored[1], annotations=stored[2], not_answered=stored[3])
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return directory / MANIFEST


def _check_encoder(built_for: Any, serving: dict[str, Any]) -> None:
    """Refuse an index built for another question encoder, with the build command for this one."""
    backend = serving["backend"]
    fix = REBUILD if backend == DEFAULT_BACKEND else f"PIERPOINT_BACKEND={backend} {REBUILD}"
    if not isinstance(built_for, dict) or "backend" not in built_for:
        raise StaleIndexError("The index does not record which question encoder it was built for.", fix)
    if built_for["backend"] != backend:
        raise StaleIndexError(f"The index was built for the {built_for['backend']} backend, but the bot is "
                              f"configured to use {backend} (PIERPOINT_BACKEND).", fix)
    if backend == "onnx" and built_for.get("onnx_sha256") != serving.get("onnx_sha256"):
        raise StaleIndexError(
            f"The index was built for another ONNX export of the model (SHA-256 "
            f"{str(built_for.get('onnx_sha256'))[:12]}...), not this one ({serving.get('onnx_sha256', '')[:12]}...).",
            fix,
        )


def load_index(directory: Path, corpus: Corpus, model: str, *,
               encoder: Callable[[], dict[str, Any]] | None = None) -> EmbeddingIndex:
    """Load the committed index, refusing anything stale, mismatched or damaged.

    With ``encoder`` (:meth:`Embedder.identity` of the question encoder in use,
    called last: it may export the model), an index built for another backend
    or another ONNX export is refused too.
    """
    manifest_path, vectors_path = directory / MANIFEST, directory / VECTORS
    if not manifest_path.exists() or not vectors_path.exists():
        raise StaleIndexError(f"There is no embedding index in {directory}/ yet.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as exc:
        raise StaleIndexError(f"{manifest_path} is damaged ({exc}).") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise StaleIndexError(f"{manifest_path} was written by another version of Pierpoint.")
    if manifest.get("model") != model:
        raise StaleIndexError(
            f"The index was built with the model {manifest.get('model')!r}, "
            f"but the bot is configured to use {model!r} (PIERPOINT_MODEL).",
        )
    if manifest.get("corpus_sha256") != corpus.sha256:
        raise StaleIndexError("The corpus has changed since the index was built.")
    units = units_for(corpus)
    if manifest.get("texts_sha256") != units.sha256:
        raise StaleIndexError("The texts the index embeds have changed since it was built (new Pierpoint version?).")
    try:
        data = np.load(vectors_path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError("not an .npz archive")
        with data:
            passages, sentences, annotations = data["passages"], data["sentences"], data["annotations"]
            not_answered = data["not_answered"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise StaleIndexError(f"{vectors_path} is truncated or corrupt ({exc}).") from None
    expected_p = (len(corpus.passages), manifest.get("dimension"))
    expected_s = (len(units.sentence_texts), manifest.get("dimension"))
    expected_a = (len(units.annotation_texts), manifest.get("dimension"))
    expected_n = (len(units.not_answered_texts), manifest.get("dimension"))
    if (passages.shape != expected_p or sentences.shape != expected_s or annotations.shape != expected_a
            or not_answered.shape != expected_n):
        raise StaleIndexError(
            f"{vectors_path} holds {passages.shape[0]} passage, {sentences.shape[0]} sentence and "
            f"{annotations.shape[0]} annotation vectors; the corpus needs {expected_p[0]}, {expected_s[0]} "
            f"and {expected_a[0]}.",
        )
    if manifest.get("vectors_sha256") != _vectors_sha256(passages, sentences, annotations, not_answered):
        raise StaleIndexError(f"{vectors_path} does not match its manifest (corrupt or edited).")
    if encoder is not None:
        _check_encoder(manifest.get("encoder"), encoder())
    return EmbeddingIndex(
        model=model,
        passage_vectors=passages.astype(SEARCHED_DTYPE),  # the float16 one read is freed (see SEARCHED_DTYPE)
        sentence_vectors=sentences.astype(STORED_DTYPE, copy=False),
        sentence_passage=units.sentence_passage,
        sentence_spans=units.sentence_spans,
        annotation_vectors=annotations.astype(STORED_DTYPE, copy=False),
        annotation_passage=units.annotation_passage,
        not_answered_vectors=not_answered.astype(STORED_DTYPE, copy=False),
    )
