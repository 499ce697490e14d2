"""Small helpers shared by the retrieval tests: paths, tiny article files, error checks.

Plain functions imported by name, so each test reads on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.corpus import CorpusError, load_corpus
from bot.retrieval.index import REBUILD, StaleIndexError, load_index
from tests.conftest import CORPUS_DIR, INDEX_DIR, SOURCES_DIR

__all__ = ["CORPUS_DIR", "INDEX_DIR", "SOURCES_DIR"]

TITANS = "titans-of-industry.md"
INSPIRATIONS = "inside-industry-inspirations.md"
JOINT = "Mickey Down & Konrad Kay"

MARK = "  <<<"
"""Put at the end of the line a test expects the loader to blame; ``marked`` strips it."""

FRONT_MATTER = """---
title: A Tiny Interview
publication: Test Weekly
url: https://example.org/tiny
year: 2024
---
"""

TINY_ARTICLE = FRONT_MATTER + """
## narration

The pair spoke to us on a train.

## speaker: Mickey Down

Down: We wrote the pilot on the sleeper train to Inverness. Trains are the best place to write.
"""

HEAT_FIELDS = """- heading: Heat (1995), directed by Michal Mann
- years: 1995
- kind: film
- credit: directed by Michal Mann
- speaker: Mickey Down & Konrad Kay
"""


def marked(text: str) -> tuple[str, int]:
    """``text`` without its MARK, and the 1-based number of the marked line."""
    lines = text.split("\n")
    numbers = [n for n, line in enumerate(lines, start=1) if line.endswith(MARK)]
    assert len(numbers) == 1, "a case must mark exactly one line"
    return text.replace(MARK, ""), numbers[0]


def write_article(directory: Path, name: str, text: str | bytes) -> Path:
    """Write ``<directory>/<name>.md`` (bytes as given, text as UTF-8)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.md"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def rejection(directory: Path) -> CorpusError:
    """The error the loader raises for ``directory`` (fails the test if it loads)."""
    with pytest.raises(CorpusError) as caught:
        load_corpus(directory)
    return caught.value


def assert_rejected_at(directory: Path, path: Path, line: int, fragment: str) -> None:
    """The loader names exactly ``path:line:`` and says what is wrong."""
    error = rejection(directory)
    assert str(error).startswith(f"{path}:{line}: "), str(error)
    assert fragment in str(error)
    assert error.line == line


def edit_file(path: Path, old: str, new: str) -> None:
    """Replace one occurrence of ``old`` in a text file (which must contain it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_starting(path: Path, prefix: str) -> int:
    """The 1-based number of the first line of ``path`` starting with ``prefix``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(prefix))


def move_kay_answer_to_down(corpus_dir: Path) -> tuple[Path, int]:
    """The editor's slip: Kay's labelled answer put in Mickey Down's section. Returns the place to blame."""
    path = corpus_dir / TITANS
    line = line_starting(path, "Kay: We literally said")
    edit_file(path, "## speaker: Konrad Kay\n\nKay: We literally", "## speaker: Mickey Down\n\nKay: We literally")
    return path, line


def change_one_word(corpus_dir: Path) -> None:
    """A one-word edit to a real article: enough to make the committed index stale."""
    edit_file(corpus_dir / TITANS, "This is a very lonely job", "This is a very lovely job")


def stale(index_dir: Path, corpus_dir: Path, model: str) -> StaleIndexError:
    """The StaleIndexError for this corpus, index and model, checked to carry the fix."""
    corpus = load_corpus(corpus_dir)
    with pytest.raises(StaleIndexError) as caught:
        load_index(index_dir, corpus, model)
    error = caught.value
    assert error.fix == REBUILD == "python -m bot build"
    assert "python -m bot build" in str(error)
    return error
