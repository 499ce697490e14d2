"""Every sentence-transformers pooling mode, in numpy, gives what sentence-transformers' own Pooling
module gives, padding included: what lets any PIERPOINT_MODEL run on the ONNX backend."""

from __future__ import annotations

import numpy as np
import pytest

from bot.encoder.pooling import MODES, normalize, pool


@pytest.fixture(scope="module")
def batch():
    """Three texts of 7, 4 and 1 tokens, right-padded to 7, and one left-padded text of 5 tokens."""
    rng = np.random.default_rng(7)
    tokens = rng.standard_normal((4, 7, 16)).astype(np.float32)
    mask = np.zeros((4, 7), dtype=np.int64)
    mask[0], mask[1, :4], mask[2, :1], mask[3, 2:] = 1, 1, 1, 1
    return tokens, mask


@pytest.mark.parametrize("modes", [(mode,) for mode in MODES] + [("mean", "max", "cls")])
def test_pooling_matches_sentence_transformers(modes, batch):
    import torch
    from sentence_transformers.sentence_transformer.modules import Pooling

    tokens, mask = batch
    theirs = Pooling(16, pooling_mode=modes if len(modes) > 1 else modes[0])(
        {"token_embeddings": torch.from_numpy(tokens), "attention_mask": torch.from_numpy(mask)},
    )["sentence_embedding"].numpy()
    assert np.allclose(pool(tokens, mask, modes), theirs, atol=1e-6)


def test_an_unknown_mode_is_refused_naming_the_known_ones(batch):
    with pytest.raises(ValueError, match="lasttoken"):
        pool(*batch, ("median",))


def test_normalize_gives_unit_rows_and_leaves_zero_rows_finite():
    rows = normalize(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32))
    assert np.allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
