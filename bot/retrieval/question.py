"""Preparing what a user typed for search: the language check and the model's token budget.

Every front end hands :meth:`bot.retrieval.search.Retriever.ask` raw text. Before
it is encoded, :class:`QuestionPreparer`:

* refuses a question that is clearly not English (the interviews and the model are
  English: a Spanish question would only find an unrelated quote), with a friendly
  English reply and an example. Detection is py3langid (see pyproject.toml for why),
  restricted to the languages Discord's own client is offered in, only trusted on
  three words or more ("vérité" or "Pierpoint & Co" alone is a name, not a language),
  and only when English is implausible, not merely less likely than another language;
* keeps the part that asks: a message of several sentences is searched by its question,
  or its last sentence when it has no question mark (a long fan preamble would otherwise
  outweigh it), and
  nothing longer than the model reads (all-MiniLM-L6-v2 reads 256 tokens and silently
  drops the rest) is searched: counted by the model's own tokenizer, the end of the
  message is kept rather than the start. When anything is dropped,
  :attr:`PreparedQuestion.notice` says so.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.retrieval.text import clean_query

NOT_ENGLISH = (
    "I answer questions in English about two English-language interviews with Mickey Down and Konrad Kay. "
    "Try asking in English, for example: what does Kay say about luck?"
)
DISCORD_LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "fi", "fr", "hi", "hr", "hu", "id", "it", "ja",
    "ko", "lt", "nl", "no", "pl", "pt", "ro", "ru", "sv", "th", "tr", "uk", "vi", "zh",
)
"""ISO 639-1 codes of the languages Discord's client is offered in: the languages a fan is likely to
write in. Restricting the detector to them keeps short English questions from being taken for a
rare language (py3langid calls "why Wall Street?" Nigerian Pidgin when it may choose any of 97)."""
MIN_WORDS_FOR_LANGUAGE = 3
"""Fewer words than this are a title or a name ("heat", "the Sopranos", "vérité"): never refused."""
MIN_LANGUAGE_CONFIDENCE = 0.5
"""Normalised probability of the detected language from which a question may be refused: the detector must
prefer that language to all the others together..."""
MAX_ENGLISH_PROBABILITY = 0.05
"""...and find English implausible. Both measured by benchmarks/language_detection.py on 75 English and
75 other short questions (0 English refused, 0 others answered; the others' English probability was at
most 0.021). The second condition keeps English keyword queries answered: "heat code quote spoiler"
looks 58 % French to the detector but still 31 % English; with the first alone, a threshold high enough
for such queries (0.75) lets 4 of the 75 other questions through."""
SPECIAL_TOKENS = 2
"""[CLS] and [SEP]: the model's budget includes them."""
DEFAULT_TOKEN_BUDGET = 256
"""all-MiniLM-L6-v2's max_seq_length, used when a model folder does not say."""
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
"""A sentence ends at . ! ? or … and a space, whatever case follows: fans type "great show. what does..."."""


def _sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text``'s sentences, end to end."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start() + len(match.group(0).rstrip())))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()] or [(0, len(text))]


@dataclass(frozen=True)
class PreparedQuestion:
    """What will be searched. ``problem`` is set (and ``text`` not to be searched) for a refused question;
    ``notice`` is a short line for the fan when part of the message was dropped."""

    text: str
    problem: str | None = None
    notice: str | None = None
    language: str | None = None


