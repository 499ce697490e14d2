"""The influences' public credits, loaded from ``corpus/influences.toml``.

Editorial facts (titles, year, director or creators, writers, cast and their
characters, network or studio, places and firms of the story, a one-line premise,
nicknames) that let a fan
find an influence by what they remember of it. They come from the films' and
shows' public credits, never from the interviews, so they are never quoted as
the creators' words. The format is documented in ``corpus/README.md``; every
problem is reported as :class:`~bot.retrieval.corpus.CorpusError`
(``file:line: what is wrong``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from bot.retrieval.corpus import CorpusError, Influence
from bot.retrieval.text import normalise

CREDITS_FILE = "influences.toml"
"""The credits file's name inside the corpus folder."""
FIRST_YEAR, LAST_YEAR = 1888, 2100
"""Plausible release years: the first surviving film to well past any show we will list."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_HEADER = re.compile(r"^\s*\[\[\s*influence\s*\]\]\s*(#.*)?$")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


class CastMember(BaseModel):
    """One principal actor and the character they play."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    actor: Text
    character: Text


class Credits(BaseModel):
    """The public credits of one influence; ``title`` names its ``## influence:`` entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Text
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    end_year: int | None = Field(default=None, ge=FIRST_YEAR, le=LAST_YEAR)
    also_known_as: tuple[Text, ...] = ()
    directors: tuple[Text, ...] = ()
    creators: tuple[Text, ...] = ()
    writers: tuple[Text, ...] = ()
    producers: tuple[Text, ...] = ()
    based_on: Text | None = None
    networks: tuple[Text, ...] = ()
    studios: tuple[Text, ...] = ()
    genres: tuple[Text, ...] = ()
    places: tuple[Text, ...] = ()
    premise: Text
    nicknames: tuple[Text, ...] = ()
    cast: tuple[CastMember, ...] = Field(min_length=1)
    line: int = Field(default=0, exclude=True)

    @model_validator(mode="after")
    def _consistent(self) -> Credits:
        if self.end_year is not None and self.end_year < self.year:
            raise ValueError("end_year is before year")
        if not self.directors and not self.creators:
            raise ValueError("give directors (a film) or creators (a show)")
        return self

    @property
    def years(self) -> range:
        """Every year it was released or on air."""
        return range(self.year, (self.end_year or self.year) + 1)

    def credit_line(self, stars: int = 3) -> str:
        """The bot's own credit line: "1995 · Michael Mann · Al Pacino, Robert De Niro, Val Kilmer"."""
        years = f"{self.year}–{self.end_year}" if self.end_year else str(self.year)
        people = " & ".join(self.directors or self.creators)
        return " · ".join([years, people, ", ".join(c.actor.replace('"', "") for c in self.cast[:stars])])


def load_credits(path: Path, influences: Sequence[Influence]) -> dict[str, Credits]:
    """Credits by influence title, from ``path``; ``{}`` when the file does not exist.

    Raises :class:`CorpusError` (``file:line: problem``) for invalid TOML, an unknown
    or mistyped field, a title that is not an ``## influence:`` of the corpus, or a
    title given credits twice. An influence without credits is allowed.
    """
    path = Path(path)
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise CorpusError(path, None, "not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise CorpusError(path, int(found.group(1)) if found else None,
                          f"not valid TOML: {_TOML_LINE.sub('', str(exc)).strip()}") from exc
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines, start=1) if _HEADER.match(line)]
    unknown = set(data) - {"influence"}
    if unknown:
        raise CorpusError(path, _key_line(lines, 1, len(lines), sorted(unknown)[0]),
                          f"unknown table {sorted(unknown)[0]!r}: every entry starts with [[influence]]")
    entries = data.get("influence", [])
    if not isinstance(entries, list) or len(entries) != len(starts):
        raise CorpusError(path, starts[0] if starts else 1, "write each entry as an [[influence]] table")
    titles = {normalise(i.title): i.title for i in influences}
    found_credits: dict[str, Credits] = {}
    for number, (entry, start) in enumerate(zip(entries, starts, strict=True)):
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(lines)
        try:
            credits = Credits.model_validate({**entry, "line": start})
        except ValidationError as exc:
            # A misspelt field ("yaer") also leaves one missing: name the misspelling first.
            error = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
            raise CorpusError(path, _error_line(lines, start, end, error["loc"]),
                              _describe(error)) from exc
        title = titles.get(normalise(credits.title))
        if title is None:
            raise CorpusError(path, _key_line(lines, start, end, "title"),
                              f"{credits.title!r} is not an influence of the corpus (an `## influence:` heading)")
        if title in found_credits:
            raise CorpusError(path, start, f"{title!r} already has credits at line {found_credits[title].line}")
        found_credits[title] = credits
    return found_credits


def _describe(error: dict) -> str:
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown field {where!r}"
    if error["type"] == "missing":
        return f"missing field {where!r}"
    return f"{where}: {error['msg']}" if where else error["msg"].removeprefix("Value error, ")


def _key_line(lines: list[str], start: int, end: int, key: str) -> int:
    """The line of ``key = ...`` between ``start`` and ``end`` (1-based), else ``start``."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return next((n for n in range(start, end + 1) if pattern.match(lines[n - 1])), start)


def _error_line(lines: list[str], start: int, end: int, loc: tuple) -> int:
    """Where a validation error points: its field, or the n-th ``{`` of a list of tables."""
    if not loc or not isinstance(loc[0], str):
        return start
    line = _key_line(lines, start, end, loc[0])
    if len(loc) > 1 and isinstance(loc[1], int):
        braces = [n for n in range(line, end + 1) if "{" in lines[n - 1]]
        if loc[1] < len(braces):
            return braces[loc[1]]
    return line
