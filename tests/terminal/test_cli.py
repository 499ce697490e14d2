"""``python -m bot ...`` in-process: what it prints, and the exit codes a server admin
or a script sees when the corpus or index is broken."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot import cli
from bot.retrieval.embedder import DEFAULT_MODEL, resolve_model
from bot.settings import PROJECT_ROOT, get_settings
from tests.retrieval.retrieval_helpers import (
    CORPUS_DIR,
    INDEX_DIR,
    TINY_ARTICLE,
    change_one_word,
    move_kay_answer_to_down,
    write_article,
)

DEFAULTS = {"PIERPOINT_CORPUS_DIR": str(CORPUS_DIR), "PIERPOINT_INDEX_DIR": str(INDEX_DIR),
            "PIERPOINT_MODEL": DEFAULT_MODEL, "PIERPOINT_BACKEND": "onnx"}
VICE = "Inside 'Industry': The HBO Creators on the Inspirations Behind the Show (VICE, 2022)"


@pytest.fixture
def env(monkeypatch):
    """Set PIERPOINT_* variables for one test; settings are re-read before and after.

    The defaults are set explicitly so a developer's .env cannot point the tests elsewhere."""
    for name, value in DEFAULTS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PIERPOINT_ASK_COUNT", raising=False)
    get_settings.cache_clear()

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def shared_model(monkeypatch, embedder):
    """Commands build their own Embedder; hand them the session's already-loaded model instead."""

    def same_model(name, backend=embedder.backend, cache_dir=None):
        assert (resolve_model(name)[0], backend) == (embedder.name, embedder.backend)
        return embedder

    monkeypatch.setattr("bot.retrieval.search.Embedder", same_model)
    monkeypatch.setattr("bot.retrieval.embedder.Embedder", same_model)


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(capsys, argv, *fragments):
    """Exit 1 with a plain message naming the problem, never a traceback."""
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert out == ""
    assert err.startswith("Pierpoint can't start: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err


# -- what the commands print ----------------------------------------------------------

def test_ask_prints_the_quote_with_speaker_and_article(capsys, env, shared_model):
    code, out, _ = run(capsys, "ask", "advice", "for", "writers")
    assert code == 0
    assert out.startswith("On “advice for writers”:")
    assert "Mickey Down - Titans of Industry (Drama Quarterly, 2025)" in out
    assert "If you are writing a spec script" in out
    assert "https://dramaquarterly.com/titans-of-industry/" in out
    assert "\033[" not in out, "no colour codes when the output is not a terminal"


def test_ask_naming_a_speaker_quotes_them_first(capsys, env, shared_model):
    code, out, _ = run(capsys, "ask", "--top-k", "1", "what does Kay say about luck?")
    assert code == 0
    assert out.splitlines()[0] == "On “what does Kay say about luck?”:"
    assert "1. Konrad Kay - Titans of Industry" in out
    assert "\n2. " not in out


def test_ask_off_topic_prints_the_reason(capsys, env, shared_model):
    code, out, _ = run(capsys, "ask", "what", "is", "the", "capital", "of", "Australia?")
    assert code == 0
    assert "don't talk about that" in out
    assert "python -m bot influences" in out


def test_explain_prints_each_lists_rank_and_score_the_fusion_and_the_rules(capsys, env, shared_model):
    code, out, _ = run(capsys, "explain", "--top-k", "3", "what does Kay say about luck?")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Question: what does Kay say about luck?"
    assert "Speaker rule: asks for Konrad Kay's words" in out
    assert "Decision: answered" in out
    first = lines.index(next(line for line in lines if line.startswith("#1 ")))
    assert lines[first].startswith("#1 titans-of-industry/36  Konrad Kay")
    assert all(name in lines[first + 2] for name in ("passage", "sentence", "keywords", "annotations", "catalogue"))
    assert "fused" in lines[first + 3] and "speaker x1.00" in lines[first + 3] and "final" in lines[first + 3]


def test_explain_says_why_an_off_topic_question_gets_no_good_match(capsys, env, shared_model):
    code, out, _ = run(capsys, "explain", "what is the capital of Australia?")
    assert code == 0
    assert 'Decision: "no good match"' in out
    assert "closest unanswered example" in out


def test_explain_names_the_unanswered_example_sharing_a_missing_word(capsys, env, shared_model):
    code, out, _ = run(capsys, "explain", "is Marisa Abela married?")
    assert code == 0
    assert "closest unanswered example using one of those words: " in out
    assert "'is she married?'" in out
    assert 'Decision: "no good match": shares a word the corpus never uses' in out


def test_explain_refuses_what_ask_refuses(capsys, env, shared_model):
    question = "¿Qué dice Kay sobre la suerte?"
    _, asked, _ = run(capsys, "ask", question)
    code, out, _ = run(capsys, "explain", question)
    assert code == 0 and "in English" in asked and "Try rephrasing" not in asked
    assert "Decision: refused before searching" in out and "in English" in out and "Decision: answered" not in out


def test_explain_searches_the_part_of_a_long_message_that_ask_searches(capsys, env, shared_model):
    message = ("I love this show and have watched every episode twice with my flatmates in London. "
               "The writing is brilliant. What advice do they give to young writers?")
    code, out, _ = run(capsys, "explain", "--top-k", "1", message)
    assert code == 0
    assert "Searched: What advice do they give to young writers?" in out
    assert "Notice: I searched only the question in your message" in out
    assert "Question: What advice do they give to young writers?" in out


def test_explain_shows_the_title_rule(capsys, env, shared_model):
    code, out, _ = run(capsys, "explain", "what do they say about wolf hall?")
    assert code == 0
    assert "Title rule: asks about 'wolf hall', a title not in their list" in out
    code, out, _ = run(capsys, "explain", "what do they say about luck?")
    assert "Title rule: no title outside their list asked about" in out


def test_influence_prints_title_year_and_credit(capsys, env):
    code, out, _ = run(capsys, "influence", "heat")
    assert code == 0
    assert out.splitlines()[0] == "Heat (1995), film, directed by Michal Mann"
    assert f"Mickey Down & Konrad Kay, on Heat - {VICE}" in out
    assert "drone on about the merits of Heat?" in out


def test_influence_in_passing_prints_where_they_name_it(capsys, env):
    code, out, _ = run(capsys, "influence", "thief")
    assert code == 0
    assert out.startswith("Thief is not in their list of influences.")
    assert "Closest titles in their list: " in out
    assert "They mention Thief in passing:" in out
    assert "since Thief" in out


def test_influences_lists_all_twelve_with_year_and_credit(capsys, env, corpus):
    code, out, _ = run(capsys, "influences")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 12
    assert lines[0] == "- Moneyball (2011), film, directed by Bennett Miller"
    assert "- Girls (2011 - 2017), TV, created by Lena Dunham" in lines
    for influence, line in zip(corpus.influences, lines, strict=True):
        assert line.startswith(f"- {influence.title} ({influence.years}), ")
        assert line.endswith(influence.credit)


def test_build_then_ask_serves_a_new_corpus(capsys, env, shared_model, tmp_path):
    """A corpus editor's workflow: write an article, build, ask."""
    write_article(tmp_path / "corpus", "tiny", TINY_ARTICLE)
    env(PIERPOINT_CORPUS_DIR=tmp_path / "corpus", PIERPOINT_INDEX_DIR=tmp_path / "embeddings")
    code, _, err = run(capsys, "build", "--quiet")
    assert code == 0
    assert "Encoding 2 passages" in err and "Commit it with the corpus" in err
    code, out, _ = run(capsys, "ask", "--top-k", "1", "where did they write the pilot?")
    assert code == 0
    assert "Mickey Down - A Tiny Interview (Test Weekly, 2024)" in out
    assert "sleeper train to Inverness" in out


# -- refusing to start ----------------------------------------------------------------

@pytest.mark.parametrize("argv", [["ask", "advice"], ["influence", "heat"], ["influences"], ["build", "--quiet"],
                                  ["search", "--jsonl"]])
def test_broken_corpus_exits_1_naming_file_and_line(capsys, env, corpus_copy, argv):
    path, line = move_kay_answer_to_down(corpus_copy)
    env(PIERPOINT_CORPUS_DIR=corpus_copy)
    assert_refused(capsys, argv, f"{path}:{line}: ", "labelled 'Kay'")


def test_build_refuses_a_broken_credits_file_naming_file_and_line_and_writes_nothing(capsys, env, corpus_copy,
                                                                                     tmp_path):
    credits = corpus_copy / "influences.toml"
    lines = credits.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("year"))
    lines[line - 1] = "yaer = 1995"
    credits.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env(PIERPOINT_CORPUS_DIR=corpus_copy, PIERPOINT_INDEX_DIR=tmp_path / "embeddings")
    assert_refused(capsys, ["build", "--quiet"], f"{credits}:{line}: ", "yaer")
    assert not (tmp_path / "embeddings").exists(), "nothing encoded, no index written"


