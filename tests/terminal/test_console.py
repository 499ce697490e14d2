"""The local console: the bot's commands in a terminal, for a newcomer without a Discord application."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from bot.settings import PROJECT_ROOT, Settings
from bot.terminal.console import run_console


def console(retriever, *lines: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run_console(retriever, Settings(_env_file=None), stdin=io.StringIO("".join(f"{x}\n" for x in lines)),
                       stdout=out)
    return code, " ".join(out.getvalue().split())  # the console wraps lines; compare words


def test_run_without_a_token_starts_the_console_and_exits_at_end_of_input(tmp_path):
    """The README's main command, as a newcomer runs it: no .env, no token."""
    env = {**os.environ, "DISCORD_TOKEN": "", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/ask advice for writers\n/influence madmen\n/influences\n",
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "No DISCORD_TOKEN is set" in done.stderr and "Traceback" not in done.stderr
    assert "If you are writing a spec script" in " ".join(done.stdout.split())
    assert "Mad Men (2007-2015), TV, created by Matthew Weiner" in done.stdout
    assert "Michael Clayton (2007), film, directed by Tony Gilroy" in done.stdout
    assert done.stdout.rstrip().endswith("Bye.")
    assert PROJECT_ROOT.exists()


def test_plain_text_is_a_question_and_quit_leaves(retriever):
    code, out = console(retriever, "what does Kay say about luck?", "/quit", "/ask never reached")
    assert code == 0
    assert "Konrad Kay" in out and "right place at the right time" in out
    assert "never reached" not in out


def test_unknown_commands_and_empty_questions_get_help(retriever):
    _, out = console(retriever, "/frobnicate", "/ask", "🔥🔥")
    assert "Unknown command /frobnicate" in out
    assert out.count("/influence TITLE") >= 2, "the command list is shown"
    assert "Ask a question in words" in out


def test_unknown_influence_names_the_closest_titles(retriever):
    _, out = console(retriever, "/influence the wire")
    assert "not in their list" in out and "Closest titles" in out


async def test_console_questions_are_recorded_as_console(retriever, records_database):
    import asyncio

    from bot.records.schema import questions
    from tests.records.helpers import rows

    code, _ = await asyncio.to_thread(console, retriever, "/ask advice for writers", "/influence heat")
    assert code == 0
    recorded = await rows(records_database, questions)
    assert sorted((r["via"], r["command"], r["guild_id"]) for r in recorded) == [
        ("console", "ask", None), ("console", "influence", None)]


def test_influence_by_a_description_in_the_console(retriever):
    _, out = console(retriever, "/influence the eduardo saverin movie", "/influence the 90s film",
                     "/influence margin call")
    assert "The Social Network (2010), film, directed by David Fincher" in out
    assert "Credits: 2010 · David Fincher · Jesse Eisenberg, Andrew Garfield, Justin Timberlake" in out
    assert "“the 90s film” fits 2 of their influences: - Kids (1995)" in out and "- Heat (1995)" in out
    assert "margin call is not in their list of influences." in out


def test_a_question_not_in_english_gets_the_language_reply_without_the_no_match_hint(retriever):
    _, out = console(retriever, "¿Qué dice Kay sobre la suerte?", "what's the weather in Paris tomorrow?")
    assert out.count("Try asking in English") == 1
    assert out.count("Try rephrasing") == 1, "only the off-topic question gets the hint"


def test_help_hello_and_thanks_are_not_searched(retriever):
    _, out = console(retriever, "help", "hello", "thanks!")
    assert out.count("/influence TITLE") >= 2, "the welcome and the help"
    assert "Hi! Ask me" in out and "You're welcome" in out and "don't talk about that" not in out
