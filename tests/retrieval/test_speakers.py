"""Whose words a question asks for: only when it asks for their words, and "down" the
ordinary word is nobody."""

from __future__ import annotations

import pytest

from bot.retrieval.speakers import SpeakerFinder

BOTH = "Mickey Down & Konrad Kay"


@pytest.fixture(scope="module")
def finder(corpus):
    return SpeakerFinder(corpus.speakers)


@pytest.mark.parametrize(("question", "speaker"), [
    ("what does Kay say about luck?", "Konrad Kay"),
    ("What does KAY think about IP?", "Konrad Kay"),
    ("Kay's advice on getting a show made", "Konrad Kay"),
    ("Konrad on luck", "Konrad Kay"),
    ("according to Down, what matters most?", "Mickey Down"),
    ("what does down say about HBO?", "Mickey Down"),  # lower case, but after "does"
    ("Mickey's views on casting", "Mickey Down"),
    ("what did Mickey Down say about casting", "Mickey Down"),
    ("what do Down and Kay say about HBO notes?", BOTH),
])
def test_asked_for_speaker_is_found(finder, question, speaker):
    assert finder.find(question).speaker == speaker


@pytest.mark.parametrize("question", [
    "what job did Down have after banking?",  # about Down: the journalist may answer best
    "where did Kay and Down meet?",
    "did they ever turn down a pitch?",
    "how did they settle down in London?",
    "does the show wind down after season 3?",
    "Down the line, what happens to Harper?",
    "are they taking the mickey out of bankers?",
    "Kay",
])
def test_no_speaker_when_their_words_are_not_asked_for(finder, question):
    found = finder.find(question)
    assert found.speaker is None
    assert found.topic == question, "the question is searched as typed"


def test_speaker_name_is_taken_out_of_the_topic(finder):
    found = finder.find("what does Kay say about luck?")
    assert "Kay" not in found.topic and "luck" in found.topic


def test_speakers_come_from_the_corpus_not_the_code():
    finder = SpeakerFinder(("Jane Tranter",))
    assert finder.find("what does Tranter say about HBO?").speaker == "Jane Tranter"
    assert finder.find("what does Kay say about HBO?").speaker is None


@pytest.mark.parametrize("question", [
    "which character is down on their luck?",
    "Which banker was down on his luck in season one?",
])
def test_down_on_their_luck_is_not_mickey_down(finder, question):
    assert finder.find(question).speaker is None
