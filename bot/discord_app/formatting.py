"""Answers as Discord messages: one embed per passage, or plain text where embeds are not allowed.

Everything here is pure (no network): it turns search results into a
:class:`Reply` that fits Discord's limits, with user text escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.discord_app import limits
from bot.retrieval.corpus import Article, Influence
from bot.retrieval.question import NOT_ENGLISH
from bot.retrieval.search import Answer, Hit, InfluenceAnswer

COLOUR = discord.Colour(0x1F3A5F)  # Pierpoint navy
ECHO_LIMIT = 150
"""How much of a user's question is repeated back in a header."""
NARRATOR = "The journalist (narration)"
_NO_PREVIEW = re.compile(r"(https?://[^\s<>]+)")  # <url> shows a link without unfurling a preview
_NO_PREVIEW_UNDO = re.compile(r"<(https?://[^\s<>]+)>")
_ESCAPE_UNDO = re.compile(r"\\(.)")  # escape_markdown puts a backslash before each markdown character
_HEADER = re.compile(r"On “(?P<question>.*)”(?: \(\d+–\d+ of \d+\))?(?:\n-# .*)?", re.DOTALL)


@dataclass
class Reply:
    """A message to send: content and/or embeds, already within Discord's limits."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)

    def send_kwargs(self) -> dict[str, Any]:
        return {"content": self.content, "embeds": self.embeds}


def echo(text: str) -> str:
    """User text made safe to post back: no markdown, no mentions, short."""
    safe = discord.utils.escape_mentions(discord.utils.escape_markdown(text))
    return _NO_PREVIEW.sub(r"<\1>", limits.fit(safe, ECHO_LIMIT))


def speaker_name(hit: Hit) -> str:
    return hit.passage.speaker or NARRATOR


def footer(article: Article) -> str:
    return f"{article.title} · {article.publication} · {article.year}"


def quote(hit: Hit, limit: int) -> str:
    """The passage in quotation marks, its best-matching sentence in bold, within ``limit``."""
    text = hit.passage.text
    start, end = hit.highlight or (0, 0)
    budget = limit - 2  # the quotation marks
    while True:
        shown = limits.fit(text, budget)
        kept = len(shown) if shown == text else len(shown) - len(limits.ELLIPSIS)
        a, b = min(start, kept), min(end, kept)
        best = shown[a:b]
        middle = f"**{_escape(best)}**" if best.strip() else _escape(best)
        result = f"“{_escape(shown[:a])}{middle}{_escape(shown[b:])}”"
        if len(result) <= limit or budget <= 20:
            return limits.fit(result, limit)
        budget -= len(result) - limit


def _escape(text: str) -> str:
    return discord.utils.escape_markdown(text)


def hit_embed(hit: Hit, *, title: str | None = None, limit: int = limits.EMBED_DESCRIPTION) -> discord.Embed:
    """One passage: the quote, who said it, where, and the link."""
    article = hit.passage.article
    if title is None:
        title = f"On {hit.passage.section}" if hit.passage.section else article.title
    embed = discord.Embed(
        title=limits.fit(title, limits.EMBED_TITLE),
        url=article.url,
        description=quote(hit, limit),
        colour=COLOUR,
    )
    embed.set_author(name=limits.fit(speaker_name(hit), limits.EMBED_AUTHOR))
    embed.set_footer(text=limits.fit(footer(article), limits.EMBED_FOOTER))
    return embed


def hit_embeds(hits: tuple[Hit, ...] | list[Hit], titles: list[str | None] | None = None) -> list[discord.Embed]:
    """One embed per passage; when together they pass Discord's 6,000 characters, the longest
    quotes are shortened to a common length (the short ones stay whole)."""
    hits = list(hits)[: limits.EMBEDS_PER_MESSAGE]
    titles = titles or [None] * len(hits)
    embeds = [hit_embed(h, title=t) for h, t in zip(hits, titles, strict=True)]
    lengths = [len(e.description or "") for e in embeds]
    room = limits.EMBED_TOTAL - 200 - (limits.total_size(embeds) - sum(lengths))  # 200: the message's own text
    cap = _common_cap(lengths, room)
    return [hit_embed(h, title=t, limit=cap) if n > cap else e
            for h, t, e, n in zip(hits, titles, embeds, lengths, strict=True)]


def _common_cap(lengths: list[int], room: int) -> int:
    """The largest length L such that sum(min(n, L)) fits in ``room`` (water-filling)."""
    remaining = room
    ordered = sorted(lengths)
    for position, length in enumerate(ordered):
        left = len(ordered) - position
        if length * left > remaining:
            return max(40, remaining // left)
        remaining -= length
    return max(lengths, default=0)


def plain_hits(header: str, hits: tuple[Hit, ...] | list[Hit]) -> str:
    """The same answer as text, for channels where the bot may not embed links.

    Every passage keeps its credit line whole; the quotes share what room is left.
    """
    credits = []
    for hit in hits:
        article = hit.passage.article
        on = f" on {hit.passage.section}" if hit.passage.section else ""
        credits.append(f"— **{_escape(speaker_name(hit))}**{on}, *{_escape(article.title)}* "
                       f"({article.publication}, {article.year}) <{article.url}>")
    fixed = len(header) + sum(len(c) + len("\n\n> \n") for c in credits)
    per_quote = max(60, (limits.CONTENT - fixed) // max(1, len(hits)))
    parts = [header] if header else []
    parts += [f"> {quote(hit, per_quote)}\n{credit}" for hit, credit in zip(hits, credits, strict=True)]
    return limits.fit("\n\n".join(parts), limits.CONTENT)


# -- replies per command ---------------------------------------------------------
NO_MATCH_HINT = "Try rephrasing, or browse their influences with `/influences`."


def ask_header(answer: Answer, page: str = "") -> str:
    """The question echoed back (escaped); each passage names its own speaker. When part of a long
    message was left out, a small second line says so (``-#`` is Discord's subtext)."""
    header = f"On “{echo(answer.question)}”{page}"
    return f"{header}\n-# {answer.notice}" if answer.notice else header


def echoed_question(content: str | None) -> str | None:
    """The question as :func:`ask_header` echoed it, read back from a posted answer's text; None when the
    text is not an answer header or the echo was cut (it ends with an ellipsis)."""
    match = _HEADER.match(content or "")
    if not match or match["question"].endswith(limits.ELLIPSIS):
        return None
    text = _NO_PREVIEW_UNDO.sub(r"\1", match["question"]).replace("@\u200b", "@")
    return _ESCAPE_UNDO.sub(r"\1", text)


def ask_reply(answer: Answer, hits: list[Hit], *, rich: bool, page: str = "") -> Reply:
    """The reply to /ask, a DM or a mention; ``hits`` is the page being shown."""
    if not hits:
        if answer.problem == NOT_ENGLISH:
            return Reply(content=NOT_ENGLISH)
        if answer.unlisted:  # the problem starts with the title as the fan typed it: quoted and escaped, as /influence
            rest = (answer.problem or "").removeprefix(answer.unlisted).strip()
            return Reply(content=f"“{echo(answer.unlisted)}” {rest} {NO_MATCH_HINT}")
        return Reply(content=f"{answer.problem or 'No good match.'} {NO_MATCH_HINT}")
    header = ask_header(answer, page)
    if not rich:
        return Reply(content=plain_hits(header, hits))
    return Reply(content=header, embeds=hit_embeds(hits))


def influence_title(influence: Influence) -> str:
    return f"{influence.title} ({influence.years}) · {influence.kind_label} {influence.credit}"


def influence_reply(found: InfluenceAnswer, *, rich: bool, limit: int = 5) -> Reply:
    """The reply to /influence: the write-up, or "not in their list" with the closest titles."""
    hits = list(found.hits[:limit])
    if found.influence:
        heading = influence_title(found.influence)
        titles: list[str | None] = [heading if h.passage.section == found.influence.title else "Also mentioned"
                                    for h in hits]
        credits = f"Credits: {_escape(found.credit_line)}" if found.credit_line else None
        if not rich:
            header = f"**{_escape(heading)}**" + (f"\n{credits}" if credits else "")
            return Reply(content=plain_hits(header, hits))
        return Reply(content=credits, embeds=hit_embeds(hits, titles))
    if found.candidates:
        return Reply(content=which_one(found))
    if not found.suggestions and not hits:
        return Reply(content=echo(found.problem or "Not found."))
    lines = [f"“{echo(found.mentioned_title or found.query)}” is not in their list of influences."]
    if found.suggestions:
        lines.append("Closest titles in their list: " + ", ".join(f"**{_escape(i.title)}**" for i in found.suggestions))
    if hits:
        lines.append("They mention it in passing:")
    header = "\n".join(lines)
    if not rich:
        return Reply(content=plain_hits(header, hits))
    return Reply(content=header, embeds=hit_embeds(hits))


def which_one(found: InfluenceAnswer) -> str:
    """The reply to a description that fits several influences about equally."""
    lines = [f"“{echo(found.query)}” fits {len(found.candidates)} of their influences:"]
    lines += [f"- **{_escape(i.title)}** ({i.years}) · {i.kind_label}, {_escape(i.credit)}" for i in found.candidates]
    lines.append("Which one? Add a name or a detail, e.g. an actor or a character.")
    return limits.fit("\n".join(lines), limits.CONTENT)


def influences_reply(influences: tuple[Influence, ...], *, rich: bool) -> Reply:
    lines = [f"**{_escape(i.title)}** ({i.years}) · {i.kind_label}, {_escape(i.credit)}" for i in influences]
    intro = "Their favourite film and TV inspirations. Read one with `/influence`."
    if not rich:
        return Reply(content=limits.fit(intro + "\n" + "\n".join(f"- {line}" for line in lines), limits.CONTENT))
    embed = discord.Embed(title="The influences", description=limits.fit("\n".join(lines), limits.EMBED_DESCRIPTION),
                          colour=COLOUR)
    articles = {i.article.slug: i.article for i in influences}
    embed.set_footer(text=limits.fit(" · ".join(footer(a) for a in articles.values()), limits.EMBED_FOOTER))
    return Reply(content=intro, embeds=[embed])


def sources_reply(articles: tuple[Article, ...], *, rich: bool) -> Reply:
    lines = [f"**{_escape(a.title)}**, {a.publication} ({a.year})\n<{a.url}>" for a in articles]
    if not rich:
        return Reply(content=limits.fit("Every answer is quoted from:\n" + "\n".join(lines), limits.CONTENT))
    embed = discord.Embed(title="Sources", colour=COLOUR,
                          description="Every answer is quoted verbatim from these interviews.")
    for article in articles[: limits.EMBED_FIELDS]:
        embed.add_field(name=limits.fit(article.title, 256),
                        value=limits.fit(f"{article.publication}, {article.year}\n{article.url}", 1024), inline=False)
    return Reply(embeds=[embed])


HELP_TEXT = (
    "I answer questions about *Industry* with what its creators, Mickey Down and Konrad Kay, "
    "actually said in two published interviews, quoted word for word.\n\n"
    "`/ask question:` ask anything, e.g. *advice for writers* or *what does Kay say about luck?*\n"
    "`/influence title:` their write-up of a film or show that shaped *Industry*, e.g. *heat* or *the pacino film*\n"
    "`/influences` the twelve influences, `/sources` the interviews, `/help` this message\n\n"
    "You can also DM me a question, or mention me with one in a server. "
    "Add `private: True` to /ask or /influence to see the answer only yourself."
)


def help_reply(*, rich: bool) -> Reply:
    if not rich:
        return Reply(content=HELP_TEXT)
    return Reply(embeds=[discord.Embed(title="Pierpoint", description=HELP_TEXT, colour=COLOUR)])
