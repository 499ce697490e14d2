"""corpus/influences.toml: the influences' public credits, validated with every mistake
reported as file:line, so an editor adding a fact knows where to look."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.retrieval.corpus import CorpusError
from bot.retrieval.credits import CREDITS_FILE, load_credits
from tests.conftest import CORPUS_DIR

GOOD = '''# a comment
[[influence]]
title = "Heat"
year = 1995
directors = ["Michael Mann"]
premise = "A detective hunts a crew of thieves."
cast = [
  { actor = "Al Pacino", character = "Vincent Hanna" },
  { actor = "Robert De Niro", character = "Neil McCauley" },
]
'''


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / CREDITS_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_the_committed_file_gives_credits_to_all_twelve(corpus):
    credits = load_credits(CORPUS_DIR / CREDITS_FILE, corpus.influences)
    assert set(credits) == {i.title for i in corpus.influences}
    heat = credits["Heat"]
    assert heat.credit_line() == "1995 · Michael Mann · Al Pacino, Robert De Niro, Val Kilmer"
    assert credits["Mad Men"].credit_line(stars=2) == "2007–2015 · Matthew Weiner · Jon Hamm, Elisabeth Moss"


def test_a_valid_entry_loads(tmp_path, corpus):
    credits = load_credits(write(tmp_path, GOOD), corpus.influences)
    assert [m.character for m in credits["Heat"].cast] == ["Vincent Hanna", "Neil McCauley"]
    assert credits["Heat"].line == 2


def test_no_file_means_no_credits(tmp_path, corpus):
    assert load_credits(tmp_path / CREDITS_FILE, corpus.influences) == {}


@pytest.mark.parametrize(("broken", "line", "problem"), [
    (GOOD.replace('year = 1995', 'year = 1995\nrating = 5'), 5, "unknown field 'rating'"),
    (GOOD.replace('premise = "A detective hunts a crew of thieves."\n', ''), 2, "missing field 'premise'"),
    (GOOD.replace('title = "Heat"', 'title = "Margin Call"'), 3, "'Margin Call' is not an influence of the corpus"),
    (GOOD.replace('year = 1995', 'year = "nineteen"'), 4, "year"),
    (GOOD.replace('{ actor = "Robert De Niro", character = "Neil McCauley" }', '{ actor = "Robert De Niro" }'),
     9, "missing field 'cast.1.character'"),
    (GOOD.replace('directors = ["Michael Mann"]', 'directors = ["Michael Mann"'), 6, "not valid TOML"),
    (GOOD + GOOD.replace("# a comment\n", ""), 11, "'Heat' already has credits at line 2"),
    (GOOD.replace('directors = ["Michael Mann"]\n', ''), 2, "give directors (a film) or creators (a show)"),
    (GOOD.replace('year = 1995', 'year = 1995\nend_year = 1990'), 2, "end_year is before year"),
])
def test_a_malformed_entry_is_reported_with_file_and_line(tmp_path, corpus, broken, line, problem):
    path = write(tmp_path, broken)
    with pytest.raises(CorpusError) as caught:
        load_credits(path, corpus.influences)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert problem in message


def test_a_broken_credits_file_stops_the_retriever_with_file_and_line(corpus_copy, embedder):
    from bot.retrieval.corpus import load_corpus
    from bot.retrieval.index import load_index
    from bot.retrieval.search import Retriever
    from tests.conftest import INDEX_DIR

    (corpus_copy / CREDITS_FILE).write_text(GOOD.replace("year = 1995", "yaer = 1995"), encoding="utf-8")
    corpus = load_corpus(corpus_copy)
    with pytest.raises(CorpusError, match=rf"{CREDITS_FILE}:4: unknown field 'yaer'"):
        Retriever(corpus, load_index(INDEX_DIR, corpus, embedder.name), embedder)
