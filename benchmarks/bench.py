"""Pierpoint's performance benchmark: one run, one Markdown report.

    .venv/bin/python benchmarks/bench.py                 # full run
    .venv/bin/python benchmarks/bench.py --quick         # fewer rounds, no 100k size
    .venv/bin/python benchmarks/bench.py --json out.json # also write the figures as JSON
    .venv/bin/python benchmarks/bench.py --profile       # add a cProfile of the search at the largest size

It measures, on this machine, side by side in one run:

1. per-question latency of the whole search (``Retriever.ask``) on the ONNX
   and the torch backend against a bare sentence-transformers encode of the
   same text, on the committed corpus and index, the ONNX side in a child
   process without torch as when serving (``bench_latency``);
2. wall time from process start to the first answer (``python -m bot search
   --jsonl``, ``python -m bot ask``) against a process that only imports
   sentence-transformers, loads the model and encodes (``bench_startup``);
3. the peak RSS of those processes;
4. search latency after the encode, build time and memory at 1k, 10k and 100k
   synthetic passages (``bench_scale``).

The report goes to stdout (paste it into a README), progress to stderr.
``benchmarks/README.md`` explains every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench_common import QUESTIONS, cpu_sample, loads_text, machine_context, make_plan, other_load, progress
from bench_latency import measure_latency, report_latency
from bench_scale import check_sentence_units, measure_scale, report_scale
from bench_startup import measure_startup, report_startup

from bot.retrieval.embedder import Embedder
from bot.retrieval.index import MANIFEST
from bot.retrieval.search import Retriever
from bot.settings import get_settings


def torch_index_copy(index_dir: Path, into: Path) -> Path:
    """The committed index marked as built for the torch backend, for the "before" process.

    ``build`` encodes the corpus with sentence-transformers whatever the
    backend, so the vectors are exactly what ``PIERPOINT_BACKEND=torch python
    -m bot build`` writes; only the manifest's ``encoder`` differs.
    """
    target = into / "embeddings-torch"
    shutil.copytree(index_dir, target)
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    manifest["encoder"] = {"backend": "torch"}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def report(results: dict[str, Any]) -> str:
    """All figures as Markdown tables, ready to paste."""
    m = results["machine"]
    lines = [
        "# Pierpoint benchmark",
        "",
        f"Run {results['started']} ({'--quick' if results['quick'] else 'full'}), took {results['took_s']:.0f} s. "
        f"Machine: {m['cpu_model']}, {m['cpu_count']} CPUs ({m['cpus_usable']} usable), "
        f"torch {m['torch']} with {m['torch_threads']} threads, onnxruntime {m['onnxruntime']} with "
        f"{m['onnx_threads']}, Python {m['python']}, numpy {m['numpy']}, "
        f"sentence-transformers {m['sentence_transformers']}, {m['platform']}.",
        f"Load average (1, 5, 15 min) at start {loads_text(m['load_average_at_start'])}, "
        f"at end {loads_text(m['load_average_at_end'])}: anything else running on the machine shows up in the p95s.",
        f"Real corpus: {results['corpus']['passages']} passages, {results['corpus']['sentences']} sentences; "
        f"model {results['corpus']['model']}.",
        "",
    ]
    if "latency" in results:
        lines += [*report_latency(results["latency"], m), ""]
    if "startup" in results:
        lines += [*report_startup(results["startup"]), ""]
    if "scale" in results:
        lines += report_scale(results["scale"], results["plan"])
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and runs, sizes 1k and 10k only")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    parser.add_argument("--profile", action="store_true", help="add a cProfile of the search at the largest size")
    parser.add_argument("--skip", nargs="*", default=[], choices=["latency", "startup", "scale"],
                        help="sections to leave out")
    args = parser.parse_args(argv)
    plan = make_plan(args.quick)
    began = time.perf_counter()
    settings = get_settings()
    child_env = dict(os.environ, HF_HUB_OFFLINE="1", PIERPOINT_BACKEND="onnx")  # before a model load edits environ
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": plan.quick,
        "plan": {"latency_rounds": plan.latency_rounds, "process_runs": plan.process_runs,
                 "sizes": list(plan.sizes), "scale_rounds": plan.scale_rounds},
        "machine": machine_context(),
    }

    progress("loading the real corpus, index and model (ONNX: exported first if not in the cache)")
    retriever = Retriever.load(settings.corpus_dir, settings.index_dir, settings.model, backend="onnx",
                               cache_dir=settings.cache_dir)
    check_sentence_units(retriever.corpus)
    results["corpus"] = {"passages": len(retriever.corpus.passages),
                         "sentences": len(retriever.index.sentence_passage), "model": retriever.index.model}

    if "startup" not in args.skip:
        progress(f"[2-3] process start to first answer, {plan.process_runs} runs each")
        with tempfile.TemporaryDirectory() as scratch:
            torch_env = dict(child_env, PIERPOINT_BACKEND="torch",
                             PIERPOINT_INDEX_DIR=str(torch_index_copy(settings.index_dir, Path(scratch))))
            before = cpu_sample()
            results["startup"] = measure_startup(plan.process_runs, child_env, torch_env)
            results["startup"]["other_load"] = other_load(before, cpu_sample())

    if "latency" not in args.skip:
        on_torch = Retriever(retriever.corpus, retriever.index, Embedder(settings.model, backend="torch"))
        progress(f"[1] search latency, {len(QUESTIONS)} questions × {plan.latency_rounds} rounds "
                 "(ONNX paths in a child process without torch, torch paths in this one, taking turns)")
        before = cpu_sample()
        results["latency"] = measure_latency(on_torch, child_env, QUESTIONS, plan.latency_rounds)
        results["latency"]["other_load"] = other_load(before, cpu_sample())

    if "scale" not in args.skip:
        progress(f"[4] scale: {', '.join(f'{s:,}' for s in plan.sizes)} passages")
        before = cpu_sample()
        results["scale"] = measure_scale(retriever, QUESTIONS, plan, args.profile)
        results["scale"]["other_load"] = other_load(before, cpu_sample())

    results["took_s"] = time.perf_counter() - began
    results["machine"]["load_average_at_end"] = os.getloadavg()
    print(report(results), end="")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        progress(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
