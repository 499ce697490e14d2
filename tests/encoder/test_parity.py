"""Both backends agree: the same vectors (to float precision) and the same top passages, for the default
model and for models that pool and normalise differently."""

from __future__ import annotations

import numpy as np
import pytest

from bot.retrieval.embedder import Embedder
from bot.retrieval.index import load_index
from bot.retrieval.search import Retriever
from tests.conftest import INDEX_DIR
from tests.encoder.conftest import TINY_POOLINGS

QUESTIONS = [
    "advice for writers",
    "what does Kay say about luck?",
    "how did they get the show made at HBO?",
    "which Mad Men episode do they love?",
    "did they work in finance before writing?",
    "Michael Mann",
    "what was the writers room like",
    "why is the show so dark",
]
MIN_COSINE = 0.99999
"""ONNX and torch compute the same graph in a different order: float32 rounding, nothing more."""


def test_onnx_and_torch_encode_the_same_vectors(embedder, torch_embedder, corpus):
    texts = QUESTIONS + [p.text for p in corpus.passages[:4]]  # short questions and long paragraphs
    onnx, torch = embedder.encode(texts), torch_embedder.encode(texts)
    assert onnx.shape == torch.shape == (len(texts), 384)
    assert (np.sum(onnx * torch, axis=1) >= MIN_COSINE).all()


def test_both_backends_rank_the_same_passages(retriever, torch_embedder, corpus):
    on_torch = Retriever(corpus, load_index(INDEX_DIR, corpus, torch_embedder.name), torch_embedder)
    for question in QUESTIONS:
        onnx_answer, torch_answer = retriever.ask(question, k=5), on_torch.ask(question, k=5)
        assert [h.passage.id for h in onnx_answer.hits] == [h.passage.id for h in torch_answer.hits], question
        assert [h.highlight for h in onnx_answer.hits] == [h.highlight for h in torch_answer.hits], question


def test_other_models_keep_their_own_pooling_and_normalisation(tiny_models, tmp_path):
    """PIERPOINT_MODEL=/a/folder on the ONNX backend gives what sentence-transformers gives for it: here CLS
    pooling and no normalisation (every pooling mode: test_pooling.py; mean and normalised: the default model)."""
    name = "tiny-cls"
    onnx = Embedder(tiny_models[name], backend="onnx", cache_dir=tmp_path)
    torch = Embedder(tiny_models[name], backend="torch")
    texts = ["a short one", "a longer sentence, to be padded against the short one in the same batch", "x"]
    raw = onnx.onnx.encode(texts)  # the model's own output: normalised only if the model says so
    assert np.allclose(raw, torch.model.encode(texts, normalize_embeddings=False), atol=1e-5)
    assert np.allclose(np.linalg.norm(raw, axis=1), 1.0, atol=1e-5) == TINY_POOLINGS[name][1]
    assert np.allclose(onnx.encode(texts), torch.encode(texts), atol=1e-5)  # what search uses: unit length


def test_default_model_round_trips_through_the_cache_folder(embedder):
    assert (embedder.onnx_folder / "model.onnx.data").stat().st_size > 80_000_000  # the real weights, fp32
    assert embedder.identity()["backend"] == "onnx"
    assert len(embedder.identity()["onnx_sha256"]) == 64


def test_an_unknown_backend_is_refused_by_name():
    with pytest.raises(ValueError, match="PIERPOINT_BACKEND"):
        Embedder(backend="tensorflow")

