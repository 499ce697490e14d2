"""Load and validate the annotated interviews in ``corpus/``.

The file format is documented in ``corpus/README.md``. Every rule the loader
enforces raises :class:`CorpusError` naming the file and line, because the
people who edit these files are fans with a text editor, not programmers with
a debugger.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.retrieval.text import find_name, has_words, normalise

NARRATION = "narration"
FRONT_MATTER_KEYS = {"title", "publication", "url", "year", "standfirst"}
REQUIRED_FRONT_MATTER = ("title", "publication", "url", "year")
INFLUENCE_KEYS = {"heading", "years", "kind", "credit", "speaker", "aliases"}
REQUIRED_INFLUENCE_KEYS = ("heading", "years", "kind", "credit", "speaker")
KINDS = {"film": "film", "tv": "TV"}
ANNOTATION_MARK = "?"
"""A line starting with ``? `` under a paragraph is an annotation: a question the paragraph answers."""
MAX_ANNOTATIONS = 8
"""Per paragraph: a handful says what it answers; more would let one paragraph crowd the annotation list."""
NOT_ANSWERED_FILE = "not-answered.txt"
"""Optional, beside the articles: questions no article answers, one ``? question`` a line."""
MAX_ANNOTATION_CHARS = 200
"""An annotation is a short question or topic line, not a second copy of the paragraph."""

_HEADING = re.compile(r"^##\s+(?P<kind>[^:]+?)\s*(?::\s*(?P<arg>.*?))?\s*$")
_META_LINE = re.compile(r"^-\s+(?P<key>[a-z_]+):\s*(?P<value>.*?)\s*$")
_ANY_HEADING = re.compile(r"^#+\s")  # "#MeToo ..." is text, "## narration" and "# Oops" are headings
_LABEL = re.compile(r"^(?P<label>[A-Z][\w’'-]*):\s+")
_ANNOTATION = re.compile(r"^\?(?:\s+(?P<text>.*))?$")


class CorpusError(ValueError):
    """A corpus file that cannot be served, with the place to fix it."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Article:
    """One published interview: where the words come from."""

    slug: str
    title: str
    publication: str
    url: str
    year: int
    standfirst: str | None = None


@dataclass(frozen=True)
class Passage:
    """One paragraph of an article, verbatim, with who says it.

    ``speaker`` is ``None`` for the journalist's narration. ``section`` is the
    influence the paragraph writes up, if any.
    """

    id: str
    article: Article
    text: str
    speaker: str | None
    section: str | None
    line: int
    annotations: tuple[str, ...] = ()
    """Editors' questions this paragraph answers ("who did the music?"): searched, never shown."""


@dataclass(frozen=True)
class Influence:
    """One entry of an article's list of influences."""

    title: str
    years: str
    kind: str
    credit: str
    heading: str
    speaker: str
    aliases: tuple[str, ...]
    article: Article
    passages: tuple[Passage, ...]
    line: int = 0

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


@dataclass(frozen=True)
class Mention:
    """A title named only in passing, and the passages that name it."""

    title: str
    aliases: tuple[str, ...]
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Corpus:
    """Everything the bot can quote."""

    articles: tuple[Article, ...]
    passages: tuple[Passage, ...]
    influences: tuple[Influence, ...]
    mentions: tuple[Mention, ...]
    sha256: str
    files: tuple[Path, ...] = field(default=())
    not_answered: tuple[str, ...] = ()
    """Editors' examples of questions no article answers (``not-answered.txt``): searched, never shown."""

    @property
    def speakers(self) -> tuple[str, ...]:
        """Individual people who speak somewhere in the corpus."""
        names: dict[str, None] = {}
        for passage in self.passages:
            for name in split_speakers(passage.speaker):
                names[name] = None
        return tuple(names)


def split_speakers(speaker: str | None) -> list[str]:
    """``"Mickey Down & Konrad Kay"`` -> ``["Mickey Down", "Konrad Kay"]``."""
    if not speaker:
        return []
    return [part.strip() for part in speaker.split("&") if part.strip()]


def corpus_files(directory: Path) -> list[Path]:
    """The article files of a corpus folder, in a stable order."""
    return sorted(p for p in directory.glob("*.md") if p.name.lower() != "readme.md")


