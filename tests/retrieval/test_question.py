"""What a fan typed, prepared for search: English only, the question kept, nothing cut silently."""

from __future__ import annotations

import pytest

from bot.retrieval.question import NOT_ENGLISH, QuestionPreparer, foreign_language

PREAMBLE = (
    "I have been watching Industry since the very first episode and honestly think it is one of the best "
    "shows on television, the writing is sharp and the characters feel real, especially Harper and Yasmin, "
    "and I love how the trading floor scenes are shot with all that tension and noise. "
    "My friends and I talk about it every week after each episode airs and argue about who is worst. "
)
QUESTION = "what does Kay say about luck?"


@pytest.fixture(scope="module")
def plain(retriever):
    """The answer to the question asked on its own."""
    return retriever.ask(QUESTION, k=3)


@pytest.mark.parametrize("question", [
    "¿Qué dice Kay sobre la suerte?",
    "Qu'est-ce que Mickey pense de la célébrité ?",
    "Was sagen sie über das Schreiben?",
    "Cosa dicono del successo?",
    "O que eles dizem sobre o dinheiro?",
    "Co Kay mówi o szczęściu?",
    "Что Кей говорит об удаче?",
    "ケイは運について何と言っていますか？",
])
def test_a_question_in_another_language_gets_the_english_only_reply(retriever, question):
    answer = retriever.ask(question)
    assert answer.hits == ()
    assert answer.problem == NOT_ENGLISH
    assert "English" in answer.problem and "for example: what does Kay say about luck?" in answer.problem


@pytest.mark.parametrize("question", [
    "what do they think of cinéma vérité?",
    "how did Myha’la get the part of Harper?",
    "is Pierpoint & Co based on a real bank?",
    "vérité",
    "Myha'la",
    "Pierpoint & Co",
    "what about la dolce vita?",
    "does Mickey like Almodóvar?",
])
def test_english_with_foreign_names_is_answered(retriever, question):
    assert foreign_language(question) is None
    answer = retriever.ask(question)
    assert answer.problem != NOT_ENGLISH


@pytest.mark.parametrize("repeats", [1, 3, 10])
def test_a_long_preamble_does_not_drown_the_question(retriever, plain, repeats):
    message = PREAMBLE * repeats + QUESTION.capitalize()
    answer = retriever.ask(message, k=3)
    assert answer.question == QUESTION.capitalize(), "the question is what was searched"
    assert answer.speaker == "Konrad Kay"
    assert [h.passage.id for h in answer.hits] == [h.passage.id for h in plain.hits]
    assert answer.notice and "left out" in answer.notice, "the fan is told part of the message was not searched"


def test_a_question_followed_by_chatter_keeps_the_question(retriever, plain):
    answer = retriever.ask(f"{QUESTION} I ask because my flatmate says it was all connections. thanks!")
    assert answer.question == QUESTION
    assert answer.hits[0].passage.id == plain.hits[0].passage.id
    assert answer.notice


def test_a_lowercase_message_is_still_split_into_sentences(retriever, plain):
    answer = retriever.ask(PREAMBLE.lower() + QUESTION)
    assert answer.question == QUESTION and answer.hits[0].passage.id == plain.hits[0].passage.id


def test_a_short_question_is_searched_whole_and_without_a_notice(retriever):
    answer = retriever.ask("Love the show. " + QUESTION)
    assert answer.notice  # even a short preamble that is dropped is mentioned
    whole = retriever.ask(QUESTION)
    assert whole.notice is None and whole.question == QUESTION


def test_over_the_token_budget_the_end_is_kept_and_it_fits_the_model(retriever):
    questions: QuestionPreparer = retriever.questions
    assert questions.budget == 256, "all-MiniLM-L6-v2 reads 256 tokens"
    text = ("tell me everything about the trading floor and the casting and HBO and " * 60) + "the music"
    prepared = questions.prepare(text)
    assert questions.count_tokens(prepared.text) <= questions.budget - 2
    assert text.endswith(prepared.text) and prepared.text.endswith("and the music")
    assert questions.count_tokens(prepared.text) > 240, "as much as fits, not a character-count guess"
    assert prepared.notice.startswith("I searched the end of your message, too long to read whole, and left out")


def test_the_budget_counts_tokens_not_characters(retriever):
    """~540 characters of plain words is about 115 tokens: well inside the budget, nothing dropped."""
    text = ("the show is good and the cast is great " * 14).strip()
    assert len(text) > 500
    prepared = retriever.questions.prepare(text)
    assert prepared.text == text and prepared.notice is None


def test_without_a_question_mark_the_last_full_sentence_is_searched(retriever):
    request = "Tell me what Kay says about luck"
    alone = retriever.ask(request, k=3)
    answer = retriever.ask(PREAMBLE * 4 + request + ". Thanks!", k=3)
    assert answer.question == request + "."
    assert [h.passage.id for h in answer.hits] == [h.passage.id for h in alone.hits]
    assert answer.notice.startswith("I searched only the last full sentence of your message and left out")


def test_the_language_detector_is_py3langids_own_holding_only_the_languages_it_chooses_from():
    """The light loader (bot.retrieval.question._identifier) scores exactly as py3langid's restricted identifier,
    without keeping the other 68 languages' weights in memory."""
    import csv

    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from bot.retrieval import question
    from bot.settings import PROJECT_ROOT

    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    reference.set_languages(list(question.DISCORD_LANGUAGES))
    light = question._identifier()
    held = [array for array in (*light._full_model[:2], light.nb_ptc) if isinstance(array, np.ndarray)]
    assert all(array.shape[-1] == len(question.DISCORD_LANGUAGES) for array in held)
    assert np.array_equal(light.nb_ptc, reference.nb_ptc) and np.array_equal(light.nb_pc, reference.nb_pc)
    with (PROJECT_ROOT / "benchmarks" / "language_questions.tsv").open(encoding="utf-8") as tsv:
        questions = [row["question"] for row in csv.DictReader(tsv, delimiter="\t")]
    assert len(questions) == 150
    for text in questions:
        assert light.rank(text) == reference.rank(text), text
