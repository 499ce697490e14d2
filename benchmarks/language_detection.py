"""How well language detectors tell short English questions from others: the measurement behind py3langid.

    .venv/bin/python benchmarks/language_detection.py
    .venv/bin/python benchmarks/language_detection.py --candidates   # also lingua and langdetect (pip install
                                                                      # lingua-language-detector langdetect)

Reads ``benchmarks/language_questions.tsv`` (75 English fan questions, many naming foreign
titles or people such as *cinéma vérité*, *Myha'la*, *Pierpoint & Co*, 15 of them bare
keywords; and 15 questions in each of Spanish, French, German, Italian and Portuguese) and
prints, for each detector under the bot's rule (:func:`bot.retrieval.question.foreign_language`:
fewer than three words are never refused; otherwise refused when the detector, limited to the
languages of Discord's client, gives another language a probability of at least 0.5 and
English under 0.05), how many English questions it would wrongly refuse, how many others it
would answer, its accuracy and its time per question; then each detector's plain first choice.
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.retrieval import question

QUESTIONS = Path(__file__).resolve().parent / "language_questions.tsv"


def lingua_detector() -> Callable[[str], tuple[str, float, float]]:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
                 for code in question.DISCORD_LANGUAGES if code != "no"] + [Language.BOKMAL]
    detector = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()

    def detect(text: str) -> tuple[str, float, float]:
        best = detector.compute_language_confidence_values(text)[0]
        english = detector.compute_language_confidence(text, Language.ENGLISH)
        return best.language.iso_code_639_1.name.lower(), best.value, english

    return detect


def langdetect_detector() -> Callable[[str], tuple[str, float, float]]:
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0  # otherwise it answers differently from run to run

    def detect(text: str) -> tuple[str, float, float]:
        ranked = detect_langs(text)
        english = sum(r.prob for r in ranked if r.lang == "en")
        return ranked[0].lang.split("-")[0], ranked[0].prob, english

    return detect


def measure(name: str, detect: Callable[[str], tuple[str, float, float]], rows: list[dict[str, str]],
            plain: bool = False, details: bool = True) -> None:
    """The bot's rule with ``detect``; ``plain``: the detector's first choice alone, no thresholds."""
    rule = (0.0, 1.1) if plain else (question.MIN_LANGUAGE_CONFIDENCE, question.MAX_ENGLISH_PROBABILITY)
    original = question.detect_language, question.MIN_LANGUAGE_CONFIDENCE, question.MAX_ENGLISH_PROBABILITY
    question.detect_language, (question.MIN_LANGUAGE_CONFIDENCE, question.MAX_ENGLISH_PROBABILITY) = detect, rule
    try:
        started = time.perf_counter()
        refused = [(row, question.foreign_language(row["question"]) is not None) for row in rows]
        per_question = (time.perf_counter() - started) / len(rows) * 1000
    finally:
        question.detect_language, question.MIN_LANGUAGE_CONFIDENCE, question.MAX_ENGLISH_PROBABILITY = original
    english = [row["question"] for row, no in refused if row["lang"] == "en" and no]
    missed = [row["question"] for row, no in refused if row["lang"] != "en" and not no]
    n_english = sum(row["lang"] == "en" for row in rows)
    right = len(rows) - len(english) - len(missed)
    print(f"| {name} | {len(english)}/{n_english} ({len(english) / n_english:.1%}) | "
          f"{len(missed)}/{len(rows) - n_english} | {right}/{len(rows)} ({right / len(rows):.1%}) | "
          f"{per_question:.2f} |")
    for text in english if details else ():
        print(f"|   English refused: {text} | | | | |")
    for text in missed if details else ():
        print(f"|   answered although not English: {text} | | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", action="store_true", help="also measure lingua and langdetect")
    args = parser.parse_args()
    rows = list(csv.DictReader(QUESTIONS.open(encoding="utf-8"), delimiter="\t"))
    languages = sorted({row["lang"] for row in rows})
    counts = ", ".join(f"{lang}: {sum(row['lang'] == lang for row in rows)}" for lang in languages)
    print(f"{len(rows)} questions ({counts}); Python {platform.python_version()} on {platform.machine()}\n")
    print("| detector | English refused | others answered | accuracy | ms/question |")
    print("|---|---:|---:|---:|---:|")
    question.foreign_language("warm up the model")
    measure("py3langid (the bot's)", question.detect_language, rows)
    if args.candidates:
        lingua, langdetect = lingua_detector(), langdetect_detector()
        measure("lingua-language-detector", lingua, rows)
        measure("langdetect", langdetect, rows)
        for name, detect in (("py3langid", question.detect_language), ("lingua-language-detector", lingua),
                             ("langdetect", langdetect)):
            measure(f"{name}, its first choice", detect, rows, plain=True, details=False)


if __name__ == "__main__":
    main()