@pytest.mark.parametrize("argv", [["ask", "advice"], ["influence", "heat"], ["search", "--jsonl"]])
def test_stale_index_exits_1_with_the_fix(capsys, env, corpus_copy, argv):
    change_one_word(corpus_copy)
    env(PIERPOINT_CORPUS_DIR=corpus_copy)
    assert_refused(capsys, argv, "The corpus has changed", "python -m bot build")


def test_damaged_index_folder_exits_1_with_the_fix(capsys, env, index_copy):
    (index_copy / "manifest.json").write_text("{", encoding="utf-8")
    env(PIERPOINT_INDEX_DIR=index_copy)
    assert_refused(capsys, ["ask", "advice"], "manifest.json is damaged", "python -m bot build")


def test_other_model_configured_exits_1_with_the_fix(capsys, env):
    env(PIERPOINT_MODEL="sentence-transformers/all-mpnet-base-v2")
    assert_refused(capsys, ["influence", "heat"], "PIERPOINT_MODEL", "python -m bot build")


def test_other_backend_configured_exits_1_with_the_fix(capsys, env):
    env(PIERPOINT_BACKEND="torch")
    assert_refused(capsys, ["ask", "advice"], "built for the onnx backend",
                   "PIERPOINT_BACKEND=torch python -m bot build")


