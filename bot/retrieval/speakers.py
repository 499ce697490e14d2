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

# Taking the speaker out of the topic. Only words that say "whose words" go with the name; words
# that say what kind of answer is wanted ("regret", "advice", "admit") stay in the topic.
_FILLER_VERBS = r"think|thinks|thought|feel|feels|felt|reckon|reckons|believe|believes|make\s+of|on"
_FILLER_NOUNS = r"view|views|opinion|opinions|take|words|thoughts|comments?|quotes?"
_ABOUT = r"(?:\s+(?P<about>about|of|on|regarding|towards?))?"
_CUE_BEFORE = re.compile(r"(?:\b(?:according\s+to|in\s+the\s+words\s+of|quotes?\s+(?:from|by)|from))\s+$",
                         re.IGNORECASE)
_ASKED_BEFORE = re.compile(r"(?:\b(?P<wh>what|how)\s+)?\b(?:does|did|do|would)\s+$", re.IGNORECASE)
_FILLER_VERB_AFTER = re.compile(rf"^\s*(?:{_FILLER_VERBS})\b{_ABOUT}\b", re.IGNORECASE)
_FILLER_NOUN_AFTER = re.compile(rf"^\s*(?:{_FILLER_NOUNS})\b{_ABOUT}\b", re.IGNORECASE)
_PUNCTUATION_AFTER = re.compile(r"^\s*[,:;\-–—]+")


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
                return SpeakerQuery(speaker, _topic(question, group[0].start(), group[-1]))
        return SpeakerQuery(None, question)


def _topic(question: str, start: int, last: re.Match[str]) -> str:
    """``question`` without the speaker phrase that runs from ``start`` to the end of ``last``.

    The words around the name that only say whose words are wanted go too: a cue before it
    with its comma ("according to Kay, what matters?" -> "what matters?"), an opinion verb
    after it with the asking words ("what does Kay think of luck?", "Kay on luck" -> "luck?",
    "luck"), a view noun after a possessive ("Kay's take on luck" -> "luck"). Words that say
    what is asked stay, with the name out ("what does Kay regret about X?", "Kay's advice on
    X"); so do "say" / "talk" (stripping them cost answers on the development questions:
    a passage of reported speech matches them). A phrase with nothing else is searched as typed.
    """
    before, after = question[:start], question[last.end():]
    cue = _CUE_BEFORE.search(before)
    if cue:
        before = before[: cue.start()]
        after = _PUNCTUATION_AFTER.sub("", after)
    elif last["possessive"]:
        after = _FILLER_NOUN_AFTER.sub("", after)
    else:
        filler = _FILLER_VERB_AFTER.match(after)
        if filler:
            after = after[filler.end():]
            asked = _ASKED_BEFORE.search(before)
            if asked:
                before = before[: asked.start()]
    topic = re.sub(r"\s+", " ", before + " " + after).strip(" ,:;")
    return topic if re.search(r"\w", topic) else question
