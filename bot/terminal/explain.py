"""``python -m bot explain "question"``: why ``ask`` ranked what it ranked, for maintainers.

For each passage it prints its rank and score in every ranked list (passage,
sentence window, keywords, annotations, catalogue), the fused score, what each
rule (quote over lead-in, narration, speaker) multiplied it by, and the final
score; above them, the asked-for speaker, whether it asks about a title that is
not in their list, and the "no good match" decision with the figures it was taken on.
The question goes through the same preparation as ``ask`` first
(:mod:`bot.retrieval.question`): a refused question (not English) is shown as refused
before any search, and when only part of a long message is searched, that part and the
notice ``ask`` gives are shown.
"""

from __future__ import annotations

import math

from bot.retrieval.search import (
    MIN_KEYWORD_SCORE,
    MIN_RELEVANCE,
    NOT_ANSWERED_MARGIN,
    SHARED_WORD_MARGIN,
    Retriever,
    Scoring,
)
from bot.retrieval.text import clean_query

ROWS = 10
"""Passages shown: the ones ``ask`` would return first, then any ranked out by the keep rule."""
EXCERPT = 90
"""Characters of each passage shown, to recognise it."""


def _cell(rank: float, score: float) -> str:
    if math.isinf(rank):
        return f"{'-':>3} {'':>6}"
    return f"{int(rank):>3} {score:>6.3f}"


def explain_question(retriever: Retriever, raw: str, rows: int = ROWS) -> str:
    """Plain text for what ``ask`` does with ``raw``: its preparation, then :func:`render_explanation`."""
    prepared = retriever.questions.prepare(raw)
    if prepared.problem:
        return "\n".join([f"Question: {prepared.text}",
                           f"Language check: {prepared.language or 'unknown'}, not English",
                           f"Decision: refused before searching: {prepared.problem}"])
    lines = []
    if prepared.notice:
        lines += [f"Asked: {clean_query(raw)}", f"Notice: {prepared.notice}", f"Searched: {prepared.text}"]
    return "\n".join([*lines, render_explanation(retriever, retriever.explain(prepared.text), rows)])


def render_explanation(retriever: Retriever, scoring: Scoring | None, rows: int = ROWS) -> str:
    """Plain text, one block per passage; ``scoring`` None means a question with no words."""
    if scoring is None:
        return "That question has no words to search for."
    refusal = scoring.refusal
    lines = [f"Question: {scoring.question}"]
    if scoring.asked.speaker:
        lines.append(f"Speaker rule: asks for {scoring.asked.speaker}'s words; searched for: {scoring.asked.topic}")
    else:
        lines.append("Speaker rule: no speaker asked for")
    unlisted = retriever.unlisted_title(scoring)
    lines.append(f"Title rule: asks about {unlisted.subject!r}, a title not in their list ({unlisted.why}): "
                 "answered \"not in their list\", whatever follows" if unlisted else
                 "Title rule: no title outside their list asked about")
    closest = f" ({refusal.closest!r})" if refusal.closest else ""
    lines.append(
        f"No-match rule: best passage/sentence/annotation cosine {refusal.answered:.3f}; closest unanswered "
        f"example {refusal.unanswered:.3f}{closest}; words the corpus never uses: "
        f"{', '.join(refusal.unknown_words) or 'none'}"
    )
    if refusal.lookup:
        lines.append("  a keyword lookup (one word the corpus uses): every passage using it is kept, never off topic")
    if refusal.shared:
        lines.append(f"  closest unanswered example using one of those words: {refusal.shared_score:.3f} "
                     f"({refusal.shared!r})")
    if refusal.refused:
        why = (f"off topic (every cosine under {MIN_RELEVANCE}, no keyword score of {MIN_KEYWORD_SCORE})"
               if refusal.off_topic else
               f"closer to an unanswered example than to any passage (margin {NOT_ANSWERED_MARGIN})"
               if refusal.reason == "closer to an unanswered example" else
               f"shares a word the corpus never uses with an unanswered example nearly as close as the "
               f"best passage (margin {SHARED_WORD_MARGIN})")
        lines.append(f"Decision: \"no good match\": {why}")
    else:
        lines.append("Decision: answered" + (" (a speaker's words asked for: only an unanswered example sharing a "
                                             "missing word could refuse it)" if scoring.asked.speaker else ""))
    names = list(scoring.lists)
    lines.append("")
    lines.append("Each list: rank, score (- = not in that list). "
                 "Rules: the factor each rule multiplied the fused score by.")
    shown = list(scoring.order[:rows])
    dropped = [i for i in sorted(range(len(scoring.shortlist)), key=lambda i: -scoring.final[i])
               if i not in set(scoring.order)][: max(0, rows - len(shown))]
    for place, i in enumerate(shown + dropped, start=1):
        passage = retriever.corpus.passages[scoring.shortlist[i]]
        label = f"#{place}" if i in shown else "(kept out: under every relevance floor)"
        text = passage.text if len(passage.text) <= EXCERPT else passage.text[:EXCERPT - 1] + "…"
        lines.append(f"{label} {passage.id}  {passage.speaker or 'the journalist'}"
                     f"{' on ' + passage.section if passage.section else ''}")
        lines.append(f"    {text}")
        lines.append("    " + "  ".join(f"{name} {_cell(scoring.lists[name].ranks[i], scoring.lists[name].scores[i])}"
                                        for name in names))
        rules = "  ".join(f"{name} x{factor[i]:.2f}" for name, factor in scoring.rules.items())
        lines.append(f"    fused {scoring.fused[i]:.3f}  {rules}  final {scoring.final[i]:.3f}")
    return "\n".join(lines)
