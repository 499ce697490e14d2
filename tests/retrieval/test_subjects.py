"""What an /ask question is about, and whether it reads as a title the interviews never talk about."""

from __future__ import annotations

import pytest

from bot.retrieval.lexical import KeywordIndex
from bot.retrieval.search import _keyword_document
from bot.retrieval.subjects import SubjectCheck, asked_subject, written_as_title


@pytest.mark.parametrize(("question", "subject"), [
    ("what do they say about wolf hall?", "wolf hall"),
    ("What did they think of Line of Duty", "Line of Duty"),
    ("how do Mickey and Konrad feel about 'the thick of it'?", "the thick of it"),
    ("their thoughts on peaky blinders?", "peaky blinders"),
    ("line of duty?", "line of duty"),
    ("what do they make of killing eve", "killing eve"),
])
def test_the_one_thing_a_question_asks_about(question, subject):
    assert asked_subject(question) == subject


@pytest.mark.parametrize("question", [
    "why did they leave banking?",
    "which films influenced the look of the show?",
    "how long does a season take to write?",
])
def test_other_questions_have_no_single_subject(question):
    assert asked_subject(question) is None


def test_quoted_or_capitalised_subjects_are_written_as_titles():
    assert written_as_title("Line of Duty", "What did they think of Line of Duty?")
    assert written_as_title("wolf hall", "what about 'wolf hall'?")
    assert not written_as_title("line of duty", "what did they think of line of duty?")


@pytest.fixture(scope="module")
def check(corpus):
    return SubjectCheck(KeywordIndex([_keyword_document(p) for p in corpus.passages]), corpus.speakers)


@pytest.mark.parametrize("subject", ["wolf hall", "line of duty", "peaky blinders", "the night manager"])
def test_names_no_passage_uses_read_as_titles(check, subject):
    assert check.unused(subject)


@pytest.mark.parametrize("subject", [
    "luck", "the cast", "HBO",  # one word: a topic, left to the ranked answer
    "the trading floor", "british tv",  # words a passage uses together
    "working with Konrad",  # names a person of the corpus
])
def test_topics_and_phrases_the_corpus_uses_do_not(check, subject):
    assert not check.unused(subject)