MODEL_ROWS_PER_READ = 8192
"""Feature rows of py3langid's weight matrix read at a time (~2.3 MB of its 28 MB): only the kept
languages' columns of each are kept, so the whole matrix is never in memory."""


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's own model and classifier, loaded light: only the columns of :data:`DISCORD_LANGUAGES`
    (29 of its 97 languages) are kept, and the byte-level automaton stays one numpy array.

    ``LanguageIdentifier.from_model_file`` keeps all 97 languages' feature weights even after
    ``set_languages`` (to allow a reset) and copies the automaton from numpy into a Python array; loaded
    this way instead, ``python -m bot ask`` peaks about 45 MB lower (notes/fix.md has the runs). The
    classifier and its scores are py3langid's, bit for bit: the kept columns are the very ones
    ``set_languages`` selects (tests/retrieval/test_question.py compares both on
    benchmarks/language_questions.tsv). Reads the model file's layout as ``py3langid.modelio.load_model``
    does (an uncompressed npz inside LZMA).
    """
    import lzma
    import shutil
    import tempfile
    import zipfile

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    with tempfile.TemporaryFile(suffix=".npz") as unpacked:  # as py3langid does: the npz is never all in memory
        with lzma.open(MODEL_DIR / MODEL_FILE) as packed:
            shutil.copyfileobj(packed, unpacked, length=1 << 20)
        unpacked.seek(0)
        with np.load(unpacked, allow_pickle=False) as model:
            classes = model["classes"].tolist()
            missing = set(DISCORD_LANGUAGES) - set(classes)
            if missing:
                raise ValueError(f"py3langid's model lacks {sorted(missing)}")
            kept = [n for n, code in enumerate(classes) if code in DISCORD_LANGUAGES]
            class_weights = model["pc"][kept]
            automaton = model["nextmove"]
            rows = model["nextmove_row"].tolist()  # Python ints: py3langid shifts them by 8 bits
            outputs = model["out_feat"].tolist()
        unpacked.seek(0)
        with zipfile.ZipFile(unpacked) as archive, archive.open("ptc.npy") as member:
            np.lib.format.read_magic(member)
            (features, columns), fortran_order, dtype = np.lib.format.read_array_header_1_0(member)
            assert not fortran_order and columns == len(classes), "py3langid changed its model layout"
            feature_weights = np.empty((features, len(kept)), dtype=dtype)
            for start in range(0, features, MODEL_ROWS_PER_READ):
                count = min(MODEL_ROWS_PER_READ, features - start)
                chunk = np.frombuffer(member.read(count * columns * dtype.itemsize), dtype=dtype)
                feature_weights[start:start + count] = chunk.reshape(count, columns)[:, kept]
    return LanguageIdentifier(feature_weights, class_weights, [classes[n] for n in kept], automaton, outputs,
                              norm_probs=True, tk_row=rows)


def detect_language(text: str) -> tuple[str, float, float]:
    """``(ISO 639-1 code, its probability, the probability of English)`` for ``text``, among
    :data:`DISCORD_LANGUAGES` (normalised probabilities: they sum to 1)."""
    ranked = _identifier().rank(text)
    language, probability = ranked[0]
    return str(language), float(probability), float(dict(ranked).get("en", 0.0))


def foreign_language(text: str) -> str | None:
    """The language code when ``text`` is confidently not English, else None (English or too short to tell).

    Text written mostly in another script (Cyrillic, CJK, Arabic...) is not English whatever its length
    (Japanese has no spaces to count words by); Latin-script text is judged by the detector from
    :data:`MIN_WORDS_FOR_LANGUAGE` words, by :data:`MIN_LANGUAGE_CONFIDENCE` and :data:`MAX_ENGLISH_PROBABILITY`.
    """
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    latin = sum(unicodedata.name(char, "").startswith("LATIN") for char in letters)
    if latin < len(letters) / 2:
        language, _, _ = detect_language(text)
        return language if language != "en" else "und"
    if len(_WORD.findall(text)) < MIN_WORDS_FOR_LANGUAGE:
        return None
    language, probability, english = detect_language(text)
    if language != "en" and probability >= MIN_LANGUAGE_CONFIDENCE and english < MAX_ENGLISH_PROBABILITY:
        return language
    return None


class QuestionPreparer:
    """Language check and token-budget cut for one model's tokenizer.

    ``count_tokens(text) -> int`` counts the model's tokens without special tokens;
    ``budget`` is the model's maximum sequence length in tokens, special tokens included.
    """

    def __init__(self, count_tokens: Callable[[str], int], budget: int = DEFAULT_TOKEN_BUDGET) -> None:
        self.count_tokens = count_tokens
        self.budget = budget
        self.room = budget - SPECIAL_TOKENS

    @classmethod
    def for_model_folder(cls, folder: Path) -> QuestionPreparer:
        """The tokenizer and budget of a sentence-transformers model folder (``tokenizer.json`` and
        ``sentence_bert_config.json``), read with the ``tokenizers`` package: no torch needed.

        Raises FileNotFoundError when the folder has no ``tokenizer.json``.
        """
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()  # tokenizer.json pads to 128: a count must not
        budget = DEFAULT_TOKEN_BUDGET
        config = folder / "sentence_bert_config.json"
        if config.is_file():
            budget = int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", budget))

        def count(text: str) -> int:
            return len(tokenizer.encode(text, add_special_tokens=False).ids)

        return cls(count, budget)

    def prepare(self, raw: str | None) -> PreparedQuestion:
        cleaned = clean_query(raw)
        language = foreign_language(cleaned)
        if language:
            return PreparedQuestion(cleaned, problem=NOT_ENGLISH, language=language)
        kept, what = self._asking_part(cleaned)
        if kept == cleaned:
            return PreparedQuestion(cleaned)
        total, dropped = len(_WORD.findall(cleaned)), len(_WORD.findall(cleaned)) - len(_WORD.findall(kept))
        return PreparedQuestion(kept, notice=f"I searched {what} and left out {dropped} of its {total} words.")

    def _asking_part(self, text: str) -> tuple[str, str]:
        """What to search, and how to say what it is. A message of several sentences is searched by
        the part that asks: its question (the sentences with a question mark, up to the last one) or,
        with no question mark, its last sentence of a few words ("thanks!" is not a question): the
        preamble around it would otherwise outweigh it in the question's vector. What is searched
        always fits the model's budget; past it, its end is kept."""
        spans = _sentences(text)
        what = "your message"
        if len(spans) > 1:
            asking = [n for n, (a, b) in enumerate(spans) if "?" in text[a:b]]
            what = "only the question in your message"
            if not asking:
                asking = [n for n, (a, b) in enumerate(spans)
                          if len(_WORD.findall(text[a:b])) >= MIN_WORDS_FOR_LANGUAGE][-1:]
                what = "only the last full sentence of your message"
            if asking:
                first = asking[-1]
                while first - 1 in asking:
                    first -= 1
                text = text[spans[first][0]: spans[asking[-1]][1]]
        if self.count_tokens(text) <= self.room:
            return text, what
        return self._tail(text), f"the end of {what.removeprefix('only ')}, too long to read whole,"

    def _tail(self, sentence: str) -> str:
        """The last words of ``sentence`` that fit (binary search on the word count)."""
        words = sentence.split(" ")
        low, high = 1, len(words)
        while low < high:
            middle = (low + high + 1) // 2
            if self.count_tokens(" ".join(words[-middle:])) <= self.room:
                low = middle
            else:
                high = middle - 1
        return " ".join(words[-low:])
