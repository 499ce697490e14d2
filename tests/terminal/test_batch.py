"""Batch mode for scripts: one JSON answer per JSON question, in order, and a bad line
never stops the batch."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.retrieval.embedder import DEFAULT_MODEL
from bot.settings import PROJECT_ROOT
from bot.terminal.batch import run_batch
from tests.retrieval.retrieval_helpers import CORPUS_DIR, INDEX_DIR

RESULT_KEYS = {"text", "speaker", "article", "publication", "url", "section", "score"}
LONG = "x" * 5000


def request(**fields):
    return json.dumps(fields, ensure_ascii=False)


# (input line, id echoed, answered with results?, message fragment or None)
SCRIPT = [
    (request(id="advice", query="advice for writers"), "advice", True, None),
    ("", None, None, None),  # blank: skipped, no answer line
    ("{this is not json", None, False, "line 3: not valid JSON"),
    ("[1, 2, 3]", None, False, "line 4: expected a JSON object"),
    (request(id="cmd", command="summarise", query="heat"), "cmd", False, "command must be one of ask, influence"),
    (request(id="noquery"), "noquery", False, "query must be a string"),
    (request(id="numquery", query=42), "numquery", False, "query must be a string"),
    (request(id="empty", query=""), "empty", False, "Ask a question in words"),
    (request(id="long", query=LONG), "long", False, "don't talk about that"),
    (request(id="emoji", query="🎬🍿🔥"), "emoji", False, "Ask a question in words"),
    ("   ", None, None, None),  # whitespace only: skipped too
    (request(id="heat", command="influence", query="heat"), "heat", True, None),
    (request(id="thief", command="influence", query="thief"), "thief", True, "not in their list"),
    (request(id="kay", query="what does Kay say about luck?"), "kay", True, None),
    (request(id=7, query="how did HBO get involved?"), 7, True, None),
    (request(id="es", query="¿Qué dice Kay sobre la suerte?"), "es", False, "I answer questions in English"),
    (request(id="name", query="what do they think of cinéma vérité?"), "name", True, None),
    (request(id="preamble", query="I binge-watched all three seasons this month and can't stop thinking about "
             "the trading floor. " * 6 + "What does Kay say about luck?"), "preamble", True,
     "I searched only the question in your message and left out"),
]


def answered(script):
    return [entry for entry in script if entry[0].strip()]


def parse_lines(lines):
    return [json.loads(line) for line in lines]


def assert_results_are_passages(results, corpus, top_k):
    texts = {p.text for p in corpus.passages}
    assert len(results) <= top_k
    for result in results:
        assert set(result) == RESULT_KEYS
        assert result["text"] in texts
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def assert_script_answered(outputs, corpus, top_k):
    expected = answered(SCRIPT)
    assert len(outputs) == len(expected), "one answer line per non-blank question line"
    for out, (line, ident, has_results, message) in zip(outputs, expected, strict=True):
        assert out["id"] == ident, line
        assert_results_are_passages(out["results"], corpus, top_k)
        assert bool(out["results"]) == has_results, line
        if message:
            assert message in out["message"], line
        else:
            assert "message" not in out, line


@pytest.mark.parametrize("top_k", [1, 3])
def test_every_line_gets_an_answer_in_order(retriever, corpus, top_k):
    lines = [entry[0] + "\n" for entry in SCRIPT]
    assert_script_answered(parse_lines(run_batch(retriever, lines, top_k)), corpus, top_k)


def test_answers_carry_the_attribution(retriever):
    [advice, heat] = parse_lines(run_batch(retriever, [SCRIPT[0][0], SCRIPT[11][0]], 5))
    assert advice["results"][0]["speaker"] == "Mickey Down"
    assert any(r["text"].startswith("If you are writing a spec script") for r in advice["results"][:3])
    assert advice["results"][0]["article"] == "Titans of Industry"
    assert advice["results"][0]["publication"] == "Drama Quarterly"
    assert advice["results"][0]["url"] == "https://dramaquarterly.com/titans-of-industry/"
    first = heat["results"][0]
    assert (first["section"], first["speaker"], first["publication"]) == ("Heat", "Mickey Down & Konrad Kay", "VICE")


def test_top_k_cuts_an_influence_write_up(retriever):
    [found] = parse_lines(run_batch(retriever, [request(command="influence", query="amercan psycho")], 2))
    assert [r["section"] for r in found["results"]] == ["American Psycho", "American Psycho"]


def test_output_keeps_curly_quotes_readable(retriever):
    [line] = run_batch(retriever, [request(query="advice for writers")], 1)
    assert "’" in line and "\\u2019" not in line


def test_real_entry_point_answers_a_script(corpus):
    """``python -m bot search --jsonl`` end to end, as a script author runs it."""
    stdin = "".join(entry[0] + "\n" for entry in SCRIPT)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PIERPOINT_CORPUS_DIR": str(CORPUS_DIR),
           "PIERPOINT_INDEX_DIR": str(INDEX_DIR), "PIERPOINT_MODEL": DEFAULT_MODEL}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "search", "--jsonl", "--top-k", "2"],
        input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=PROJECT_ROOT, env=env, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    outputs = parse_lines(done.stdout.splitlines())  # stdout holds nothing but JSON lines
    assert_script_answered(outputs, corpus, 2)
    assert all(len(out["results"]) == 2 for out in outputs if out["id"] in ("advice", "kay", 7))


def test_a_question_after_a_long_preamble_is_answered_as_if_asked_alone(retriever):
    alone, = parse_lines(run_batch(retriever, [request(id=1, query="what does Kay say about luck?")], 3))
    preamble = "I binge-watched all three seasons this month and can't stop thinking about the trading floor. " * 6
    long, = parse_lines(run_batch(retriever, [request(id=1, query=preamble + "What does Kay say about luck?")], 3))
    assert [r["text"] for r in long["results"]] == [r["text"] for r in alone["results"]]
    assert long["results"][0]["speaker"] == "Konrad Kay"
