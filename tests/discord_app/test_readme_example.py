"""The README's example answer is the bot's real answer, drawn as text, so it cannot drift.

The test asks the question through simcord exactly as a fan would and compares the
drawing of what the bot posted with the block in README.md between the two markers.
When the answer changes (corpus, ranking, formatting), print the new block with

    .venv/bin/python -m tests.discord_app.test_readme_example

and paste it into README.md.
"""

from __future__ import annotations

import asyncio
import re
import textwrap

from bot.settings import PROJECT_ROOT

QUESTION = "what does Kay say about luck?"
START = "<!-- example answer: the bot's real output, checked by tests/discord_app/test_readme_example.py -->"
END = "<!-- end of example answer -->"
WIDTH = 92
_ESCAPED = re.compile(r"\\([^\w\s])")  # what escape_markdown added; Discord shows the character alone


def draw(content: str, embeds: list, components: list) -> str:
    """A message as a reader sees it: the text, each embed as a card, the buttons."""
    lines = [f" you   /ask question: {QUESTION}", ""]
    header, *rest = content.split("\n")
    lines.append(f" Pierpoint   {header}")
    lines += [f"             {line}" for line in rest]
    for embed in embeds:
        lines.append(f" ┃ {embed.author.name}")
        lines.append(f" ┃ {embed.title}  ← links to the article")
        for paragraph in _ESCAPED.sub(r"\1", embed.description).split("\n"):
            lines += [f" ┃ {line}" for line in textwrap.wrap(paragraph, WIDTH)]
        lines.append(f" ┃ {embed.footer.text}")
        lines.append("")
    buttons = [child for row in components for child in row.children]
    if buttons:
        lines.append(" " + "  ".join(f"[ {' '.join(str(part) for part in (b.emoji, b.label) if part)} ]"
                                     for b in buttons))
    return "\n".join(line.rstrip() for line in lines).rstrip() + "\n"


async def real_answer(retriever=None) -> str:
    """The answer the bot posts in a server to /ask with the README's question."""
    import simcord

    from bot import create_bot
    from bot.settings import Settings

    settings = Settings(_env_file=None)
    async with simcord.run(create_bot(retriever, settings=settings, sync_commands=True)) as env:
        channel = env.create_guild("Industry fans").create_text_channel("general")
        fan = channel.guild.add_member(env.create_user("fan"))
        await fan.slash(channel, "ask", question=QUESTION)
        message = channel.last_message
        return draw(message.content, message.embeds, message.components)


def readme_block() -> str:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert START in text and END in text, "README.md lost the example answer's markers"
    block = text.split(START, 1)[1].split(END, 1)[0]
    return block.strip().removeprefix("```").removesuffix("```").strip("\n") + "\n"


def fenced(drawing: str) -> str:
    return f"{START}\n```\n{drawing}```\n{END}"


async def test_the_readme_example_is_the_real_answer(retriever):
    drawing = await real_answer(retriever)
    assert readme_block() == drawing, ("README.md's example answer is not what the bot posts; print the real one "
                                       "with: .venv/bin/python -m tests.discord_app.test_readme_example")


if __name__ == "__main__":
    print(fenced(asyncio.run(real_answer())))
