"""Sentence-transformers' pooling and normalisation, in numpy.

The ONNX graph returns token embeddings; these functions turn them into one
vector per text exactly as ``sentence_transformers.models.Pooling`` and
``Normalize`` do (same formulas, same 1e-9 floor), so the ONNX backend and the
torch backend give the same vectors (cosine >= 0.99999 on the corpus, see
tests/encoder/).
"""

from __future__ import annotations

import numpy as np

MODES = ("cls", "max", "mean", "mean_sqrt_len_tokens", "weightedmean", "lasttoken")
"""Every pooling mode sentence-transformers has; several at once are concatenated, in order."""
_FLOOR = 1e-9
"""sentence-transformers' floor on token counts and weights (avoids dividing by zero)."""


def pool(tokens: np.ndarray, mask: np.ndarray, modes: tuple[str, ...]) -> np.ndarray:
    """``(batch, sequence, hidden)`` float token embeddings and a ``(batch, sequence)`` 0/1
    attention mask to ``(batch, hidden * len(modes))`` sentence vectors.

    Raises ``ValueError`` for a mode sentence-transformers does not have.
    """
    tokens = tokens.astype(np.float32, copy=False)
    weights = mask.astype(np.float32)[..., None]
    vectors = []
    for mode in modes:
        if mode == "cls":
            vectors.append(tokens[np.arange(len(tokens)), mask.argmax(axis=1)])
        elif mode == "max":
            vectors.append(np.where(weights > 0, tokens, -np.inf).max(axis=1))
        elif mode in ("mean", "mean_sqrt_len_tokens"):
            count = np.maximum(weights.sum(axis=1), _FLOOR)
            vectors.append((tokens * weights).sum(axis=1) / (count if mode == "mean" else np.sqrt(count)))
        elif mode == "weightedmean":
            first = mask.argmax(axis=1)[:, None, None]
            position = np.arange(1, tokens.shape[1] + 1, dtype=np.float32)[None, :, None] - first
            weighted = weights * position
            vectors.append((tokens * weighted).sum(axis=1) / np.maximum(weighted.sum(axis=1), _FLOOR))
        elif mode == "lasttoken":
            flipped = mask[:, ::-1]
            last = tokens.shape[1] - 1 - flipped.argmax(axis=1)
            last = np.where(flipped.max(axis=1) == 0, 0, last)
            vectors.append((tokens * weights)[np.arange(len(tokens)), last])
        else:
            raise ValueError(f"unknown pooling mode {mode!r} (sentence-transformers has {', '.join(MODES)})")
    return np.concatenate(vectors, axis=1)


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Unit length rows, as ``torch.nn.functional.normalize`` (norm floored at 1e-12)."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
