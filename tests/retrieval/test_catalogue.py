"""/influence: however a fan types a title, they get the creators' write-up of it; titles
named only in passing and unknown titles get "not in their list" and something useful."""

from __future__ import annotations

import pytest

from bot.retrieval.catalogue import Catalogue
from tests.retrieval.retrieval_helpers import JOINT

FOUND = [
    ("heat", "Heat"),
    ("Heat", "Heat"),
    ("social network", "The Social Network"),
    ("amercan psycho", "American Psycho"),
    ("madmen", "Mad Men"),
    ("the safdies film", "Uncut Gems"),
    ("lena dunham series", "Girls"),
    ("tony gilroy legal thriller", "Michael Clayton"),
    ("lee pace show", "Halt and Catch Fire"),
    ("michael mann", "Heat"),  # printed as "Michal Mann"
    ("Patrick Bateman", "American Psycho"),  # an alias
    ("Bennett Miller", "Moneyball"),
    ("uncut jems", "Uncut Gems"),
    ("halt & catch fire", "Halt and Catch Fire"),
]

IN_PASSING = [
    ("thief", "Thief", "since Thief"),
    ("fawlty towers", "Fawlty Towers", "Fawlty Towers scripts are masterclasses of writing"),
    ("sopranos", "The Sopranos", "you’re making The Sopranos or Mad Men"),
]


def writeup_of(corpus, title):
    return next(i for i in corpus.influences if i.title == title)


def assert_not_listed(answer, corpus):
    assert answer.influence is None
    assert "not in their list" in answer.problem
    assert answer.suggestions, "closest titles are offered"
    assert set(answer.suggestions) <= set(corpus.influences)


@pytest.mark.parametrize(("typed", "title"), FOUND)
def test_influence_is_found_however_it_is_typed(retriever, corpus, typed, title):
    answer = retriever.influence(typed)
    influence = writeup_of(corpus, title)
    assert answer.influence == influence
    assert answer.problem is None
    writeup = answer.hits[: len(influence.passages)]
    assert [h.passage for h in writeup] == list(influence.passages), "the write-up comes first, in order"
    assert {(h.passage.speaker, h.passage.section) for h in writeup} == {(JOINT, title)}


def test_heat_is_credited_as_printed(retriever):
    heat = retriever.influence("michael mann").influence
    assert (heat.title, heat.years, heat.kind_label, heat.credit) == ("Heat", "1995", "film", "directed by Michal Mann")


def test_write_up_is_followed_by_passages_naming_it_elsewhere(retriever):
    """"Patrick Bateman" in the VICE introduction is American Psycho named in passing."""
    answer = retriever.influence("american psycho")
    elsewhere = answer.hits[len(answer.influence.passages):]
    assert [h.passage.id for h in elsewhere] == ["inside-industry-inspirations/3"]
    assert "Patrick Bateman" in elsewhere[0].highlighted_sentence
    assert elsewhere[0].score < answer.hits[0].score


@pytest.mark.parametrize(("typed", "title", "phrase"), IN_PASSING)
def test_title_named_in_passing_is_not_in_their_list(retriever, corpus, typed, title, phrase):
    answer = retriever.influence(typed)
    assert_not_listed(answer, corpus)
    assert answer.problem.startswith(title)
    assert answer.mentioned_title == title
    assert [h.passage for h in answer.hits] == [p for p in corpus.passages if title in p.text or phrase in p.text]
    assert all(phrase in h.passage.text for h in answer.hits)
    for hit in answer.hits:
        assert title.removeprefix("The ") in hit.highlighted_sentence


@pytest.mark.parametrize("typed", ["the wire", "breaking bad", "The Wire (2002)", "the west wing"])
def test_unknown_title_gets_suggestions_and_no_quotes(retriever, corpus, typed):
    answer = retriever.influence(typed)
    assert_not_listed(answer, corpus)
    assert len(answer.suggestions) == 3
    assert answer.hits == ()


@pytest.mark.parametrize("typed", ["", "   ", "🎬🍿", "**  **", None])
def test_empty_title_gets_a_friendly_problem(retriever, typed):
    answer = retriever.influence(typed)
    assert answer.influence is None and answer.hits == ()
    assert "Give a film or TV title" in answer.problem


def test_every_listed_title_finds_itself(retriever, corpus):
    for influence in corpus.influences:
        assert retriever.influence(influence.title.lower()).influence == influence


# -- titles inside a longer question (feeds /ask's ranking) -------------------------

@pytest.mark.parametrize(("question", "titles"), [
    ("which Mad Men episode do they love?", ["Mad Men"]),
    ("what did they say about Heat and Thief?", ["Heat", "Thief"]),
    ("the heat of the trading floor", []),  # an everyday word, not the film
    ("were they kids when they met?", []),
])
def test_titles_named_in_a_question(corpus, question, titles):
    assert sorted(e.title for e in Catalogue(corpus).named_in(question)) == sorted(titles)


# -- bugs ---------------------------------------------------------------------------

def test_everyday_word_title_is_not_found_in_ordinary_prose(retriever, corpus):
    answer = retriever.influence("kids")
    assert answer.influence == writeup_of(corpus, "Kids")
    for hit in answer.hits[len(answer.influence.passages):]:
        assert "Kids" in hit.passage.text, f"{hit.passage.section}: {hit.highlighted_sentence!r}"


@pytest.mark.parametrize("typed", ["the", "show", "film"])
def test_common_word_is_not_a_title_mentioned_in_passing(retriever, corpus, typed):
    answer = retriever.influence(typed)
    assert_not_listed(answer, corpus)
    assert answer.hits == () and answer.mentioned_title is None
