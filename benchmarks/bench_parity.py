"""Retrieval parity of the two backends: the same batch of questions through ``python -m bot search
--jsonl --top-k 10`` on the ONNX backend and on the torch backend, compared ranking by ranking.

    .venv/bin/python benchmarks/bench_parity.py [--eval ../shared/eval]

The questions: the development questions of the shared evaluation (ids, commands and queries only)
when the folder is there, plus the benchmark's own 42 fan questions. Prints the share of questions
whose top-10 lists are identical (passage and order), the largest score difference, and, with the
evaluation's scorer, each backend's figures side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_common import QUESTIONS, ROOT

from bot.settings import get_settings

GOAL_IDENTICAL = 0.98
"""Share of questions whose top 10 must be identical on both backends (issue 11)."""


def batch(questions: list[dict], env: dict[str, str]) -> dict[str, list[dict]]:
    """id -> results, from a real ``python -m bot search --jsonl --top-k 10`` process."""
    stdin = "".join(json.dumps(q) + "\n" for q in questions)
    done = subprocess.run([sys.executable, "-m", "bot", "search", "--jsonl", "--top-k", "10"], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, check=True)
    return {str(json.loads(line)["id"]): json.loads(line)["results"] for line in done.stdout.splitlines()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    questions = [{"id": f"fan-{n}", "command": "ask", "query": q} for n, q in enumerate(QUESTIONS)]
    dev = args.eval / "queries_dev.jsonl"
    if dev.exists():
        questions += [{k: json.loads(line)[k] for k in ("id", "command", "query")}
                      for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    from bench import torch_index_copy

    env = dict(os.environ, HF_HUB_OFFLINE="1", PIERPOINT_BACKEND="onnx")
    with tempfile.TemporaryDirectory() as scratch:
        torch_env = dict(env, PIERPOINT_BACKEND="torch",
                         PIERPOINT_INDEX_DIR=str(torch_index_copy(get_settings().index_dir, Path(scratch))))
        outputs = {"onnx": batch(questions, env), "torch": batch(questions, torch_env)}
        pairs = [(q, outputs["onnx"][str(q["id"])], outputs["torch"][str(q["id"])]) for q in questions]
        same = [q["id"] for q, a, b in pairs if [r["text"] for r in a] == [r["text"] for r in b]]
        gaps = [abs(x["score"] - y["score"]) for _, a, b in pairs for x, y in zip(a, b, strict=False)]
        share = len(same) / len(questions)
        print(f"{len(questions)} questions ({len(QUESTIONS)} fan questions + {len(questions) - len(QUESTIONS)} "
              f"development questions): top-10 identical on {len(same)} ({share:.1%}, goal >= {GOAL_IDENTICAL:.0%}); "
              f"largest score difference {max(gaps, default=0):.4f}.")
        for question in questions:
            if question["id"] not in same:
                print(f"  differs: {question['id']} {question['query']!r}")
        if dev.exists():
            for backend, results in outputs.items():
                path = Path(scratch) / f"{backend}.jsonl"
                path.write_text("".join(json.dumps({"id": q["id"], "results": results[str(q["id"])]}) + "\n"
                                        for q in questions if not str(q["id"]).startswith("fan-")), encoding="utf-8")
                print(f"\n### {backend} backend")
                sys.stdout.flush()
                subprocess.run([sys.executable, str(args.eval / "score.py"), str(path), str(dev)], check=True)
    return 0 if share >= GOAL_IDENTICAL else 1


if __name__ == "__main__":
    sys.exit(main())
