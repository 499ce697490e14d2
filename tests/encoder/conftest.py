"""Fixtures for the encoder tests: a tiny sentence-transformers model made here, so exports take
a fraction of a second, and the torch backend sharing the session's already-loaded model."""

from __future__ import annotations

import pytest

from bot.retrieval.embedder import DEFAULT_MODEL, Embedder, resolve_model

TINY_POOLINGS = {"tiny-cls": ("cls", False), "tiny-mean": ("mean", True)}
"""Folder name -> (pooling mode, normalise?): models unlike the default, to show each keeps its own."""


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, str]:
    """Small random BERT sentence-transformers models (2 layers, width 32) saved as folders, with the
    default model's tokenizer: what a user's own ``PIERPOINT_MODEL=/path/to/model`` looks like."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as models
    from transformers import AutoTokenizer, BertConfig, BertModel

    root = tmp_path_factory.mktemp("models")
    tokenizer = AutoTokenizer.from_pretrained(resolve_model(DEFAULT_MODEL)[1])
    torch.manual_seed(0)
    network = BertModel(BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                                   num_attention_heads=2, intermediate_size=64, max_position_embeddings=128))
    network.save_pretrained(root / "bert")
    tokenizer.save_pretrained(root / "bert")
    folders = {}
    for name, (mode, normalise) in TINY_POOLINGS.items():
        transformer = models.Transformer(str(root / "bert"), max_seq_length=64)
        modules = [transformer, models.Pooling(32, pooling_mode=mode)] + ([models.Normalize()] if normalise else [])
        SentenceTransformer(modules=modules, device="cpu").save(str(root / name))
        folders[name] = str(root / name)
    return folders


@pytest.fixture(scope="session")
def torch_embedder(embedder) -> Embedder:
    """The torch backend of the default model, reusing the session's loaded sentence-transformers model."""
    twin = Embedder(DEFAULT_MODEL, backend="torch")
    twin.__dict__["model"] = embedder.model
    return twin
