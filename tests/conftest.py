"""Shared fixtures: the real corpus, index and model, loaded once per test session."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.retrieval.corpus import Corpus, load_corpus
from bot.retrieval.embedder import DEFAULT_MODEL, Embedder
from bot.retrieval.search import Retriever
from bot.settings import PROJECT_ROOT

CORPUS_DIR = PROJECT_ROOT / "corpus"
INDEX_DIR = PROJECT_ROOT / "embeddings"
SOURCES_DIR = PROJECT_ROOT.parent / "shared" / "sources"


@pytest.fixture(autouse=True)
def _root_logging_handlers_removed():
    """`python -m bot run` adds a root log handler on the test's captured stderr; take it away afterwards,
    or a later test's log lines go to a closed stream ("--- Logging error ---")."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in list(root.handlers):
        if handler not in before and not type(handler).__module__.startswith("_pytest"):
            root.removeHandler(handler)


@pytest.fixture(autouse=True)
def records_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test records into its own SQLite file, never the project's data/pierpoint.db."""
    url = f"sqlite:///{tmp_path / 'records.db'}"
    monkeypatch.setenv("PIERPOINT_DATABASE_URL", url)
    return url


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The default model, loaded once: every test that needs vectors shares it."""
    return Embedder(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def retriever(embedder: Embedder) -> Retriever:
    """The retriever over the committed corpus and index, as the bot loads it."""
    from bot.retrieval.index import load_index

    corpus = load_corpus(CORPUS_DIR)
    retriever = Retriever(corpus, load_index(INDEX_DIR, corpus, embedder.name), embedder)
    retriever.warm_up()  # import and load the model now, not inside the first test's time limit
    return retriever


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the corpus folder, for tests that break it."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    return target


@pytest.fixture
def index_copy(tmp_path: Path) -> Path:
    """A writable copy of the committed index."""
    target = tmp_path / "embeddings"
    shutil.copytree(INDEX_DIR, target)
    return target
