"""Descriptions of an influence ("the pacino film", "that 90s hbo show"): the quick ways
:class:`~bot.retrieval.descriptions.DescriptionIndex` rules profiles out never change what fits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.retrieval.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
TYPED = [
    "the pacino film", "that 90s hbo show", "the sorkin film", "a film from 1995", "channel 4 sitcom",
    "the one with leo fitzpatrik", "de nero heist movie", "sevingy", "what does Kay say about luck?",
    "heat", "jon hamm", "the seventies", "lions gate", "the safdies film", "a bit mad",
]


class _NeverDisjoint:
    """Stands in for a profile's exact words so that every profile is scored in full."""

    def isdisjoint(self, _other: object) -> bool:
        return False


def _questions() -> list[str]:
    own = ROOT / "benchmarks" / "questions_own.jsonl"
    return TYPED + [json.loads(line)["query"] for line in own.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("in_question", [True, False])
def test_ruling_profiles_out_by_their_words_changes_no_fit(corpus, in_question):
    quick = Catalogue(corpus).descriptions
    full = Catalogue(corpus).descriptions
    full._exact = [_NeverDisjoint() for _ in full._exact]
    for text in _questions():
        assert quick.fits(text, in_question=in_question) == full.fits(text, in_question=in_question), text
