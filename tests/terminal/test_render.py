"""Plain-text answers for the terminal: verbatim quotes, attributed, wrapped to the screen."""

from __future__ import annotations

import pytest

from bot.terminal.render import BOLD, RESET, WIDTH, attribution, render_answer, render_hits, render_influence


def squashed(text):
    """Text without any whitespace: wrapping may move line breaks, never words."""
    return "".join(text.split())


def hits_for(retriever, question, k=3):
    answer = retriever.ask(question, k=k)
    assert answer.hits, answer.problem
    return answer.hits


@pytest.mark.parametrize("question", ["advice for writers", "what did they think of Heat?"])
def test_quotes_are_verbatim_numbered_and_fit_the_terminal(retriever, question):
    hits = hits_for(retriever, question)
    out = render_hits(hits)
    for number, hit in enumerate(hits, start=1):
        assert f"{number}. {attribution(hit)}" in out
        assert squashed(f"“{hit.passage.text}”") in squashed(out)
        assert hit.passage.article.url in out
    assert max(len(line) for line in out.splitlines() if line.startswith("  ")) <= WIDTH


def test_best_sentence_is_bold_on_a_colour_terminal(retriever):
    [hit] = hits_for(retriever, "What did Kay say about being in the right place at the right time?", k=1)
    out = render_hits((hit,), bold=True)
    assert out.count(BOLD) == 1 and out.count(RESET) == 1
    assert squashed(BOLD + hit.highlighted_sentence + RESET) in squashed(out)
    assert BOLD not in render_hits((hit,), bold=False)


def test_journalist_is_credited_as_the_journalist(retriever):
    hit = next(h for h in hits_for(retriever, "advice for writers", k=5) if h.passage.speaker is None)
    assert attribution(hit) == "The journalist - Titans of Industry (Drama Quarterly, 2025)"


def test_answer_without_hits_explains_and_suggests_the_list(retriever):
    out = render_answer(retriever.ask("who won the world cup in 2018?"))
    assert out.splitlines() == [
        "Mickey Down and Konrad Kay don't talk about that in these interviews.",
        "Try rephrasing, or list their influences with: python -m bot influences",
    ]


def test_unknown_title_shows_closest_titles_only(retriever):
    answer = retriever.influence("the wire")
    out = render_influence(answer)
    assert out.splitlines() == [
        "the wire is not in their list of influences.",
        "Closest titles in their list: " + ", ".join(i.title for i in answer.suggestions),
    ]
