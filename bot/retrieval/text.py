"""Small text helpers shared by the loader, the index and the search.

Sentence splitting is a regular expression rather than a library: pysbd, the
usual choice, splits "eg. the jargon" in two and misses sentences that end
inside a closing quote ("...Industry.’ We were"), both common in this corpus.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ",
})
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(
    r"""(?<=[.!?…])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])"""
)
_MARKDOWN = re.compile(r"[*_~`|>#\\]+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def normalise(text: str) -> str:
    """Lower case, straight quotes, single spaces: for comparing, never for display."""
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip().lower()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text``, covering it end to end."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start() + len(match.group(0).rstrip())))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def clean_query(text: str | None) -> str:
    """What a user typed, made safe to search: no control or invisible
    characters, no emoji, no markdown punctuation, single spaces. Nothing is cut
    here: :mod:`bot.retrieval.question` fits a question to the model's token budget
    and says when it does."""
    if not text:
        return ""
    kept = []
    for char in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(char)
        # Control and invisible characters, and symbols (emoji): "Heat🔥" asks about Heat.
        if category in ("Cc", "Cf", "Cs", "Co", "Cn", "So", "Sk"):
            kept.append(" ")
        else:
            kept.append(char)
    return _SPACES.sub(" ", _MARKDOWN.sub(" ", "".join(kept))).strip()


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    words_of_name = [re.escape(w) for w in name.translate(_QUOTES).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words_of_name) + r"(?!\w)", re.IGNORECASE)


def find_name(text: str, name: str) -> tuple[int, int] | None:
    """Where a title or person is named in ``text``, as a character span, or None.

    Case does not matter, except for one-word names, which only count when
    capitalised: "Kids" the film, not "college kids"; "Heat", not "the heat".
    """
    if not name.strip():
        return None
    name_words = name.split()
    # Plain ASCII on both sides: the name's first word must be in the text, whatever its case (a quick no).
    if name.isascii() and text.isascii() and name_words[0].lower() not in text.lower():
        return None
    one_word = len(name_words) == 1
    for match in _name_pattern(name).finditer(text.translate(_QUOTES)):
        if not one_word or match.group(0)[0].isupper() or not match.group(0)[0].isalpha():
            return match.span()
    return None


def has_words(text: str) -> bool:
    """True when ``text`` holds at least one letter or digit (emoji-only does not)."""
    return bool(_WORD.search(text))


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (apostrophes kept inside words)."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]
