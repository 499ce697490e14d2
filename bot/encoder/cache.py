"""The ONNX export cache: one folder per model, keyed by the SHA-256 of the model's files.

``<cache>/onnx/<model hash>/`` holds ``model.onnx`` (+ ``model.onnx.data``),
``tokenizer.json`` and ``encoder.json`` (see :mod:`bot.encoder.export`). A folder
is used only when its ONNX files have exactly the sizes and SHA-256 that ``encoder.json`` recorded;
a missing, truncated or edited one is exported again (announced with one
line), never served. An export is written to a temporary folder and renamed
into place, under a file lock, so two processes starting at once export once
and neither sees a half-written folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.encoder.export import ONNX_FILES, SPEC_FILE, SPEC_FORMAT, TOKENIZER_FILE, ExportError, onnx_sha256

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

_SKIPPED_FOLDERS = {"onnx", "openvino", ".cache", "__pycache__"}
"""Other runtimes' copies shipped in some hub repositories: not what sentence-transformers loads."""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/pierpoint``, else ``~/.cache/pierpoint``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pierpoint"


def model_files(folder: Path) -> list[Path]:
    """The files that make up a model folder, in a fixed order (READMEs and hidden files left out)."""
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (path.is_file() and not any(part.startswith(".") or part in _SKIPPED_FOLDERS for part in relative.parts)
                and not path.name.lower().startswith("readme")):
            files.append(path)
    return files


def model_sha256(folder: Path, cache_dir: Path) -> str:
    """SHA-256 over the model folder's file names and contents.

    Remembered in ``<cache>/hashes/`` against each file's size and modification
    time, so a start re-reads the ~90 MB of weights only after they change.
    """
    files = model_files(folder)
    stat = [[str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns] for p in files]
    memo = cache_dir / "hashes" / f"{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]}.json"
    with contextlib.suppress(OSError, ValueError):
        remembered = json.loads(memo.read_text(encoding="utf-8"))
        if remembered.get("stat") == stat:
            return str(remembered["sha256"])
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    value = digest.hexdigest()
    with contextlib.suppress(OSError):
        _write_atomically(memo, json.dumps({"folder": str(folder), "stat": stat, "sha256": value}))
    return value


def problem_with(entry: Path) -> str | None:
    """Why the cache folder ``entry`` cannot be served, or None when it is complete and intact."""
    try:
        spec = json.loads((entry / SPEC_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "it has not been exported yet"
    except (OSError, ValueError) as exc:
        return f"its {SPEC_FILE} is damaged ({exc})"
    if not isinstance(spec, dict) or spec.get("format") != SPEC_FORMAT:
        return f"its {SPEC_FILE} comes from another version of Pierpoint"
    missing = [name for name in (*ONNX_FILES, TOKENIZER_FILE) if not (entry / name).is_file()]
    if missing:
        return f"{', '.join(missing)} is missing"
    sizes = spec.get("onnx_bytes") or {}
    for name in ONNX_FILES:
        size = (entry / name).stat().st_size
        if size != sizes.get(name):
            return f"{name} is truncated or overwritten ({size:,} bytes, expected {sizes.get(name)})"
    if onnx_sha256(entry) != spec.get("onnx_sha256"):
        return f"{' and '.join(ONNX_FILES)} do not match their recorded SHA-256 (corrupt or edited)"
    return None


def ensure_exported(name: str, folder: Path, cache_dir: Path, load_model: Callable[[], SentenceTransformer],
                    announce: Callable[[str], None] | None = None) -> Path:
    """The intact cache folder for the model in ``folder``, exporting it first if needed.

    ``load_model`` gives the sentence-transformers model (imports torch; called
    only when exporting). ``announce`` prints the one line saying an export
    happens (stderr by default). Raises :class:`bot.encoder.export.ExportError`
    for a model the ONNX backend cannot run or a cache folder that cannot be written.
    """
    announce = announce or (lambda line: print(line, file=sys.stderr, flush=True))
    key = model_sha256(folder, cache_dir)
    entry = cache_dir / "onnx" / key[:32]
    if problem_with(entry) is None:
        return entry
    try:
        return _export_into(entry, name, key, load_model, announce)
    except OSError as exc:
        raise ExportError(f"the ONNX export of {name} can't be written to {cache_dir} ({exc.strerror or exc}). "
                          "Set PIERPOINT_CACHE_DIR to a writable folder.") from exc


def _export_into(entry: Path, name: str, key: str, load_model: Callable[[], SentenceTransformer],
                 announce: Callable[[str], None]) -> Path:
    entry.parent.mkdir(parents=True, exist_ok=True)
    with _locked(entry.parent / f"{entry.name}.lock"):
        problem = problem_with(entry)  # another process may have exported it while we waited
        if problem is None:
            return entry
        if entry.exists():
            announce(f"The ONNX copy of {name} in {entry} can't be used ({problem}): exporting it again ...")
            shutil.rmtree(entry)
        else:
            announce(f"Preparing the question encoder: exporting {name} to ONNX, once, into {entry} ...")
        from bot.encoder.export import export_model

        staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
        try:
            export_model(load_model(), staging, model_sha256=key)
            staging.chmod(0o755)  # mkdtemp and onnx make them private; the export is no secret, others may serve it
            for path in staging.iterdir():
                path.chmod(0o644)
            try:
                os.replace(staging, entry)
            except OSError:  # without a lock (no fcntl), another process may have finished first
                if problem_with(entry) is not None:
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    problem = problem_with(entry)
    if problem is not None:  # pragma: no cover - only a failing disk gets here
        raise OSError(f"the ONNX export in {entry} is unusable right after writing it: {problem}")
    return entry


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` between processes (POSIX ``flock``; elsewhere the rename alone)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: os.replace onto a finished folder still fails safely
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8", suffix=".tmp") as handle:
        handle.write(text)
    os.replace(handle.name, path)


def read_spec(entry: Path) -> dict[str, Any]:
    """``encoder.json`` of an intact cache folder."""
    return json.loads((entry / SPEC_FILE).read_text(encoding="utf-8"))
