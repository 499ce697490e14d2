"""A sentence-transformers model run on onnxruntime: the serving path's question encoder.

Why our own forty lines rather than fastembed (which can load a local ONNX
folder too): fastembed pools only by mean or CLS token, while
``PIERPOINT_MODEL`` may name any sentence-transformers model (max, last-token,
weighted-mean pooling...), and it brings five more dependencies for what is
here a tokenizer call, one ``session.run`` and :mod:`bot.encoder.pooling`.
Measured on the default model with the same exported folder (README,
Performance): 0.34-0.39 s and 124 MB to load and encode a first question here,
against 0.70-0.92 s and 153 MB through fastembed 0.9.1, with the same vectors.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

from bot.encoder.cache import read_spec
from bot.encoder.export import ONNX_FILE, TOKENIZER_FILE
from bot.encoder.pooling import normalize, pool

THREADS = 1
"""onnxruntime threads per encode. One short question is too little work to split: on the shared 2-CPU
machine one thread encoded a question in 3.8 ms p50 against 11.6 ms for two (threads spinning against
each other); the Discord bot runs several searches at once instead (PIERPOINT_SEARCH_THREADS)."""


class OnnxEncoder:
    """Unit-length (when the model normalises) float32 sentence vectors from an exported model folder."""

    def __init__(self, folder: Path) -> None:
        spec = read_spec(folder)
        self.dimension = int(spec["dimension"])
        self._inputs: list[str] = list(spec["inputs"])
        self._pooling = tuple(spec["pooling"])
        self._normalize = bool(spec["normalize"])
        self._lowercase = bool(spec["lowercase"])
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: no graph-optimisation advisories in user output
        self._session = onnxruntime.InferenceSession(str(folder / ONNX_FILE), options,
                                                     providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """``(len(texts), dimension)`` float32, one row per text, in order."""
        if self._lowercase:
            texts = [text.lower() for text in texts]
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))  # similar lengths share a batch: less padding
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            chosen = order[start:start + batch_size]
            out[chosen] = self._encode_batch([texts[n] for n in chosen])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        columns = {
            "input_ids": lambda: np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": lambda: mask,
            "token_type_ids": lambda: np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        (tokens,) = self._session.run(None, {name: columns[name]() for name in self._inputs})
        vectors = pool(tokens, mask, self._pooling)
        return normalize(vectors) if self._normalize else vectors
