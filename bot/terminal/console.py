"""The local console: the bot's commands in a terminal, no Discord application needed.

A newcomer sees the bot's answers before creating a Discord application;
``python -m bot run`` falls back to it when no token is set.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from bot.records import RecordsError, ask_record, influence_record, new_record_id
from bot.records.background import BackgroundRecorder
from bot.retrieval.search import Retriever
from bot.settings import Settings
from bot.terminal.render import render_answer, render_influence, render_influences
from bot.text_commands import SMALL_TALK_REPLIES, parse

PROMPT = "pierpoint> "
COMMANDS = """Commands:
  /ask QUESTION      the creators' words on a question (or just type the question)
  /influence TITLE   their write-up of one influence, e.g. /influence heat or /influence the pacino film
  /influences        the list of influences
  /sources           the interviews the answers come from
  /help              this list
  /quit              leave (or end of input, Ctrl-D)"""
WELCOME = "Pierpoint local console: the answers the Discord bot gives.\n" + COMMANDS
NO_MATCH_HINT = "Try rephrasing, or list their influences with /influences."


def answer(retriever: Retriever, line: str, settings: Settings, *, bold: bool = False,
           recorder: BackgroundRecorder | None = None) -> str:
    """What the bot would answer to one line; questions and lookups go to ``recorder`` when given."""
    command = parse(line)
    started = time.perf_counter()
    if command.name == "ask" and command.argument:
        found = retriever.ask(command.argument, k=settings.ask_count)
        if recorder is not None:
            recorder.record(ask_record(new_record_id(), found, shown=settings.ask_count, via="console", guild_id=None,
                                       started=started))
        return render_answer(found, bold=bold, hint=NO_MATCH_HINT)
    if command.name == "influence":
        looked_up = retriever.influence(command.argument)
        if recorder is not None:
            recorder.record(influence_record(looked_up, shown=5, via="console", guild_id=None, started=started))
        return render_influence(looked_up, bold=bold)
    if command.name == "influences":
        return render_influences(retriever.influences())
    if command.name == "sources":
        return "\n".join(f"- {a.title}, {a.publication} ({a.year})\n  {a.url}" for a in retriever.corpus.articles)
    if command.name in SMALL_TALK_REPLIES:
        return SMALL_TALK_REPLIES[command.name]
    if command.name == "unknown":
        return f"Unknown command /{command.argument}.\n{COMMANDS}"
    if command.name == "ask":  # a bare "/ask"
        return f"Ask a question in words, for example: /ask advice for writers\n{COMMANDS}"
    return COMMANDS


def run_console(retriever: Retriever, settings: Settings, stdin: TextIO | None = None,
                stdout: TextIO | None = None) -> int:
    """Read lines until /quit or end of input; answer each one."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    recorder = _open_recorder(settings)
    print(WELCOME, file=stdout)
    try:
        return _loop(retriever, settings, stdin, stdout, interactive, recorder)
    finally:
        if recorder is not None:
            recorder.close()


def _open_recorder(settings: Settings) -> BackgroundRecorder | None:
    """The records database, or None (with a one-line note) when it is off or cannot be used."""
    if not settings.recording:
        return None
    try:
        return BackgroundRecorder(settings)
    except RecordsError as exc:
        print(f"Not recording questions: {exc}", file=sys.stderr)
        return None


def _loop(retriever: Retriever, settings: Settings, stdin: TextIO, stdout: TextIO, interactive: bool,
          recorder: BackgroundRecorder | None) -> int:
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        try:
            line = stdin.readline()
        except KeyboardInterrupt:
            line = ""
        if not line:
            print("Bye.", file=stdout)
            return 0
        if not line.strip():
            continue
        if line.strip().lower() in ("/quit", "/exit", "quit", "exit"):
            print("Bye.", file=stdout)
            return 0
        print(answer(retriever, line, settings, bold=interactive, recorder=recorder), file=stdout, flush=True)
        print(file=stdout)
