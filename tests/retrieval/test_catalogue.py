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


# -- as fans describe them: cast, character, story, network (corpus/influences.toml) ---

def _credits(corpus):
    from bot.retrieval.credits import CREDITS_FILE, load_credits
    from tests.conftest import CORPUS_DIR

    return load_credits(CORPUS_DIR / CREDITS_FILE, corpus.influences)


def _own(corpus, title, field):
    """A star (or character) of ``title`` who appears in no other influence's credits."""
    credits = _credits(corpus)
    elsewhere = {getattr(m, field) for t, c in credits.items() if t != title for m in c.cast}
    return next(getattr(m, field) for m in credits[title].cast
                if getattr(m, field) not in elsewhere and getattr(m, field) != "himself")


TWELVE = ["Moneyball", "American Psycho", "Peep Show", "Uncut Gems", "James White", "Halt and Catch Fire",
          "Kids", "Heat", "The Social Network", "Mad Men", "Girls", "Michael Clayton"]


@pytest.mark.parametrize("title", TWELVE)
@pytest.mark.parametrize("how", ["actor", "character", "premise"])
def test_each_influence_is_found_by_a_star_a_character_and_its_premise(retriever, corpus, title, how):
    typed = _credits(corpus)[title].premise if how == "premise" else _own(corpus, title, how)
    answer = retriever.influence(typed)
    assert answer.influence == writeup_of(corpus, title), typed
    assert answer.problem is None and not answer.candidates
    assert answer.hits[0].passage.section == title


@pytest.mark.parametrize(("typed", "title"), [
    ("the eduardo saverin movie", "The Social Network"),  # a character
    ("joan holloway", "Mad Men"),
    ("peter brand", "Moneyball"),
    ("diamond district jeweller", "Uncut Gems"),  # the story, none of it in the write-up
    ("the brad pitt baseball one", "Moneyball"),
    ("the channel 4 comedy", "Peep Show"),  # network and genre
    ("harmony korine script", "Kids"),  # the writer
    ("bret easton ellis adaptation", "American Psycho"),  # the source novel
    ("sterling cooper", "Mad Men"),  # a firm of the story
    ("the 2015 film", "James White"),  # a year and a kind
    ("young man caring for his mother with cancer", "James White"),  # the premise in other words
    ("the film about two cops chasing robbers in los angeles", "Heat"),
    ("that movie with christian bale in a raincoat with an axe", "American Psycho"),  # a full name, and more
    ("the weeknd cameo movie", "Uncut Gems"),
])
def test_influence_is_found_by_what_a_fan_remembers(retriever, corpus, typed, title):
    answer = retriever.influence(typed)
    assert answer.influence == writeup_of(corpus, title)
    assert answer.credit_line and answer.credit_line.startswith(str(_credits(corpus)[title].year))


@pytest.mark.parametrize(("typed", "title"), [
    ("sevigny", "Kids"),  # a lead in Kids, in American Psycho's supporting cast
    ("de nero", "Heat"), ("saverin", "The Social Network"), ("leo fitzpatrik", "Kids"),
    ("chrstian bale", "American Psycho"), ("matthew wiener", "Mad Men"), ("kerry bishe", "Halt and Catch Fire"),
])
def test_a_name_with_a_typo_is_found(retriever, corpus, typed, title):
    assert retriever.influence(typed).influence == writeup_of(corpus, title)


@pytest.mark.parametrize(("typed", "titles"), [
    ("the 90s film", {"Kids", "Heat"}),
    ("the amc show", {"Mad Men", "Halt and Catch Fire"}),
    ("the 1995 film", {"Kids", "Heat"}),
])
def test_a_description_that_fits_two_equally_asks_which_one(retriever, typed, titles):
    answer = retriever.influence(typed)
    assert answer.influence is None and answer.hits == ()
    assert {i.title for i in answer.candidates} == titles
    assert "Which one?" in answer.problem
    assert all(title in answer.problem for title in titles)


@pytest.mark.parametrize("typed", ["margin call", "the big short", "the wolf of wall street", "wall street",
                                   "boiler room", "trading places", "too big to fail", "a wall street film of 2015",
                                   "casino", "silicon valley", "the morning show"])
def test_a_finance_film_not_in_their_list_is_not_taken_for_one_of_the_twelve(retriever, corpus, typed):
    answer = retriever.influence(typed)
    assert_not_listed(answer, corpus)
    assert not answer.candidates


def test_autocomplete_offers_the_title_for_a_stars_surname(corpus):
    catalogue = Catalogue(corpus)
    assert catalogue.complete("sandler")[0].label == "Uncut Gems (2019) · Adam Sandler"
    assert catalogue.complete("bateman")[0].title == "American Psycho"
    assert catalogue.complete("draper")[0].label == "Mad Men (2007-2015) · Don Draper (Jon Hamm)"
    assert catalogue.complete("socail netwrk")[0].label == "The Social Network (2010)"
    assert [c.title for c in catalogue.complete("")] == [i.title for i in corpus.influences]
    assert len(catalogue.complete("a", limit=25)) <= 25


# -- /ask: a question that names an influence by its credits -----------------------

@pytest.mark.parametrize(("question", "title"), [
    ("what do they say about the pacino film?", "Heat"),
    ("what do they say about the leo fitzpatrick film?", "Kids"),
    ("why do they like the adam sandler movie?", "Uncut Gems"),
    ("what do they think of the don draper show?", "Mad Men"),
    ("what do they say about the movie where andrew garfield plays eduardo saverin?", "The Social Network"),
])
def test_ask_ranks_the_blurb_of_an_influence_named_by_its_credits_first(retriever, question, title):
    answer = retriever.ask(question)
    assert answer.hits, "a question naming an influence is never 'no good match'"
    assert answer.hits[0].passage.section == title


@pytest.mark.parametrize("question", [
    "What did Kay say about being in the right place at the right time?",  # "right" is not Robin Wright
    "what is their working relationship with HBO like?",  # one network is not a name
    "who was Robert's character originally written as?",
    "how did they get the show made at HBO?",
    "which studio did they sign with?",  # a word, not a misspelt Wes Studi
    "do you have to be a bit mad to be a writer?",  # one word of a title is not the title
    "how did they cast harry and robert?",  # first names alone (Harry Crane, Robert Morse)
])
def test_ordinary_questions_name_no_influence(corpus, question):
    assert Catalogue(corpus).described_in(question) == []
