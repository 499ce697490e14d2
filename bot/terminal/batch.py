"""``python -m bot search --jsonl``: one JSON question a line in, one JSON answer a line out.

A bad line (invalid JSON, unknown command, empty query) gets an answer with
empty results and a ``message``; the batch goes on. A question answered from
part of a long message says so in ``message`` too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from bot.retrieval.search import Retriever

COMMANDS = ("ask", "influence")


def answer_line(retriever: Retriever, line: str, number: int, top_k: int) -> dict[str, Any]:
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "results": [], "message": f"line {number}: not valid JSON ({exc.msg})"}
    if not isinstance(request, dict):
        return {"id": None, "results": [], "message": f"line {number}: expected a JSON object"}
    out: dict[str, Any] = {"id": request.get("id"), "results": []}
    command, query = request.get("command", "ask"), request.get("query")
    if command not in COMMANDS:
        out["message"] = f"line {number}: command must be one of {', '.join(COMMANDS)}"
        return out
    if not isinstance(query, str):
        out["message"] = f"line {number}: query must be a string"
        return out
    if command == "ask":
        answer = retriever.ask(query, k=top_k)
        hits, problem = answer.hits, answer.problem or answer.notice
    else:
        found = retriever.influence(query)
        hits, problem = found.hits[:top_k], found.problem
    out["results"] = [hit.to_dict() for hit in hits]
    if problem:
        out["message"] = problem
    return out


def run_batch(retriever: Retriever, lines: Iterable[str], top_k: int) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield json.dumps(answer_line(retriever, line, number, top_k), ensure_ascii=False)
