"""Commands typed as text: "/influence heat" in a DM or the local console.

Slash commands are the main way in, but people also type "/ask ..." into a
DM or the console. Anything that is not a known command is a question.
"""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS = ("ask", "influence", "influences", "sources", "help")


@dataclass(frozen=True)
class TextCommand:
    name: str  # one of COMMANDS, or "unknown"
    argument: str


def parse(text: str) -> TextCommand:
    """``"/influence heat"`` -> ``TextCommand("influence", "heat")``; plain text asks."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return TextCommand("ask", stripped)
    word, _, rest = stripped[1:].partition(" ")
    name = word.lower()
    rest = rest.strip()
    for prefix in ("question:", "title:"):  # what Discord's command box inserts
        if rest.lower().startswith(prefix):
            rest = rest[len(prefix):].strip()
    if name in COMMANDS:
        return TextCommand(name, rest.strip("\"'“”"))
    return TextCommand("unknown", word)