def corpus_digest(files: Iterable[Path]) -> str:
    """A hash of the corpus files' names and bytes: any edit changes it."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_corpus(directory: Path) -> Corpus:
    """Parse and validate every article in ``directory``."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(directory, None, "the corpus folder does not exist")
    files = corpus_files(directory)
    if not files:
        raise CorpusError(directory, None, "no article files (*.md) in the corpus folder")
    articles, passages, influences, mentions = [], [], [], []
    seen_titles: dict[str, Path] = {}
    for path in files:
        parsed = _ArticleParser(path).parse()
        articles.append(parsed.article)
        passages.extend(parsed.passages)
        for influence in parsed.influences:
            key = normalise(influence.title)
            if key in seen_titles:
                raise CorpusError(path, influence.line,
                                  f"influence {influence.title!r} is already listed in {seen_titles[key]}")
            seen_titles[key] = path
            influences.append(influence)
        mentions.extend(parsed.mentions)
    not_answered_path = directory / NOT_ANSWERED_FILE
    not_answered = load_not_answered(not_answered_path) if not_answered_path.exists() else ()
    return Corpus(
        articles=tuple(articles),
        passages=tuple(passages),
        influences=tuple(influences),
        mentions=tuple(mentions),
        sha256=corpus_digest([*files, not_answered_path] if not_answered else files),
        files=tuple(files),
        not_answered=not_answered,
    )


def load_not_answered(path: Path) -> tuple[str, ...]:
    """The ``? question`` lines of ``not-answered.txt`` (``#`` lines are comments)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise CorpusError(path, line, "the file is not valid UTF-8 text") from None
    questions: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _ANNOTATION.match(stripped)
        if not match:
            raise CorpusError(path, number, "each line must be '? question' (or a '# comment')")
        text = _check_annotation(path, number, match["text"] or "", seen)
        seen.add(normalise(text))
        questions.append(text)
    return tuple(questions)


def _check_annotation(path: Path, number: int, text: str, seen: set[str]) -> str:
    """An annotation's text with spaces tidied, or CorpusError for an empty, overlong or repeated one."""
    text = " ".join(text.split())
    if not has_words(text):
        raise CorpusError(path, number, "this annotation is empty: write '? ' and a question")
    if len(text) > MAX_ANNOTATION_CHARS:
        raise CorpusError(path, number, f"this annotation is {len(text)} characters long; keep it to a short "
                                        f"question (at most {MAX_ANNOTATION_CHARS})")
    if normalise(text) in seen:
        raise CorpusError(path, number, f"this annotation repeats one already given: {text!r}")
    return text


@dataclass
class _Section:
    kind: str  # narration | speaker | influence | mentions | not passages
    line: int
    speaker: str | None = None
    title: str | None = None
    meta: dict[str, tuple[str, int]] = field(default_factory=dict)
    paragraphs: list[tuple[str, int]] = field(default_factory=list)
    items: list[tuple[str, int]] = field(default_factory=list)
    annotations: dict[int, list[str]] = field(default_factory=dict)  # paragraph number -> its questions


@dataclass
class _Parsed:
    article: Article
    passages: list[Passage]
    influences: list[Influence]
    mentions: list[Mention]


