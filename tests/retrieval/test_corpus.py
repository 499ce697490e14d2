"""The corpus loader: the real interviews load as annotated, and every broken file is
reported as ``file:line: problem`` so a corpus editor knows where to look."""

from __future__ import annotations

import pytest

from bot.retrieval.corpus import load_corpus
from tests.retrieval.retrieval_helpers import (
    FRONT_MATTER,
    HEAT_FIELDS,
    INSPIRATIONS,
    JOINT,
    MARK,
    SOURCES_DIR,
    TINY_ARTICLE,
    TITANS,
    assert_rejected_at,
    edit_file,
    line_starting,
    marked,
    move_kay_answer_to_down,
    rejection,
    write_article,
)

INFLUENCES = [
    # title, years, kind, credit: exactly as printed (typos included)
    ("Moneyball", "2011", "film", "directed by Bennett Miller"),
    ("American Psycho", "2000", "film", "directed by Mary Harron"),
    ("Peep Show", "2003-2010", "tv", "created by Andrew O'Connor, Jesse Armstrong and Sam Bain"),
    ("Uncut Gems", "2019", "film", "directed by Josh & Benny Safdie"),
    ("James White", "2015", "film", "directed by Josh Mond"),
    ("Halt and Catch Fire", "2014–2017", "tv", "created by Christopher Cantwell and Christopher C. Rogers"),
    ("Kids", "1995", "film", "directed by Larry Clark"),
    ("Heat", "1995", "film", "directed by Michal Mann"),
    ("The Social Network", "2010", "film", "directed by David Fincher"),
    ("Mad Men", "2007-2015", "tv", "created by Matthew Weiner"),
    ("Girls", "2011 - 2017", "tv", "created by Lena Dunham"),
    ("Michael Clayton", "2007", "film", "directed by Tony Gilroy"),
]

NOT_PASSAGES = [
    "Titans of Industry",  # headline
    "Inside 'Industry': The HBO Creators",  # headline
    "Industry showrunners Mickey Down and Konrad Kay reflect",  # standfirst
    "The makers of the propulsive banking drama",  # standfirst
    "Alex Alomar Akpobome, Myha’la Herrold, Harry Lawtey in HBO TV show Industry",  # photo caption
    "Photo: Simon Ridgway/HBO",
    "Deeper into Movies",  # section label
    "Heat (1995), directed by Michal Mann",  # an influence heading
    "Catch season two",  # sign-off
    "Like that? Watch this!",  # reader suggestions
    "Billions: Set in the world",
    "Bad Banks: This German series",
    "The Morning Show: Set in",
    "tagged in:",
]


def passage_starting(corpus, start):
    found = [p for p in corpus.passages if p.text.startswith(start)]
    assert len(found) == 1, f"expected one passage starting {start!r}, got {len(found)}"
    return found[0]


