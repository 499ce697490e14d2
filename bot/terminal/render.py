"""Answers as plain text, for the terminal and the local console."""

from __future__ import annotations

import textwrap

from bot.retrieval.corpus import Influence
from bot.retrieval.question import NOT_ENGLISH
from bot.retrieval.search import Answer, Hit, InfluenceAnswer

WIDTH = 88
BOLD, RESET = "\033[1m", "\033[0m"


def attribution(hit: Hit) -> str:
    p = hit.passage
    who = p.speaker or "The journalist"
    on = f", on {p.section}" if p.section else ""
    return f"{who}{on} - {p.article.title} ({p.article.publication}, {p.article.year})"


def quote(hit: Hit, *, bold: bool = False) -> str:
    """The passage wrapped to the terminal, its best sentence in bold on a colour terminal."""
    text = hit.passage.text
    if bold and hit.highlight:
        start, end = hit.highlight
        text = f"{text[:start]}{BOLD}{text[start:end]}{RESET}{text[end:]}"
    return textwrap.fill(f"“{text}”", width=WIDTH, initial_indent="  ", subsequent_indent="  ")


def render_hits(hits: tuple[Hit, ...], *, bold: bool = False) -> str:
    blocks = []
    for number, hit in enumerate(hits, start=1):
        blocks.append(f"{number}. {attribution(hit)}\n{quote(hit, bold=bold)}\n   {hit.passage.article.url}")
    return "\n\n".join(blocks)


NO_MATCH_HINT = "Try rephrasing, or list their influences with: python -m bot influences"


def render_answer(answer: Answer, *, bold: bool = False, hint: str = NO_MATCH_HINT) -> str:
    if not answer.hits:
        if answer.problem == NOT_ENGLISH:  # it says what to do: "try rephrasing" would contradict it
            return NOT_ENGLISH
        return f"{answer.problem or 'No good match.'}\n{hint}"
    notice = f"({answer.notice})\n" if answer.notice else ""
    return f"On “{answer.question}”:\n{notice}\n{render_hits(answer.hits, bold=bold)}"


def render_influence(answer: InfluenceAnswer, *, bold: bool = False) -> str:
    if answer.influence:
        credits = f"\nCredits: {answer.credit_line}" if answer.credit_line else ""
        return f"{influence_line(answer.influence)}{credits}\n\n{render_hits(answer.hits, bold=bold)}"
    if answer.candidates:
        fitting = [f"- {influence_line(i)}" for i in answer.candidates]
        return "\n".join([f"“{answer.query}” fits {len(fitting)} of their influences:", *fitting,
                          "Which one? Add a name or a detail, e.g. an actor or a character."])
    lines = [answer.problem or "Not found."]
    if answer.suggestions:
        lines.append("Closest titles in their list: " + ", ".join(i.title for i in answer.suggestions))
    if answer.hits:
        lines += ["", f"They mention {answer.mentioned_title} in passing:", "", render_hits(answer.hits, bold=bold)]
    return "\n".join(lines)


def influence_line(influence: Influence) -> str:
    return f"{influence.title} ({influence.years}), {influence.kind_label}, {influence.credit}"


def render_influences(influences: tuple[Influence, ...]) -> str:
    return "\n".join(f"- {influence_line(i)}" for i in influences)
