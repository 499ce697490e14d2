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


@pytest.mark.parametrize(("question", "topic"), [
    ("according to Mickey, what makes a good pilot?", "what makes a good pilot?"),
    ("According to Konrad Kay: is London still the centre?", "is London still the centre?"),
    ("in the words of Down, why banking?", "why banking?"),
    ("what does Kay think about streaming?", "streaming?"),
    ("what does Konrad make of the critics?", "the critics?"),
    ("what do Down and Kay think of the critics?", "the critics?"),
    ("how does Mickey feel about remakes?", "remakes?"),
    ("Konrad on luck", "luck"),
    ("Kay's view on luck", "luck"),
    ("Mickey's take on casting", "casting"),
    ("Down's thoughts about the ending", "the ending"),
    ("Kay's advice on getting a show made", "advice on getting a show made"),  # the advice is asked for
    ("what did Kay regret about the pilot?", "what did regret about the pilot?"),  # so is the regret
])
def test_speaker_phrasing_leaves_a_clean_topic(finder, question, topic):
    found = finder.find(question)
    assert found.speaker is not None
    assert found.topic == topic


def test_a_speaker_phrase_with_no_topic_is_searched_as_typed(finder):
    assert finder.find("what does Kay think?").topic == "what does Kay think?"