def source_paragraphs(slug):
    return [line.strip() for line in (SOURCES_DIR / f"{slug}.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def need_sources():
    if not SOURCES_DIR.is_dir():
        pytest.skip(f"the published source texts are not available at {SOURCES_DIR}")


def label_of(passage):
    """The label the source prints before a quote: the speaker's surname."""
    return passage.speaker.split()[-1] if passage.speaker and "&" not in passage.speaker else None


# -- the real corpus --------------------------------------------------------------

def test_real_corpus_has_both_interviews(corpus):
    found = {(a.slug, a.title, a.publication, a.year) for a in corpus.articles}
    assert found == {
        ("inside-industry-inspirations",
         "Inside 'Industry': The HBO Creators on the Inspirations Behind the Show", "VICE", 2022),
        ("titans-of-industry", "Titans of Industry", "Drama Quarterly", 2025),
    }
    assert all(a.url.startswith("https://") for a in corpus.articles)


def test_real_corpus_lists_twelve_influences_as_printed(corpus):
    assert [(i.title, i.years, i.kind, i.credit) for i in corpus.influences] == INFLUENCES
    assert {i.speaker for i in corpus.influences} == {JOINT}
    assert all(i.passages for i in corpus.influences), "every influence has a write-up"
    heat = next(i for i in corpus.influences if i.title == "Heat")
    assert (heat.heading, heat.kind_label) == ("Heat (1995), directed by Michal Mann", "film")


def test_real_corpus_speakers_are_the_two_creators(corpus):
    assert corpus.speakers == ("Mickey Down", "Konrad Kay")


@pytest.mark.parametrize(("start", "speaker", "section"), [
    ("This is a very lonely job; I’m very grateful I have Konrad.", "Mickey Down", None),  # no label
    ("Down’s advice to aspiring writers", None, None),  # the journalist paraphrasing
    ("We were in a position after we made the micro-budget feature", "Mickey Down", None),  # no label
    ("We could throw anything at them", "Mickey Down", None),  # no label
    ("We literally said in the pitch", "Konrad Kay", None),
    ("And then like people like Ken Leung", "Konrad Kay", None),
    ("They came up with one project called Highway", None, None),
    ("You really want to hear two heterosexual men drone on", JOINT, "Heat"),
    ("While Industry doesn’t have such an obviously satirical edge", JOINT, "American Psycho"),
])
def test_real_corpus_attributes_paragraphs_to_the_right_speaker(corpus, start, speaker, section):
    passage = passage_starting(corpus, start)
    assert (passage.speaker, passage.section) == (speaker, section)


def test_printed_labels_are_not_part_of_the_quote(corpus):
    assert not [p.id for p in corpus.passages if p.text.startswith(("Down:", "Kay:"))]
    assert passage_starting(corpus, "We literally said in the pitch").speaker == "Konrad Kay"
    assert passage_starting(corpus, "You would write something, you’d pitch it").speaker == "Mickey Down"


@pytest.mark.parametrize("text", NOT_PASSAGES)
def test_headlines_captions_and_tag_lines_are_never_quoted(corpus, text):
    assert not [p.id for p in corpus.passages if text in p.text]


def test_standfirst_is_kept_but_not_quoted(corpus):
    standfirsts = [a.standfirst for a in corpus.articles]
    assert all(standfirsts)
    assert not {p.text for p in corpus.passages} & set(standfirsts)


def test_passage_ids_number_each_article_from_one(corpus):
    for article in corpus.articles:
        ids = [p.id for p in corpus.passages if p.article == article]
        assert ids == [f"{article.slug}/{n}" for n in range(1, len(ids) + 1)]


def test_every_passage_is_verbatim_in_the_published_article(corpus):
    need_sources()
    for passage in corpus.passages:
        source = (SOURCES_DIR / f"{passage.article.slug}.txt").read_text(encoding="utf-8")
        assert passage.text in source, passage.id


def test_printed_labels_match_the_annotated_speaker(corpus):
    """Where the source prints "Kay: ...", the passage is Konrad Kay's, and vice versa."""
    need_sources()
    labelled = 0
    for passage in corpus.passages:
        paragraphs = source_paragraphs(passage.article.slug)
        for label in ("Down", "Kay"):
            if f"{label}: {passage.text}" in paragraphs:
                labelled += 1
                assert label_of(passage) == label, passage.id
    assert labelled >= 15


def test_every_published_paragraph_is_a_passage_or_a_known_non_passage(corpus):
    """Nothing the creators said was left out of the corpus."""
    need_sources()
    headings = {i.heading for i in corpus.influences}
    for article in corpus.articles:
        texts = {p.text for p in corpus.passages if p.article == article}
        for paragraph in source_paragraphs(article.slug):
            label, _, rest = paragraph.partition(": ")
            quoted = paragraph in texts or (label in ("Down", "Kay") and rest in texts)
            known = paragraph in headings or paragraph.startswith(tuple(NOT_PASSAGES))
            assert quoted or known, f"{article.slug}: {paragraph[:70]!r} is neither quoted nor a known non-passage"


@pytest.mark.parametrize(("title", "phrase"), [
    ("Thief", "since Thief"),
    ("Fawlty Towers", "Fawlty Towers scripts are masterclasses"),
    ("The Sopranos", "making The Sopranos or Mad Men"),
    ("The Office", "huge Office (UK) heads"),
    ("Succession", "between Succession and Euphoria"),
    ("Not An Exit", "Not An Exit"),
    ("Highway", "called Highway"),
])
def test_mentions_point_at_the_passages_that_name_them(corpus, title, phrase):
    mention = next(m for m in corpus.mentions if m.title == title)
    assert mention.passages
    assert any(phrase in p.text for p in mention.passages)
    assert [p for p in corpus.passages if phrase in p.text] == [p for p in mention.passages if phrase in p.text]


def test_the_office_is_found_under_its_printed_alias(corpus):
    office = next(m for m in corpus.mentions if m.title == "The Office")
    assert office.aliases == ("Office (UK)",)


# -- a small valid file -------------------------------------------------------------

def test_a_small_valid_article_loads_with_label_stripped(tmp_path):
    write_article(tmp_path, "tiny", TINY_ARTICLE)
    corpus = load_corpus(tmp_path)
    assert [(p.id, p.speaker, p.text[:20]) for p in corpus.passages] == [
        ("tiny/1", None, "The pair spoke to us"),
        ("tiny/2", "Mickey Down", "We wrote the pilot o"),
    ]
    assert corpus.articles[0].standfirst is None


def test_paragraph_lines_are_joined_and_windows_line_endings_accepted(tmp_path):
    text = FRONT_MATTER + "\n## narration\n\nFirst line of a paragraph\ncontinues here.\n"
    write_article(tmp_path, "crlf", text.replace("\n", "\r\n").encode())
    [passage] = load_corpus(tmp_path).passages
    assert passage.text == "First line of a paragraph continues here."
    assert passage.line == 10


# -- what the loader rejects ------------------------------------------------------

INFLUENCE_HEAD = "\n## influence: Heat" + MARK + "\n"
BROKEN = {
    "missing front matter": ("## narration" + MARK + "\n\nHello.\n", "must start with a '---' line"),
    "unclosed front matter": ("---\ntitle: T\npublication: P" + MARK + "\n", "never closed"),
    "front matter runs into a section": ("---\ntitle: T\npublication: P\n\n## narration" + MARK + "\n\nHi.\n",
                                         "front matter is never closed"),
    "unknown key": ("---\ntitle: T\nauthor: Someone" + MARK + "\n---\n", "'author: Someone'"),
    "repeated key": ("---\ntitle: T\ntitle: U" + MARK + "\n---\n", "'title' is given twice"),
    "empty value": ("---\ntitle:" + MARK + "\n---\n", "'title' is empty"),
    "missing required key": ("---\ntitle: T\npublication: P\nyear: 2024\n---" + MARK + "\n\n## narration\n\nHi.\n",
                             "no 'url'"),
    "bad year": (FRONT_MATTER.replace("year: 2024", "year: 24" + MARK) + "\n## narration\n\nHi.\n",
                 "year must be four digits"),
    "bad url": (FRONT_MATTER.replace("url: https://example.org/tiny", "url: example.org/tiny" + MARK)
                + "\n## narration\n\nHi.\n", "url must start with https://"),
    "text before first section": (FRONT_MATTER + "\nStray text." + MARK + "\n\n## narration\n\nHi.\n",
                                  "text before the first"),
    "unknown heading": (FRONT_MATTER + "\n## narration\n\nHi.\n\n## interview: Bob" + MARK + "\n\nYo.\n",
                        "unknown section heading '## interview: Bob'"),
    "third-level heading": (FRONT_MATTER + "\n## narration\n\nHi.\n\n### aside" + MARK + "\n\nYo.\n",
                            "'### aside'"),
    "influence missing kind": (FRONT_MATTER + INFLUENCE_HEAD + HEAT_FIELDS.replace("- kind: film\n", "")
                               + "\nGreat.\n", "has no '- kind: ...' line"),
    "influence missing credit": (FRONT_MATTER + INFLUENCE_HEAD
                                 + HEAT_FIELDS.replace("- credit: directed by Michal Mann\n", "") + "\nGreat.\n",
                                 "has no '- credit: ...' line"),
    "unknown influence field": (FRONT_MATTER + "\n## influence: Heat\n- director: Mann" + MARK + "\n" + HEAT_FIELDS
                                + "\nGreat.\n", "unknown influence field 'director'"),
    "bad kind": (FRONT_MATTER + "\n## influence: Heat\n" + HEAT_FIELDS.replace("kind: film", "kind: movie" + MARK)
                 + "\nGreat.\n", "kind must be one of"),
    "credit not in heading": (FRONT_MATTER + "\n## influence: Heat\n"
                              + HEAT_FIELDS.replace("credit: directed by Michal Mann",
                                                    "credit: directed by Michael Mann" + MARK) + "\nGreat.\n",
                              "credit 'directed by Michael Mann' does not appear in the printed heading"),
    "years not in heading": (FRONT_MATTER + "\n## influence: Heat\n"
                             + HEAT_FIELDS.replace("years: 1995", "years: 1996" + MARK) + "\nGreat.\n",
                             "years '1996' does not appear"),
    "title not in heading": (FRONT_MATTER + "\n## influence: Thief" + MARK + "\n" + HEAT_FIELDS + "\nGreat.\n",
                             "the title 'Thief' does not appear"),
    "label of another speaker": (FRONT_MATTER + "\n## speaker: Mickey Down\n\nDown: Hi.\n\n## speaker: Konrad Kay\n\n"
                                 "Kay: Yo.\n\nDown: Oops." + MARK + "\n",
                                 "labelled 'Down' but sits in a section spoken by Konrad Kay"),
    "label in narration": (FRONT_MATTER + "\n## speaker: Mickey Down\n\nDown: Hi.\n\n## narration\n\nSo.\n\n"
                           "Down: Oops." + MARK + "\n", "labelled 'Down' but sits in a narration section"),
    "section with no paragraphs": (FRONT_MATTER + "\n## narration" + MARK + "\n\n## speaker: Mickey Down\n\nHi.\n",
                                   "this section has no paragraphs"),
    "influence with no write-up": (FRONT_MATTER + INFLUENCE_HEAD + HEAT_FIELDS + "\n## narration\n\nHi.\n",
                                   "this section has no paragraphs"),
    "mention named nowhere": (FRONT_MATTER + "\n## narration\n\nHeat is great.\n\n## mentions\n\n- Heat\n- Thief"
                              + MARK + "\n", "'Thief' is not named in any passage"),
    "malformed mention line": (FRONT_MATTER + "\n## narration\n\nHeat is great.\n\n## mentions\n\nHeat" + MARK + "\n",
                               "must be '- Title'"),
}


# -- annotations: the questions a paragraph answers ---------------------------------

ANNOTATED = FRONT_MATTER + """
## narration

The pair spoke to us on a train.
? where did the interview happen?

## speaker: Mickey Down

Down: We wrote the pilot on the sleeper train to Inverness. Trains are the best place to write.

? where did they write the first episode?
?   the best place to write
"""


def test_annotations_attach_to_the_paragraph_above_and_leave_its_text_verbatim(tmp_path):
    write_article(tmp_path, "tiny", ANNOTATED)
    narration, quote = load_corpus(tmp_path).passages
    assert narration.text == "The pair spoke to us on a train."
    assert narration.annotations == ("where did the interview happen?",)
    assert quote.text == "We wrote the pilot on the sleeper train to Inverness. Trains are the best place to write."
    assert quote.annotations == ("where did they write the first episode?", "the best place to write")


def test_every_real_passage_carries_two_to_five_annotations_and_quotes_none(corpus):
    for passage in corpus.passages:
        assert 2 <= len(passage.annotations) <= 5, passage.id
        assert not any(a in passage.text for a in passage.annotations), passage.id


BROKEN_ANNOTATIONS = {
    "annotation before any paragraph": (FRONT_MATTER + "\n## narration\n\n? what is this about?" + MARK
                                        + "\n\nHi.\n", "must come right after the paragraph it describes"),
    "annotation right after influence fields": (FRONT_MATTER + "\n## influence: Heat\n" + HEAT_FIELDS
                                                + "? what about Heat?" + MARK + "\n\nGreat.\n",
                                                "must come right after the paragraph"),
    "empty annotation": (FRONT_MATTER + "\n## narration\n\nHi.\n?" + MARK + "\n", "this annotation is empty"),
    "punctuation-only annotation": (FRONT_MATTER + "\n## narration\n\nHi.\n? ?!" + MARK + "\n",
                                    "this annotation is empty"),
    "overlong annotation": (FRONT_MATTER + "\n## narration\n\nHi.\n? " + "why " * 60 + MARK + "\n",
                            "keep it to a short question"),
    "repeated annotation": (FRONT_MATTER + "\n## narration\n\nHi.\n? who said hi?\n? Who  said hi?" + MARK + "\n",
                            "repeats one already given"),
    "ninth annotation": (FRONT_MATTER + "\n## narration\n\nHi.\n"
                         + "".join(f"? question {n}\n" for n in range(8)) + "? one too many" + MARK + "\n",
                         "at most 8 annotations"),
    "paragraph glued to annotations": (FRONT_MATTER + "\n## narration\n\nHi.\n? who said hi?\nYo." + MARK + "\n",
                                       "leave a blank line"),
    "annotation in a not-passages section": (FRONT_MATTER + "\n## narration\n\nHi.\n\n## not passages: sign-off"
                                             "\n\nBye.\n? who said bye?" + MARK + "\n",
                                             "not in a '## not passages' section"),
    "annotation under mentions": (FRONT_MATTER + "\n## narration\n\nHeat is great.\n\n## mentions\n\n- Heat\n"
                                  "? is Heat good?" + MARK + "\n", "not in a '## mentions' section"),
}


@pytest.mark.parametrize("case", list(BROKEN_ANNOTATIONS), ids=list(BROKEN_ANNOTATIONS))
def test_malformed_annotation_is_reported_with_file_and_line(tmp_path, case):
    text, fragment = BROKEN_ANNOTATIONS[case]
    text, line = marked(text)
    path = write_article(tmp_path, "broken", text)
    assert_rejected_at(tmp_path, path, line, fragment)


def test_a_malformed_annotation_in_the_real_corpus_names_its_line(corpus_copy):
    path = corpus_copy / TITANS
    line = line_starting(path, "? what was Mickey's day job before TV?")
    edit_file(path, "? what was Mickey's day job before TV?", "?")
    assert_rejected_at(corpus_copy, path, line, "this annotation is empty")


NOT_ANSWERED = "not-answered.txt"


def test_not_answered_examples_load_without_comments(tmp_path):
    write_article(tmp_path, "tiny", TINY_ARTICLE)
    (tmp_path / NOT_ANSWERED).write_text("# about trains\n\n? when is the next train?\n?  what does a ticket cost?\n",
                                         encoding="utf-8")
    assert load_corpus(tmp_path).not_answered == ("when is the next train?", "what does a ticket cost?")


@pytest.mark.parametrize(("text", "fragment"), [
    ("? when is the next train?\nwhat does a ticket cost?" + MARK + "\n", "each line must be '? question'"),
    ("? when is the next train?\n? When is the next  train?" + MARK + "\n", "repeats one already given"),
    ("# trains\n?" + MARK + "\n", "this annotation is empty"),
])
def test_malformed_not_answered_example_is_reported_with_file_and_line(tmp_path, text, fragment):
    write_article(tmp_path, "tiny", TINY_ARTICLE)
    text, line = marked(text)
    path = tmp_path / NOT_ANSWERED
    path.write_text(text, encoding="utf-8")
    assert_rejected_at(tmp_path, path, line, fragment)


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_file_is_reported_with_file_and_line(tmp_path, case):
    text, fragment = BROKEN[case]
    text, line = marked(text)
    path = write_article(tmp_path, "broken", text)
    assert_rejected_at(tmp_path, path, line, fragment)


def test_non_utf8_bytes_are_reported_at_their_line(tmp_path):
    text = FRONT_MATTER + "\n## narration\n\nCafé society.\n"
    path = write_article(tmp_path, "latin", text.encode("latin-1"))
    assert_rejected_at(tmp_path, path, 10, "not valid UTF-8")


def test_empty_file_is_reported(tmp_path):
    path = write_article(tmp_path, "empty", "")
    assert_rejected_at(tmp_path, path, 1, "must start with a '---' line")


@pytest.mark.parametrize("make", ["empty folder", "missing folder"])
def test_folder_without_articles_is_reported(tmp_path, make):
    folder = tmp_path / "corpus"
    if make == "empty folder":
        folder.mkdir()
        (folder / "README.md").write_text("# not an article\n", encoding="utf-8")
    error = rejection(folder)
    assert str(error).startswith(f"{folder}: ")
    assert "corpus folder" in str(error)


def test_article_with_only_non_passages_is_reported(tmp_path):
    path = write_article(tmp_path, "hollow", FRONT_MATTER + "\n## not passages: caption\n\nPhoto: HBO\n")
    assert str(rejection(tmp_path)).startswith(f"{path}:")


def test_editing_the_real_corpus_badly_names_the_line(corpus_copy):
    """A corpus editor moves Kay's answer into Down's section by mistake."""
    path, line = move_kay_answer_to_down(corpus_copy)
    assert_rejected_at(corpus_copy, path, line, "labelled 'Kay' but sits in a section spoken by Mickey Down")


def test_labelling_narration_in_the_real_corpus_names_the_line(corpus_copy):
    path = corpus_copy / TITANS
    line = line_starting(path, "Down’s advice to aspiring")
    edit_file(path, "Down’s advice to aspiring", "Down: Down’s advice to aspiring")
    assert_rejected_at(corpus_copy, path, line, "narration section")


def test_removing_a_mentioned_title_from_the_real_corpus_names_the_mention(corpus_copy):
    path = corpus_copy / INSPIRATIONS
    line = line_starting(path, "- Thief")
    edit_file(path, "real, since Thief.", "real, since forever.")
    assert_rejected_at(corpus_copy, path, line, "'Thief' is not named in any passage")


# -- bugs -----------------------------------------------------------------------

def test_influence_listed_twice_names_the_second_heading(tmp_path):
    text, line = marked(FRONT_MATTER + "\n## influence: Heat\n" + HEAT_FIELDS + "\nGreat.\n\n"
                        "## influence: Heat" + MARK + "\n" + HEAT_FIELDS + "\nAgain.\n")
    path = write_article(tmp_path, "twice", text)
    assert_rejected_at(tmp_path, path, line, "already listed")


@pytest.mark.parametrize("line_text", ["year : 24", " year: 24"])
def test_bad_year_with_unusual_spacing_is_reported(tmp_path, line_text):
    text, line = marked(FRONT_MATTER.replace("year: 2024", line_text + MARK) + "\n## narration\n\nHi.\n")
    path = write_article(tmp_path, "spaced", text)
    assert_rejected_at(tmp_path, path, line, "year must be four digits")


def test_paragraph_starting_with_a_hashtag_is_a_passage(tmp_path):
    write_article(tmp_path, "hashtag", FRONT_MATTER + "\n## narration\n\n#MeToo changed how TV is made.\n")
    assert [p.text for p in load_corpus(tmp_path).passages] == ["#MeToo changed how TV is made."]


def test_utf8_file_with_byte_order_mark(tmp_path):
    path = write_article(tmp_path, "notepad", ("\ufeff" + TINY_ARTICLE).encode("utf-8"))
    try:
        corpus = load_corpus(tmp_path)
    except ValueError as error:  # an explicit message about the BOM would do as well
        message = str(error).removeprefix(str(path)).lower()
        assert "byte order mark" in message or "bom" in message
    else:
        assert corpus.articles[0].title == "A Tiny Interview"
