"""Who a question asks to hear from: "what does Kay say about luck?" wants Konrad Kay's words.

A name only counts as the asked-for speaker when the question asks for
their words ("Kay say", "did Down describe", "according to Kay", "Kay's
advice", "Kay on luck"). "What job did Down have?" is a question *about*
Down that the journalist may answer best, so it is left alone.

The names come from the corpus (every ``## speaker:`` section), so a third
interview with a new voice needs no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPEECH_VERBS = (
    r"say|says|said|saying|think|thinks|thought|feel|feels|felt|describe|describes|described|"
    r"admit|admits|admitted|regret|regrets|regretted|reckon|reckons|believe|believes|mean|means|meant|"
    r"talk|talks|talked|explain|explains|explained|reveal|reveals|revealed|recall|recalls|remember|remembers|"
    r"credit|credits|credited|joke|jokes|joked|argue|argues|argued|suggest|suggests|suggested|tell|tells|told|"
    r"claim|claims|claimed|make\s+of|recommend|recommends|recommended|advise|advises|advised|confess|confessed|"
    r"put\s+it|call|calls|called|love|loves|loved|hate|hates|hated|like|likes|liked|prefer|prefers|"
    r"want|wants|wanted|hope|hopes|hoped|answer|answers|answered|reply|replied|respond|responded|on"
)
_SPEECH_NOUNS = r"view|views|opinion|opinions|advice|take|words|thoughts|answer|quote|quotes|comments?|story"
_AFTER_NAME = re.compile(rf"^\s*(?:[\w’']+\s+){{0,2}}?(?:{_SPEECH_VERBS})\b", re.IGNORECASE)
_AFTER_POSSESSIVE = re.compile(rf"^\s*(?:[\w’']+\s+){{0,1}}?(?:{_SPEECH_NOUNS})\b", re.IGNORECASE)
_BEFORE_NAME = re.compile(r"\b(?:according\s+to|in\s+the\s+words\s+of|quotes?\s+(?:from|by)|from)\s+$", re.IGNORECASE)
_ASKING_VERB = re.compile(r"\b(?:does|did|do|would|according\s+to)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class SpeakerQuery:
    """A question split into whose words it asks for and what it asks."""

    speaker: str | None  # a full name, or "A & B" when both are asked for
    topic: str  # the question with the asked-for name taken out


class SpeakerFinder:
    """Spots the people of the corpus named in a question."""

    def __init__(self, speakers: tuple[str, ...]) -> None:
        self.speakers = speakers
        self._owner: dict[str, str] = {}
        alternatives: list[str] = []
        for name in speakers:
            parts = name.split()
            for form in {name, parts[0], parts[-1]}:
                self._owner[form.lower()] = name
                alternatives.append(re.escape(form))
        self._firsts = {name.split()[0].lower() for name in speakers}
        names = "|".join(sorted(set(alternatives), key=len, reverse=True)) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<![\w'’])(?P<name>{names})(?P<possessive>['’]s)?(?![\w'’])", re.IGNORECASE)

    def _is_name(self, question: str, match: re.Match[str]) -> bool:
        """Surnames can be everyday words ("Down"): lower case only counts after
        an asking verb ("what does down say")."""
        word = match["name"]
        if word.lower() in self._firsts or " " in word or word[0].isupper():
            return True
        return bool(_ASKING_VERB.search(question[: match.start()]))

    def _asks_for_words(self, question: str, match: re.Match[str]) -> bool:
        after = question[match.end():]
        if match["possessive"]:
            return bool(_AFTER_POSSESSIVE.match(after))
        if _BEFORE_NAME.search(question[: match.start()]):
            return True
        verb = _AFTER_NAME.match(after)
        # "Kay on luck" asks for Kay's words; "down on their luck" is an idiom.
        return bool(verb) and not (verb.group(0).strip().lower() == "on" and match["name"].islower())

    def find(self, question: str) -> SpeakerQuery:
        names = [m for m in self._pattern.finditer(question) if self._is_name(question, m)]
        groups: list[list[re.Match[str]]] = []
        for match in names:
            joined = groups and re.fullmatch(r"\s*(?:and|&)\s*", question[groups[-1][-1].end(): match.start()], re.I)
            if joined:
                groups[-1].append(match)
            else:
                groups.append([match])
        for group in groups:
            if self._asks_for_words(question, group[-1]) or _BEFORE_NAME.search(question[: group[0].start()]):
                speaker = " & ".join(dict.fromkeys(self._owner[m["name"].lower()] for m in group))
                topic = question[: group[0].start()] + question[group[-1].end():]
                return SpeakerQuery(speaker, re.sub(r"\s+", " ", topic).strip() or question)
        return SpeakerQuery(None, question)