def test_unknown_backend_exits_1_naming_the_setting(capsys, env):
    env(PIERPOINT_BACKEND="tensorflow")
    code, _, err = run(capsys, "ask", "advice")
    assert code == 1 and "PIERPOINT_BACKEND" in err and "'onnx' or 'torch'" in err and len(err.splitlines()) == 1


def test_unwritable_cache_exits_1_naming_the_setting(capsys, env, tmp_path):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    env(PIERPOINT_CACHE_DIR=tmp_path / "a-file" / "cache")
    assert_refused(capsys, ["ask", "advice"], "can't be written to", "Set PIERPOINT_CACHE_DIR to a writable folder")


def test_invalid_setting_exits_1_naming_it(capsys, env):
    env(PIERPOINT_ASK_COUNT="three")
    assert_refused(capsys, ["influences"], "Invalid setting", "PIERPOINT_ASK_COUNT")


# -- usage errors ---------------------------------------------------------------------

def test_search_without_jsonl_exits_2_with_usage(capsys, env):
    code, out, err = run(capsys, "search")
    assert code == 2
    assert out == ""
    assert "python -m bot search --jsonl < questions.jsonl" in err


@pytest.mark.parametrize("top_k", ["0", "99", "-1"])
@pytest.mark.parametrize("command", [["ask", "advice"], ["search", "--jsonl"]])
def test_top_k_out_of_range_is_rejected(capsys, env, command, top_k):
    with pytest.raises(SystemExit) as stopped:
        cli.main([*command, "--top-k", top_k])
    assert stopped.value.code == 2
    assert "--top-k: must be between 1 and 25" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys, env):
    code, out, _ = run(capsys)
    assert code == 2
    assert "ask" in out and "influence" in out and "search --jsonl" in out


# -- every setting in .env.example, every command that reads it -------------------------

FAKE_TOKEN = "A" * 24 + "." + "B" * 6 + "." + "C" * 27  # token-shaped: run gets as far as loading the index
EVERY_COMMAND = [["build", "--quiet"], ["ask", "advice"], ["influence", "heat"], ["influences"], ["search", "--jsonl"],
                 ["console"], ["run"], ["sync"]]
