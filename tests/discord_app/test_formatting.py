"""Answers always fit Discord's limits, however long the passages, and echo user text safely."""

from __future__ import annotations

import dataclasses

import discord

from bot.discord_app import limits
from bot.discord_app.formatting import ask_reply, echo, hit_embeds, influence_reply, plain_hits
from bot.retrieval.search import Answer, Hit, InfluenceAnswer


def long_hits(retriever, count: int, words: int) -> list[Hit]:
    """Real passages stretched to ``words`` words, with a highlighted sentence in the middle."""
    passages = retriever.corpus.passages[:count]
    hits = []
    for passage in passages:
        text = " ".join(["verbatim"] * (words // 2)) + " The key line. " + " ".join(["words"] * (words // 2))
        start = text.index("The key line.")
        hits.append(Hit(dataclasses.replace(passage, text=text), 1.0, (start, start + len("The key line."))))
    return hits


def test_ten_very_long_passages_fit_one_message(retriever):
    embeds = hit_embeds(long_hits(retriever, 12, 3000))
    assert len(embeds) == limits.EMBEDS_PER_MESSAGE
    assert sum(len(e) for e in embeds) <= limits.EMBED_TOTAL
    assert all(len(e.description) <= limits.EMBED_DESCRIPTION for e in embeds)
    assert all(e.description.endswith("…”") for e in embeds), "cut text says so"


def test_a_cut_quote_ends_at_a_word_boundary():
    assert limits.fit("one two three four", 12) == "one two…"
    assert limits.fit("short", 12) == "short"


def test_plain_text_answers_fit_2000_characters(retriever):
    text = plain_hits("**header**", long_hits(retriever, 5, 3000))
    assert len(text) <= limits.CONTENT
    assert text.count("> “") == 5, "every passage keeps its place, shortened"


def test_echoed_questions_are_escaped_and_short():
    echoed = echo("**bold** @everyone <@123456789012345678> " + "x" * 500)
    assert "**bold**" not in echoed and "\\*\\*bold\\*\\*" in echoed
    assert "@everyone" not in echoed and "<@123456789012345678>" not in echoed
    assert len(echoed) <= 150


def test_echoed_links_do_not_unfurl():
    assert echo("see https://discord.gg/abc now") == "see <https://discord.gg/abc> now"


def test_no_match_suggests_influences_and_rephrasing():
    reply = ask_reply(Answer("pancakes", (), problem="They don't talk about that."), [], rich=True)
    assert "/influences" in reply.content and "rephrasing" in reply.content and not reply.embeds


def test_an_unknown_title_is_echoed_safely(retriever):
    found = InfluenceAnswer("@everyone **x**", None, (), suggestions=retriever.corpus.influences[:3],
                            problem="@everyone **x** is not in their list of influences.")
    reply = influence_reply(found, rich=True)
    assert "@everyone" not in reply.content and "not in their list" in reply.content
    assert "**Moneyball**" in reply.content


def test_embed_titles_link_to_the_article(retriever):
    [embed] = hit_embeds(long_hits(retriever, 1, 10))
    assert isinstance(embed, discord.Embed) and embed.url.startswith("https://")