class _ArticleParser:
    """A line-by-line reader for one article file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, line: int | None, message: str) -> CorpusError:
        return CorpusError(self.path, line, message)

    def parse(self) -> _Parsed:
        try:
            raw = self.path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad) is fine
        except UnicodeDecodeError as exc:
            line = self.path.read_bytes()[: exc.start].count(b"\n") + 1
            raise self.error(line, "the file is not valid UTF-8 text") from None
        lines = raw.splitlines()
        article, body_start = self._front_matter(lines)
        sections = self._sections(lines, body_start)
        return self._build(article, sections)

    # -- front matter -----------------------------------------------------
    def _front_matter(self, lines: list[str]) -> tuple[Article, int]:
        if not lines or lines[0].strip() != "---":
            raise self.error(1, "the file must start with a '---' line opening the front matter")
        values: dict[str, tuple[str, int]] = {}
        for number, line in enumerate(lines[1:], start=2):
            if line.strip() == "---":
                break
            if not line.strip():
                continue
            if line.startswith("## "):
                raise self.error(number, "the front matter is never closed: put a '---' line before the first section")
            key, sep, value = line.partition(":")
            key = key.strip()
            if not sep or key not in FRONT_MATTER_KEYS:
                raise self.error(number,
                                 f"expected 'key: value' with key one of {sorted(FRONT_MATTER_KEYS)}, got {line!r}")
            if key in values:
                raise self.error(number, f"{key!r} is given twice")
            if not value.strip():
                raise self.error(number, f"{key!r} is empty")
            values[key] = (value.strip(), number)
        else:
            raise self.error(len(lines), "the front matter is never closed with a '---' line")
        for key in REQUIRED_FRONT_MATTER:
            if key not in values:
                raise self.error(number, f"the front matter has no {key!r}")
        year, year_line = values["year"]
        if not re.fullmatch(r"\d{4}", year):
            raise self.error(year_line, f"year must be four digits, got {year!r}")
        url, url_line = values["url"]
        if not url.startswith(("https://", "http://")):
            raise self.error(url_line, "url must start with https://")
        article = Article(
            slug=self.path.stem,
            title=values["title"][0],
            publication=values["publication"][0],
            url=url,
            year=int(year),
            standfirst=values["standfirst"][0] if "standfirst" in values else None,
        )
        return article, number

    # -- sections ---------------------------------------------------------
    def _sections(self, lines: list[str], start: int) -> list[_Section]:
        sections: list[_Section] = []
        paragraph: list[str] = []
        paragraph_line = 0
        after_annotation = False

        def flush() -> None:
            nonlocal paragraph
            if paragraph:
                sections[-1].paragraphs.append((" ".join(paragraph), paragraph_line))
                paragraph = []

        for number, line in enumerate(lines[start:], start=start + 1):
            stripped = line.strip()
            if not stripped:
                flush()
                after_annotation = False
                continue
            if _ANY_HEADING.match(stripped):
                flush()
                after_annotation = False
                sections.append(self._heading(stripped, number))
                continue
            if not sections:
                raise self.error(number, "text before the first '## ' section heading")
            section = sections[-1]
            annotation = _ANNOTATION.match(stripped)
            if annotation:
                flush()
                self._annotation(section, annotation["text"] or "", number)
                after_annotation = True
                continue
            if after_annotation:
                raise self.error(number, "leave a blank line between a paragraph's '? ' annotations "
                                         "and the next paragraph")
            meta = _META_LINE.match(stripped)
            if section.kind == "influence" and meta and not section.paragraphs and not paragraph:
                self._meta(section, meta["key"], meta["value"], number)
                continue
            if section.kind == "mentions":
                if not stripped.startswith("- ") or not stripped[2:].strip():
                    raise self.error(number, "each line under '## mentions' must be '- Title' or '- Title | alias'")
                section.items.append((stripped[2:].strip(), number))
                continue
            if not paragraph:
                paragraph_line = number
            paragraph.append(stripped)
        flush()
        return sections

    def _heading(self, text: str, number: int) -> _Section:
        match = _HEADING.match(text)
        if not match or not text.startswith("## "):
            raise self.error(number, f"section headings are '## narration', '## speaker: Name', '## influence: Title', "
                                     f"'## mentions' or '## not passages: why'; got {text!r}")
        kind, arg = match["kind"].strip().lower(), (match["arg"] or "").strip()
        if kind == NARRATION and not arg:
            return _Section("narration", number)
        if kind == "speaker" and arg:
            return _Section("speaker", number, speaker=arg)
        if kind == "influence" and arg:
            return _Section("influence", number, title=arg)
        if kind == "mentions" and not arg:
            return _Section("mentions", number)
        if kind == "not passages":
            return _Section("not passages", number)
        raise self.error(number, f"unknown section heading {text!r}: use '## narration', '## speaker: Name', "
                                 "'## influence: Title', '## mentions' or '## not passages: why'")

    def _annotation(self, section: _Section, text: str, number: int) -> None:
        """Attach ``? question`` to the paragraph just above it in the same section."""
        if section.kind in ("mentions", "not passages"):
            raise self.error(number, f"annotations ('? question') belong under a quotable paragraph, "
                                     f"not in a '## {section.kind}' section")
        if not section.paragraphs:
            raise self.error(number, "an annotation ('? question') must come right after the paragraph it describes")
        own = section.annotations.setdefault(len(section.paragraphs) - 1, [])
        text = _check_annotation(self.path, number, text, {normalise(a) for a in own})
        if len(own) >= MAX_ANNOTATIONS:
            raise self.error(number, f"a paragraph takes at most {MAX_ANNOTATIONS} annotations")
        own.append(text)

    def _meta(self, section: _Section, key: str, value: str, number: int) -> None:
        if key not in INFLUENCE_KEYS:
            raise self.error(number, f"unknown influence field {key!r}; expected one of {sorted(INFLUENCE_KEYS)}")
        if key in section.meta:
            raise self.error(number, f"{key!r} is given twice for {section.title!r}")
        if not value:
            raise self.error(number, f"{key!r} is empty")
        section.meta[key] = (value, number)

    # -- assembling -------------------------------------------------------
    def _build(self, article: Article, sections: list[_Section]) -> _Parsed:
        speaker_sections = [s.speaker for s in sections if s.speaker]
        speaker_sections += [s.meta["speaker"][0] for s in sections if "speaker" in s.meta]
        known_names = {name for sp in speaker_sections for name in split_speakers(sp)}
        passages: list[Passage] = []
        influences: list[Influence] = []
        mention_items: list[tuple[str, int]] = []
        for section in sections:
            if section.kind == "mentions":
                mention_items.extend(section.items)
                continue
            if section.kind == "not passages":
                continue
            if section.kind == "influence":
                self._check_influence(section)
            speaker = section.speaker if section.kind == "speaker" else None
            if section.kind == "influence":
                speaker = section.meta["speaker"][0]
            if not section.paragraphs:
                raise self.error(section.line, "this section has no paragraphs")
            own: list[Passage] = []
            for position, (text, number) in enumerate(section.paragraphs):
                text = self._strip_label(text, speaker, known_names, number)
                passage = Passage(
                    id=f"{article.slug}/{len(passages) + 1}",
                    article=article,
                    text=text,
                    speaker=speaker,
                    section=section.title,
                    line=number,
                    annotations=tuple(section.annotations.get(position, ())),
                )
                passages.append(passage)
                own.append(passage)
            if section.kind == "influence":
                influences.append(self._influence(section, article, own))
        if not passages:
            raise self.error(None, "the article has no passages")
        mentions = [self._mention(item, number, passages) for item, number in mention_items]
        return _Parsed(article, passages, influences, mentions)

    def _strip_label(self, text: str, speaker: str | None, known: set[str], number: int) -> str:
        """Drop a printed ``Down:`` label, checking it names the section's speaker."""
        match = _LABEL.match(text)
        if not match:
            return text
        label = match["label"]
        names_of = {part for name in known for part in name.split()}
        if label not in names_of:
            return text
        own_parts = {part for name in split_speakers(speaker) for part in name.split()}
        if label not in own_parts:
            where = f"a section spoken by {speaker}" if speaker else "a narration section"
            raise self.error(number, f"this paragraph is labelled {label!r} but sits in {where}; "
                                     f"start a '## speaker: ...' section for it")
        return text[match.end():]

    def _check_influence(self, section: _Section) -> None:
        for key in REQUIRED_INFLUENCE_KEYS:
            if key not in section.meta:
                raise self.error(section.line, f"influence {section.title!r} has no '- {key}: ...' line")
        kind, line = section.meta["kind"]
        if kind not in KINDS:
            raise self.error(line, f"kind must be one of {sorted(KINDS)}, got {kind!r}")
        heading = normalise(section.meta["heading"][0])
        for key in ("years", "credit"):
            value, line = section.meta[key]
            if normalise(value) not in heading:
                raise self.error(line, f"{key} {value!r} does not appear in the printed heading")
        if normalise(section.title or "") not in heading:
            raise self.error(section.line, f"the title {section.title!r} does not appear in the printed heading")

    def _influence(self, section: _Section, article: Article, passages: list[Passage]) -> Influence:
        meta = {key: value for key, (value, _) in section.meta.items()}
        aliases = tuple(a.strip() for a in meta.get("aliases", "").split("|") if a.strip())
        return Influence(
            title=section.title or "",
            years=meta["years"],
            kind=meta["kind"],
            credit=meta["credit"],
            heading=meta["heading"],
            speaker=meta["speaker"],
            aliases=aliases,
            article=article,
            passages=tuple(passages),
            line=section.line,
        )

    def _mention(self, item: str, number: int, passages: list[Passage]) -> Mention:
        names = [name.strip() for name in item.split("|") if name.strip()]
        found = tuple(p for p in passages if any(find_name(p.text, name) for name in names))
        if not found:
            raise self.error(number, f"{names[0]!r} is not named in any passage of this article")
        return Mention(title=names[0], aliases=tuple(names[1:]), passages=found)
