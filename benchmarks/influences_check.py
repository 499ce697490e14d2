"""Score fan descriptions of the influences through the real Retriever: % right.

    .venv/bin/python benchmarks/influences_check.py                       # both committed sets
    .venv/bin/python benchmarks/influences_check.py FILE.jsonl [--misses] # one set; --misses lists the wrong ones

A set is JSON lines ``{"id", "command": "influence" | "ask", "query", "expect": title | null}``:

* ``influence`` with a title: right when ``Retriever.influence`` returns that influence,
  presented as found (not "which one?", not "not in their list");
* ``influence`` with ``null`` (a title not among the twelve): right when it answers
  "not in their list" (never one of the twelve, never "which one?");
* ``ask`` with a title: right when the first passage of ``Retriever.ask`` is that
  influence's write-up;
* ``ask`` with ``null``: right when the first passage is no influence's write-up.

``benchmarks/influences_dev.jsonl`` holds the descriptions written while building the
catalogue (development); ``benchmarks/influences_own.jsonl`` was written independently by
someone who had not seen the code, and is kept held out: report its figure, do not tune on
its lines.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.retrieval.search import Retriever
from bot.settings import get_settings

HERE = Path(__file__).resolve().parent
SETS = (HERE / "influences_dev.jsonl", HERE / "influences_own.jsonl")


def judge(retriever: Retriever, item: dict) -> tuple[bool, str]:
    """(right?, what the bot answered) for one line of a set."""
    expect = item["expect"]
    if item["command"] == "influence":
        found = retriever.influence(item["query"])
        if found.candidates:
            return False, "which one: " + ", ".join(i.title for i in found.candidates)
        got = found.influence.title if found.influence else None
        shown = got or f"not in their list ({found.problem})"
        return got == expect and (expect is not None or "not in their list" in (found.problem or "")), shown
    if item["command"] == "ask":
        answer = retriever.ask(item["query"])
        first = answer.hits[0].passage.section if answer.hits else None
        return first == expect, f"first passage on {first}" if answer.hits else "no good match"
    raise ValueError(f"{item['id']}: unknown command {item['command']!r}")


def score(retriever: Retriever, path: Path, misses: bool) -> float:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_command: dict[str, list[bool]] = {}
    wrong = []
    for item in items:
        right, shown = judge(retriever, item)
        by_command.setdefault(item["command"] + (" (not listed)" if item["expect"] is None else ""), []).append(right)
        if not right:
            wrong.append(f"  {item['id']}: {item['query']!r} expected {item['expect']!r}, got {shown}")
    total = sum(sum(v) for v in by_command.values())
    print(f"{path.name}: {total}/{len(items)} right = {100 * total / max(1, len(items)):.1f}%")
    for command, results in sorted(by_command.items()):
        print(f"  {command:24} {sum(results)}/{len(results)}")
    if misses:
        print("\n".join(wrong) or "  no misses")
    return total / max(1, len(items))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, default=list(SETS))
    parser.add_argument("--misses", action="store_true", help="list the lines answered wrongly")
    args = parser.parse_args(argv)
    settings = get_settings()
    retriever = Retriever.load(settings.corpus_dir, settings.index_dir, settings.model)
    retriever.warm_up()
    for path in args.sets:
        score(retriever, path, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
