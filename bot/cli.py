"""``python -m bot ...``: every way to run Pierpoint from a terminal.

    build                       encode the corpus into embeddings/ (after editing corpus/)
    ask "question" [--top-k K]  the creators' words on a question
    explain "question"          for maintainers: why ask ranked what it ranked
    influence TITLE             their write-up of one influence
    influences                  the list
    search --jsonl [--top-k K]  batch mode for scripts: JSON lines in, JSON lines out
    run                         the Discord bot (or the local console when no token is set)
    console                     the local console: the bot's commands in a terminal
    sync [--guild ID] [--clear] register the slash commands with Discord
    stats [--days N] [--json] [--html FILE]  questions, "no good match" and votes, from the records
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.encoder.export import ExportError
from bot.retrieval.corpus import CorpusError
from bot.retrieval.embedder import ModelError
from bot.retrieval.index import StaleIndexError
from bot.settings import Settings, SettingsError, get_settings

log = logging.getLogger("bot")
EXIT_BROKEN_PIPE = 141
"""What a shell reports for a program ended by SIGPIPE (128 + 13): ``head`` closed the pipe early."""


def _check_folders(settings: Settings, *, index: bool = True) -> None:
    """Name the setting when a configured folder is not there (the loaders name only the path)."""
    if not settings.corpus_dir.is_dir():
        raise SettingsError(f"PIERPOINT_CORPUS_DIR={settings.corpus_dir} is not a folder. "
                            "Point it at the corpus, or unset it to use the repository's corpus/.")
    if index and not (settings.index_dir / "manifest.json").is_file():
        raise SettingsError(f"PIERPOINT_INDEX_DIR={settings.index_dir} holds no index. "
                            "Point it at one, unset it for the repository's embeddings/, or run: python -m bot build")


def _retriever(settings: Settings):
    from bot.retrieval.search import Retriever

    _check_folders(settings)
    return Retriever.load(settings.corpus_dir, settings.index_dir, settings.model, backend=settings.backend,
                          cache_dir=settings.cache_dir)


def cmd_build(args: argparse.Namespace, settings: Settings) -> int:
    from bot.retrieval.corpus import load_corpus
    from bot.retrieval.credits import CREDITS_FILE, load_credits
    from bot.retrieval.embedder import Embedder
    from bot.retrieval.index import build_index, save_index, units_for

    _check_folders(settings, index=False)
    if settings.index_dir.exists() and not settings.index_dir.is_dir():
        raise SettingsError(f"PIERPOINT_INDEX_DIR={settings.index_dir} is a file, not a folder to write the index in.")
    corpus = load_corpus(settings.corpus_dir)
    load_credits(settings.corpus_dir / CREDITS_FILE, corpus.influences)  # a broken credits file fails before encoding
    units = units_for(corpus)
    embedder = Embedder(settings.model, settings.backend, settings.cache_dir)
    embedder.model  # noqa: B018 - load it now: a bad PIERPOINT_MODEL fails before any output
    if settings.backend == "onnx":
        embedder.onnx_folder  # noqa: B018 - the question encoder first: a bad PIERPOINT_CACHE_DIR fails before encoding
    print(f"Encoding {len(corpus.passages)} passages, {len(units.sentence_texts)} sentences and "
          f"{len(units.annotation_texts)} annotations "
          f"from {len(corpus.articles)} articles with {settings.model} ...", file=sys.stderr)
    index = build_index(corpus, embedder, progress=not args.quiet, units=units)
    try:
        # The ONNX question encoder is exported from the very model that just encoded the corpus.
        manifest = save_index(index, corpus, settings.index_dir, units, encoder=embedder.identity())
    except OSError as exc:
        raise SettingsError(f"PIERPOINT_INDEX_DIR={settings.index_dir}: cannot write the index there "
                            f"({exc.strerror or exc}).") from None
    print(f"Wrote {manifest.parent}/ ({index.nbytes / 1024:.0f} KiB of vectors). Commit it with the corpus.",
          file=sys.stderr)
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.render import render_answer

    answer = _retriever(settings).ask(" ".join(args.question), k=args.top_k)
    print(render_answer(answer, bold=sys.stdout.isatty()))
    return 0


def cmd_explain(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.explain import explain_question

    print(explain_question(_retriever(settings), " ".join(args.question), rows=args.top_k))
    return 0


def cmd_influence(args: argparse.Namespace, settings: Settings) -> int:
    from bot.terminal.render import render_influence

    print(render_influence(_retriever(settings).influence(" ".join(args.title)), bold=sys.stdout.isatty()))
    return 0


def cmd_influences(args: argparse.Namespace, settings: Settings) -> int:
    from bot.retrieval.corpus import load_corpus
    from bot.terminal.render import render_influences

    _check_folders(settings, index=False)
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

    retriever = _retriever(settings)
    try:
        return run_console(retriever, settings)
    except KeyboardInterrupt:  # Ctrl-C outside the prompt (while an answer prints): leave as at the prompt
        print("\nBye.")
        return 0


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.token:
        print("No DISCORD_TOKEN is set, so Pierpoint starts its local console instead.\n"
              "To run it on Discord, put your bot token in .env (see .env.example and the README).\n",
              file=sys.stderr)
        return cmd_console(args, settings)
    from bot.discord_app.runner import run_bot
    from bot.records import RecordsError

    _check_folders(settings)
    try:
        return run_bot(settings)
    except RecordsError as exc:  # raised from the bot's start-up, after login
        print(f"Pierpoint can't start: {exc}", file=sys.stderr)
        return 1


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    from bot.discord_app.runner import sync_commands

    return sync_commands(settings, guild_id=args.guild, clear=args.clear)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio
    import json

    from bot.records import RecordsError, Store
    from bot.records.report import render_html, render_text
    from bot.records.stats import gather

    async def read() -> dict:
        store = await Store.open(settings.database)
        try:
            return await gather(store, args.days)
        finally:
            await store.close()

    try:
        report = asyncio.run(read())
    except RecordsError as exc:
        print(f"Can't read the records: {exc}", file=sys.stderr)
        return 1
    if args.html:
        try:
            args.html.write_text(render_html(report), encoding="utf-8")
        except OSError as exc:
            print(f"Can't write {args.html}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"Wrote {args.html}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif not args.html:
        print(render_text(report))
    return 0


def _days(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 3660:
        raise argparse.ArgumentTypeError("must be between 1 and 3660")
    return number


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
    stats = add("stats", cmd_stats, "What fans asked, what found nothing, and their votes (from the records).")
    stats.add_argument("--days", type=_days, default=30, help="how many days back (default 30)")
    stats.add_argument("--json", action="store_true", help="one JSON object instead of the text report")
    stats.add_argument("--html", type=Path, metavar="FILE", help="also write a self-contained page with a chart")
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
        code = args.handler(args, get_settings())
        sys.stdout.flush()  # a reader that went away (`| head -1`) is found here, not at exit
        return code
    except BrokenPipeError:
        # The reader closed the pipe: stop quietly. Python would otherwise report the failed flush of
        # stdout at exit, so point stdout at devnull (the recipe in Python's signal module docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except (CorpusError, StaleIndexError, SettingsError, ModelError, ExportError) as exc:
        print(f"Pierpoint can't start: {' '.join(str(exc).split())}", file=sys.stderr)  # one line
        return 1
    except KeyboardInterrupt:
        return 130
