"""The local console: the bot's commands in a terminal, no Discord application needed.

A newcomer sees the bot's answers before creating a Discord application;
``python -m bot run`` falls back to it when no token is set.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.retrieval.search import Retriever
from bot.settings import Settings
from bot.terminal.render import render_answer, render_influence, render_influences
from bot.text_commands import parse

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


def answer(retriever: Retriever, line: str, settings: Settings, *, bold: bool = False) -> str:
    """What the bot would answer to one line."""
    command = parse(line)
    if command.name == "ask" and command.argument:
        return render_answer(retriever.ask(command.argument, k=settings.ask_count), bold=bold, hint=NO_MATCH_HINT)
    if command.name == "influence":
        return render_influence(retriever.influence(command.argument), bold=bold)
    if command.name == "influences":
        return render_influences(retriever.influences())
    if command.name == "sources":
        return "\n".join(f"- {a.title}, {a.publication} ({a.year})\n  {a.url}" for a in retriever.corpus.articles)
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
    print(WELCOME, file=stdout)
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
        print(answer(retriever, line, settings, bold=interactive), file=stdout, flush=True)
        print(file=stdout)