BAD_VALUES = {  # setting: (bad value, the commands that read it)
    "DISCORD_TOKEN": ("not-a-token", [["run"], ["sync"]]),
    "PIERPOINT_MODEL": ("no-such/model", [["build", "--quiet"], ["ask", "advice"], ["influence", "heat"],
                                          ["search", "--jsonl"], ["console"], ["run"]]),
    "PIERPOINT_CORPUS_DIR": ("/no/such/folder", [c for c in EVERY_COMMAND if c != ["sync"]]),
    "PIERPOINT_INDEX_DIR": ("/etc/hostname", [c for c in EVERY_COMMAND if c not in (["sync"], ["influences"])]),
    "PIERPOINT_ASK_COUNT": ("9", EVERY_COMMAND),
    "PIERPOINT_COOLDOWN_QUESTIONS": ("0", EVERY_COMMAND),
    "PIERPOINT_COOLDOWN_SECONDS": ("soon", EVERY_COMMAND),
    "PIERPOINT_SEARCH_THREADS": ("0", EVERY_COMMAND),
    "PIERPOINT_LOG_LEVEL": ("LOUD", EVERY_COMMAND),
    "PIERPOINT_RECORDING": ("maybe", EVERY_COMMAND),
    "PIERPOINT_DATABASE_URL": ("mysql://fans@db/pierpoint", EVERY_COMMAND),
    "PIERPOINT_RECORD_QUESTIONS": ("sometimes", EVERY_COMMAND),
    "PIERPOINT_KEEP_DAYS": ("0", EVERY_COMMAND),
    "PIERPOINT_VOTER_KEY": ("short", EVERY_COMMAND),
    "PIERPOINT_SHARD_COUNT": ("0", EVERY_COMMAND),
    "PIERPOINT_SHARD_IDS": ("banana", EVERY_COMMAND),
    "PIERPOINT_METRICS_PORT": ("99999", EVERY_COMMAND),
    "PIERPOINT_METRICS_HOST": ("my laptop", EVERY_COMMAND),
    "PIERPOINT_BACKEND": ("tensorflow", EVERY_COMMAND),
    "PIERPOINT_CACHE_DIR": ("/etc/hostname", [["build", "--quiet"], ["ask", "advice"], ["influence", "heat"],
                                              ["search", "--jsonl"], ["console"], ["run"]]),
}


def settings_in_env_example() -> list[str]:
    text = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    return sorted({line.lstrip("# ").split("=", 1)[0] for line in text.splitlines()
                   if "=" in line and line.lstrip("# ").split("=", 1)[0].isupper()})


def test_every_documented_setting_is_checked_here():
    assert settings_in_env_example() == sorted(BAD_VALUES)


@pytest.mark.parametrize(("setting", "argv"), [(s, argv) for s, (_, commands) in BAD_VALUES.items()
                                               for argv in commands])
def test_a_bad_setting_stops_every_command_with_one_line_naming_it(capsys, env, monkeypatch, setting, argv):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    if setting != "DISCORD_TOKEN":
        env(DISCORD_TOKEN=FAKE_TOKEN if argv == ["run"] else "")
    env(**{setting: BAD_VALUES[setting][0]})
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("Pierpoint can't start: ") and "Traceback" not in err
    assert err.count("\n") == 1, f"one line: {err!r}"
    assert setting in err


def test_a_model_name_that_cannot_be_fetched_fails_build_with_one_line(tmp_path):
    """The issue's `PIERPOINT_MODEL=no-such/model python -m bot build`, as typed: no traceback, no warnings,
    no minute of retries (offline, the hub cannot be reached; online, the name does not exist)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "PIERPOINT_"))}
    environment |= {"PIERPOINT_MODEL": "no-such/model", "PIERPOINT_INDEX_DIR": str(tmp_path / "index")}
    done = subprocess.run([sys.executable, "-m", "bot", "build", "--quiet"], cwd=PROJECT_ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("Pierpoint can't start: PIERPOINT_MODEL='no-such/model'"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


@pytest.mark.parametrize("argv", [["influences"], ["search", "--jsonl"]])
def test_a_reader_that_closed_the_pipe_ends_the_command_quietly(argv, tmp_path):
    """`python -m bot influences | head -1`: once the reader is gone, no BrokenPipeError traceback."""
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"query": "advice for writers"}\n' * 3, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PIERPOINT_")} | DEFAULTS
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before the first line: every write fails
    try:
        with questions.open("rb") as stdin:
            done = subprocess.run([sys.executable, "-m", "bot", *argv], cwd=PROJECT_ROOT, env=environment,
                                  stdin=stdin, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
                                  check=False)
    finally:
        os.close(write_end)
    assert done.stderr == "", done.stderr
    assert done.returncode == cli.EXIT_BROKEN_PIPE
