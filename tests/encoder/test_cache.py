"""First-run export: a missing cache is exported once (even by two starts at once), a truncated or
corrupt ONNX file is exported again rather than served, and a model the ONNX backend cannot run is
refused with what to do instead."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from bot.encoder.cache import ensure_exported, problem_with
from bot.encoder.export import ExportError, export_model
from bot.retrieval.embedder import Embedder


class Exports:
    """Counts how often the model is loaded for an export, and records the announcements."""

    def __init__(self, folder: str) -> None:
        self.model = Embedder(folder, backend="torch").model
        self.loads = 0
        self.lines: list[str] = []

    def load(self):
        self.loads += 1
        return self.model


@pytest.fixture
def tiny(tiny_models):
    return tiny_models["tiny-mean"]


@pytest.fixture(scope="module")
def exported(tiny_models, tmp_path_factory):
    """One export of the tiny model, made once for the tests that damage copies of it."""
    cache = tmp_path_factory.mktemp("cache")
    exports = Exports(tiny_models["tiny-mean"])
    return ensure(tiny_models["tiny-mean"], cache, exports), exports


def ensure(tiny, cache, exports):
    return ensure_exported("tiny", Path(tiny), cache, exports.load, exports.lines.append)


def test_a_missing_cache_is_exported_once_with_one_line(tiny, tmp_path):
    exports = Exports(tiny)
    first = ensure(tiny, tmp_path, exports)
    again = ensure(tiny, tmp_path, exports)
    assert first == again and problem_with(first) is None
    assert exports.loads == 1
    assert len(exports.lines) == 1 and "exporting tiny to ONNX" in exports.lines[0] and "\n" not in exports.lines[0]
    assert [p.name for p in first.parent.iterdir() if p.is_dir()] == [first.name]  # no staging folder left
    spec = json.loads((first / "encoder.json").read_text(encoding="utf-8"))  # the model's own settings, recorded
    assert (spec["pooling"], spec["normalize"], spec["max_seq_length"], spec["dimension"]) == (["mean"], True, 64, 32)
    assert spec["inputs"] == ["input_ids", "attention_mask", "token_type_ids"]
    assert first.name == spec["model_sha256"][:32]


def test_two_starts_at_once_export_once(tiny, tmp_path):
    exports = Exports(tiny)
    folders = []
    threads = [threading.Thread(target=lambda: folders.append(ensure(tiny, tmp_path, exports))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(folders) == 2 and folders[0] == folders[1] and problem_with(folders[0]) is None
    assert exports.loads == 1


@pytest.mark.parametrize("damage", ["truncated", "same size, other bytes"])
def test_a_damaged_export_is_exported_again_never_served(damage, tiny, tmp_path, exported):
    made, exports = exported
    folder = tmp_path / "onnx" / made.name
    shutil.copytree(made, folder)
    (tmp_path / "hashes").mkdir()  # the model's hash, remembered, as after the first start
    for memo in (made.parent.parent / "hashes").iterdir():
        shutil.copy(memo, tmp_path / "hashes")
    onnx = folder / "model.onnx.data"  # the weights
    good = onnx.read_bytes()
    if damage == "truncated":
        onnx.write_bytes(good[: len(good) // 2])
        assert "truncated" in problem_with(folder)
    else:
        onnx.write_bytes(good[:-64] + bytes(64))
        assert "SHA-256" in problem_with(folder)
    encoder = Embedder(tiny, backend="onnx", cache_dir=tmp_path)
    encoder.__dict__["model"] = exports.model  # what a fresh start would load, without loading it again
    vectors = encoder.encode(["still answers"])
    assert onnx.read_bytes() == good  # exported again, byte for byte the same
    assert vectors.shape == (1, 32) and np.isfinite(vectors).all()


def test_a_model_with_more_than_pooling_is_refused_with_the_alternative(tiny, tmp_path):
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as models

    model = Exports(tiny).model
    projected = SentenceTransformer(modules=[model[0], model[1], models.Dense(32, 8)], device="cpu")
    with pytest.raises(ExportError, match="PIERPOINT_BACKEND=torch"):
        export_model(projected, tmp_path / "out", model_sha256="x")

