"""Commands typed as text: "/influence heat" in a DM or the local console.

Slash commands are the main way in, but people also type "/ask ..." into a
DM or the console, and "help", "hi" or "thanks" as a message of their own.
Anything else is a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMANDS = ("ask", "influence", "influences", "sources", "help")
GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "howdy", "yo", "hi there", "hello there", "hey there",
                       "good morning", "good afternoon", "good evening"})
THANKS = frozenset({"thanks", "thank you", "thanks a lot", "thank you so much", "thx", "ty", "cheers", "ta"})
"""Whole messages that are small talk, not questions: searched, "hi" or "thanks" would get "they don't talk
about that" and spend one of the fan's questions under the rate limit. Only the message as a whole counts
("thanks for the show, what about luck?" is a question), so the sets stay small and exact."""
SMALL_TALK_REPLIES = {
    "greeting": "Hi! Ask me how Industry was made and I'll answer with the creators' own words, "
                "e.g. “what does Kay say about luck?”",
    "thanks": "You're welcome! Ask me another any time, e.g. “advice for writers”.",
}
"""The short friendly answer to each kind of small talk (TextCommand.name), with an example question."""
_SMALL_TALK_NOISE = re.compile(r"[^\w\s']+|\b(?:pierpoint|bot)\b")
"""Punctuation, emoji and a name tacked on ("thanks, Pierpoint!") around small talk."""


@dataclass(frozen=True)
class TextCommand:
    name: str  # one of COMMANDS, "greeting", "thanks" (small talk), or "unknown"
    argument: str


def parse(text: str) -> TextCommand:
    """``"/influence heat"`` -> ``TextCommand("influence", "heat")``; ``"help"`` -> help; ``"hi"`` and ``"thanks"``
    -> ``"greeting"`` and ``"thanks"``; other plain text asks."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        words = " ".join(_SMALL_TALK_NOISE.sub(" ", stripped.lower()).split())
        if words == "help":
            return TextCommand("help", "")
        if words in GREETINGS:
            return TextCommand("greeting", stripped)
        if words in THANKS:
            return TextCommand("thanks", stripped)
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
