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

import os
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

from bot.encoder.cache import read_spec
from bot.encoder.export import ONNX_FILE, TOKENIZER_FILE
from bot.encoder.pooling import normalize, pool

THREADS = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
"""onnxruntime threads per encode: two where there are two CPUs, with spinning off. Measured on a quiet
2-CPU machine (42 questions x 4, /tmp script in the issue-11 note): one question at a time, 1 thread
3.30 ms p50, 2 spinning threads 2.04 ms, 2 threads without spinning 2.59 ms; two searches at once (the
Discord bot's pool), 1 thread 554 questions/s with p95 4.3 ms, 2 spinning threads 466/s with p95 7.9 ms,
2 threads without spinning 515/s with p95 6.0 ms. Without spinning, two threads help the single question
a fan waits for and cost little when the pool is busy; spinning threads fight each other under load."""
SPIN = "0"
"""onnxruntime's intra-op spin-wait: off (see THREADS)."""


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
        options.add_session_config_entry("session.intra_op.allow_spinning", SPIN)
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
