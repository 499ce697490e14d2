"""Export a sentence-transformers model's transformer to ONNX (the only module here that imports torch).

What is written into a folder:

* ``model.onnx`` and ``model.onnx.data``: the transformer, token ids in, token
  embeddings out, with dynamic batch and sequence axes (``torch.onnx.export``,
  TorchScript exporter, opset 17: deterministic, the same bytes on every run
  with the same torch). The weights are stored beside the graph ("external
  data"), which onnxruntime maps from disk instead of copying: measured, the
  session loads in 0.10 s and 108 MB instead of 0.27 s and 188 MB;
* ``tokenizer.json``: the model's fast tokenizer with sentence-transformers'
  truncation (``max_seq_length``) and padding set;
* ``encoder.json``: what :class:`bot.encoder.onnx_encoder.OnnxEncoder` needs to
  finish the job outside the graph, read from the model's own
  sentence-transformers modules: pooling mode(s), whether it normalises,
  lower-casing, input names, dimension, plus the ONNX files' sizes and SHA-256.

Pooling and normalisation stay outside the graph so one small numpy module
(:mod:`bot.encoder.pooling`) serves every model, whatever its pooling.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

SPEC_FORMAT = 2
OPSET = 17
"""ONNX opset: supported by every onnxruntime of the last years, and has every op BERT-like models need."""
ONNX_FILE, WEIGHTS_FILE = "model.onnx", "model.onnx.data"
TOKENIZER_FILE, SPEC_FILE = "tokenizer.json", "encoder.json"
ONNX_FILES = (ONNX_FILE, WEIGHTS_FILE)
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_SAMPLE = ["Pierpoint exports this model once.", "Two texts, so the batch axis is traced as a batch."]


class ExportError(RuntimeError):
    """The model cannot run on the ONNX backend; the message says why and what to do instead."""


def file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def onnx_sha256(folder: Path) -> str:
    """One SHA-256 for the exported graph and its weights (:data:`ONNX_FILES`) together."""
    digest = hashlib.sha256()
    for name in ONNX_FILES:
        digest.update(f"{name}\0{file_sha256(folder / name)}\0".encode())
    return digest.hexdigest()


def export_model(model: SentenceTransformer, folder: Path, *, model_sha256: str) -> dict[str, Any]:
    """Write ``model.onnx``, ``tokenizer.json`` and ``encoder.json`` for ``model`` into ``folder``.

    Returns the ``encoder.json`` content. Raises :class:`ExportError` when the
    model is more than a transformer, a pooling and an optional normalisation
    (a Dense projection, say), or has no fast tokenizer.
    """
    import torch

    modules = [type(module).__name__ for module in model]
    if modules[:2] != ["Transformer", "Pooling"] or modules[2:] not in ([], ["Normalize"]):
        raise ExportError(f"the model's modules are {' -> '.join(modules)}; the ONNX backend runs "
                          "Transformer -> Pooling (-> Normalize). Set PIERPOINT_BACKEND=torch for this model.")
    transformer, pooling = model[0], model[1]
    tokenizer = model.tokenizer
    backend_tokenizer = getattr(tokenizer, "backend_tokenizer", None)
    if backend_tokenizer is None:
        raise ExportError("the model has no fast (tokenizers) tokenizer. Set PIERPOINT_BACKEND=torch for this model.")
    network = transformer.auto_model.eval()
    accepted = inspect.signature(network.forward).parameters
    inputs = [name for name in _INPUTS if name in tokenizer.model_input_names and name in accepted]

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.network = network

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.network(**dict(zip(inputs, tensors, strict=True))).last_hidden_state

    sample = tokenizer(_SAMPLE, padding=True, return_tensors="pt")
    folder.mkdir(parents=True, exist_ok=True)
    axes = {0: "batch", 1: "sequence"}
    inline = folder / "inline.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer advisories
        torch.onnx.export(
            TokenEmbeddings().eval(), tuple(sample[name] for name in inputs), str(inline),
            dynamo=False, opset_version=OPSET, input_names=inputs, output_names=["token_embeddings"],
            dynamic_axes={name: axes for name in [*inputs, "token_embeddings"]},
        )
    import onnx

    onnx.save_model(onnx.load(str(inline)), str(folder / ONNX_FILE), save_as_external_data=True,
                    all_tensors_to_one_file=True, location=WEIGHTS_FILE, size_threshold=1024)
    inline.unlink()

    prepared = type(backend_tokenizer).from_str(backend_tokenizer.to_str())
    prepared.enable_truncation(max_length=int(model.max_seq_length))
    prepared.enable_padding(direction=tokenizer.padding_side, pad_id=int(tokenizer.pad_token_id),
                            pad_type_id=int(getattr(tokenizer, "pad_token_type_id", 0) or 0),
                            pad_token=str(tokenizer.pad_token))
    prepared.save(str(folder / TOKENIZER_FILE))

    modes = pooling.pooling_mode
    spec = {
        "format": SPEC_FORMAT,
        "model_sha256": model_sha256,
        "inputs": inputs,
        "pooling": [modes] if isinstance(modes, str) else list(modes),
        "normalize": len(modules) == 3,
        "lowercase": bool(getattr(transformer, "do_lower_case", False)),
        "max_seq_length": int(model.max_seq_length),
        "dimension": int(model.get_embedding_dimension()),
        "onnx_bytes": {name: (folder / name).stat().st_size for name in ONNX_FILES},
        "onnx_sha256": onnx_sha256(folder),
        "exported_with": {"torch": torch.__version__, "opset": OPSET},
    }
    (folder / SPEC_FILE).write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
    return spec
