"""``python -m bot ...``: every way to run Pierpoint from a terminal.

    build                       encode the corpus into embeddings/ (after editing corpus/)
    ask "question" [--top-k K]  the creators' words on a question
    influence TITLE             their write-up of one influence
    influences                  the list
    search --jsonl [--top-k K]  batch mode for scripts: JSON lines in, JSON lines out
    run                         the Discord bot (or the local console when no token is set)
    console                     the local console: the bot's commands in a terminal
    sync [--guild ID] [--clear] register the slash commands with Discord
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from bot.retrieval.corpus import CorpusError
from bot.retrieval.index import StaleIndexError
from bot.settings import Settings, SettingsError, get_settings

log = logging.getLogger("bot")


def _retriever(settings: Settings):
    from bot.retrieval.search import Retriever

    return Retriever.load(settings.corpus_dir, settings.index_dir, settings.model)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from bot.retrieval.corpus import load_corpus
    from bot.retrieval.embedder import Embedder
    from bot.retrieval.index import build_index, save_index, units_for

    corpus = load_corpus(settings.corpus_dir)
    units = units_for(corpus)
    print(f"Encoding {len(corpus.passages)} passages, {len(units.sentence_texts)} sentences and "
          f"{len(units.annotation_texts)} annotations "
          f"from {len(corpus.articles)} articles with {settings.model} ...", file=sys.stderr)
    embedder = Embedder(settings.model)
    index = build_index(corpus, embedder, progress=not args.quiet, units=units)
    manifest = save_index(index, corpus, settings.index_dir, units)
    print(f"Wrote {manifest.parent}/ ({index.nbytes / 1024:.0f} KiB of vectors). Commit it with the corpus.",
          file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.render import render_answer

    answer = _retriever(settings).ask(" ".join(args.question), k=args.top_k)
    print(render_answer(answer, bold=sys.stdout.isatty()))
    return 0


def cmd_explain(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.explain import render_explanation

    retriever = _retriever(settings)
    print(render_explanation(retriever, retriever.explain(" ".join(args.question)), rows=args.top_k))
    return 0


def cmd_influence(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.render import render_influence

    print(render_influence(_retriever(settings).influence(" ".join(args.title)), bold=sys.stdout.isatty()))
    return 0


def cmd_influences(args: argparse.Namespace, settings: Settings) -> int:
    from bot.retrieval.corpus import load_corpus
    from bot.terminal.render import render_influences

    print(render_influences(load_corpus(settings.corpus_dir).influences))
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.batch import run_batch

    if not args.jsonl:
        print("search reads JSON lines: python -m bot search --jsonl < questions.jsonl", file=sys.stderr)
        return 2
    retriever = _retriever(settings)
    for line in run_batch(retriever, sys.stdin, args.top_k):
        print(line, flush=True)
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.console import run_console

    return run_console(_retriever(settings), settings)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.token:
        print("No DISCORD_TOKEN is set, so Pierpoint starts its local console instead.\n"
              "To run it on Discord, put your bot token in .env (see .env.example and the README).\n",
              file=sys.stderr)
        return cmd_console(args, settings)
    from bot.discord_app.runner import run_bot

    return run_bot(settings)


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.discord_app.runner import sync_commands

    return sync_commands(settings, guild_id=args.guild, clear=args.clear)


def _top_k(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 25:
        raise argparse.ArgumentTypeError("must be between 1 and 25")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace, Settings], int], text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    add("build", cmd_build, "Encode the corpus into embeddings/.").add_argument(
        "--quiet", action="store_true", help="no progress bar")
    ask = add("ask", cmd_ask, "Answer a question with the creators' words.")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--top-k", type=_top_k, default=3, help="passages to show (1-25, default 3)")
    explain = add("explain", cmd_explain, "For maintainers: each ranked list, the fusion and the rules for a question.")
    explain.add_argument("question", nargs="+")
    explain.add_argument("--top-k", type=_top_k, default=10, help="passages to show (1-25, default 10)")
    add("influence", cmd_influence, "Their write-up of one influence.").add_argument("title", nargs="+")
    add("influences", cmd_influences, "List the influences.")
    search = add("search", cmd_search, "Batch mode: JSON lines in, JSON lines out.")
    search.add_argument("--jsonl", action="store_true", help="read JSON lines from stdin (required)")
    search.add_argument("--top-k", type=_top_k, default=5, help="results per question (1-25, default 5)")
    add("run", cmd_run, "Run the Discord bot (the local console when no token is set).")
    add("console", cmd_console, "The bot's commands in a terminal.")
    sync = add("sync", cmd_sync, "Register the slash commands with Discord.")
    sync.add_argument("--guild", type=int,
                      help="one server's id: instant, for testing (default: global, up to an hour)")
    sync.add_argument("--clear", action="store_true", help="with --guild: remove that server's copies of the commands")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    if args.command != "run":  # the bot sets up discord.py's own log format
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.handler(args, get_settings())
    except (CorpusError, StaleIndexError, SettingsError) as exc:
        print(f"Pierpoint can't start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
