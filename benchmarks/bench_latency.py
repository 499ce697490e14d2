"""Section 1: per-question latency on the real corpus, both backends side by side.

Five paths per question, interleaved (the order rotates from question to
question so drift hits all alike): the bare sentence-transformers encode on
torch (the floor before this project served on ONNX), the ONNX encode, the
whole search on each backend, and the search after the encode (``rank``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from bench_common import other_sentence, summary, timed_ms, verdict

from bot.retrieval.search import Retriever
from bot.retrieval.speakers import SpeakerQuery
from bot.retrieval.text import clean_query

PATHS = {
    "st_encode": "bare sentence-transformers encode (torch) `SentenceTransformer.encode([q])`",
    "onnx_encode": "ONNX encode `embedder.encode_one(q)`",
    "ask": "whole search, ONNX backend `retriever.ask(q, k=3)`",
    "ask_torch": "whole search, torch backend (as before)",
    "rank": "search after the encode `retriever.rank(...)`",
}
GOAL_VS_ST = 0.60
"""Whole search on ONNX over a bare sentence-transformers encode of the same question (issue 11)."""
GOAL_VS_OWN_ENCODE = 1.15
"""Whole search over its own backend's encode: the model is the cost, nothing else is."""


def measure_latency(retriever: Retriever, on_torch: Retriever, questions: Sequence[str],
                    rounds: int) -> dict[str, Any]:
    """Every path ``rounds`` times per question, after an untimed warm-up pass.

    ``retriever`` serves on ONNX, ``on_torch`` is the same corpus and index on the torch backend.
    """
    onnx, torch = retriever.embedder, on_torch.embedder
    retriever.warm_up()
    on_torch.warm_up()
    prepared: list[tuple[str, SpeakerQuery, np.ndarray]] = []
    for question in questions:  # warm-up pass, untimed; also encodes each topic once for rank
        retriever.ask(question, k=3)
        on_torch.ask(question, k=3)
        torch.encode_one(question)
        cleaned = clean_query(question)
        asked = retriever.speakers.find(cleaned)
        prepared.append((cleaned, asked, onnx.encode_one(asked.topic)))

    times: dict[str, list[float]] = {name: [] for name in PATHS}
    for round_number in range(rounds):
        for number, (question, (cleaned, _, vector)) in enumerate(zip(questions, prepared, strict=True)):
            paths: list[tuple[str, Callable[[], object]]] = [
                ("st_encode", lambda q=question: torch.encode_one(q)),
                ("onnx_encode", lambda q=question: onnx.encode_one(q)),
                ("ask", lambda q=question: retriever.ask(q, k=3)),
                ("ask_torch", lambda q=question: on_torch.ask(q, k=3)),
                ("rank", lambda c=cleaned, v=vector: retriever.rank(c, retriever.speakers.find(c), v, 3)),
            ]
            shift = (round_number + number) % len(paths)
            for name, call in paths[shift:] + paths[:shift]:
                times[name].append(timed_ms(call))
    stats = {name: summary(values) for name, values in times.items()}
    ask, st, own, ask_torch = (np.asarray(times[n]) for n in ("ask", "st_encode", "onnx_encode", "ask_torch"))
    return {
        "questions": len(questions),
        "rounds": rounds,
        **stats,
        "ratio_vs_st_p50": stats["ask"]["p50"] / stats["st_encode"]["p50"],
        "ratio_vs_st_p95": stats["ask"]["p95"] / stats["st_encode"]["p95"],
        "ratio_vs_st_paired_median": float(np.median(ask / st)),  # same question, same round, side by side
        "ratio_vs_own_p50": stats["ask"]["p50"] / stats["onnx_encode"]["p50"],
        "ratio_vs_own_paired_median": float(np.median(ask / own)),
        "ratio_torch_vs_st_p50": stats["ask_torch"]["p50"] / stats["st_encode"]["p50"],
        "ratio_torch_vs_st_paired_median": float(np.median(ask_torch / st)),
        "samples_ms": times,
    }


def report_latency(lat: dict[str, Any], machine: dict[str, Any]) -> list[str]:
    lines = [
        "## 1. Search latency on the real corpus",
        "",
        f"{lat['questions']} fan questions × {lat['rounds']} rounds after a warm-up, the five paths interleaved "
        f"per question; torch on {machine['torch_threads']} threads, onnxruntime on {machine['onnx_threads']}. "
        f"{other_sentence(lat['other_load'])}",
        "",
        "| Path | p50 (ms) | p95 (ms) | mean (ms) |",
        "|---|---:|---:|---:|",
    ]
    for key, label in PATHS.items():
        s = lat[key]
        lines.append(f"| {label} | {s['p50']:.2f} | {s['p95']:.2f} | {s['mean']:.2f} |")
    lines += [
        "",
        "| Ratio | Value | Goal | Met |",
        "|---|---:|---:|:---:|",
        f"| whole search (ONNX) p50 / sentence-transformers encode p50 | {lat['ratio_vs_st_p50']:.3f} "
        f"| ≤ {GOAL_VS_ST} | {verdict(lat['ratio_vs_st_p50'], GOAL_VS_ST)} |",
        f"| whole search (ONNX) p95 / sentence-transformers encode p95 | {lat['ratio_vs_st_p95']:.3f} "
        f"| ≤ {GOAL_VS_ST} | {verdict(lat['ratio_vs_st_p95'], GOAL_VS_ST)} |",
        f"| median of paired whole search (ONNX) / sentence-transformers encode | "
        f"{lat['ratio_vs_st_paired_median']:.3f} | ≤ {GOAL_VS_ST} "
        f"| {verdict(lat['ratio_vs_st_paired_median'], GOAL_VS_ST)} |",
        f"| whole search (ONNX) p50 / ONNX encode p50 | {lat['ratio_vs_own_p50']:.3f} | ≤ {GOAL_VS_OWN_ENCODE} "
        f"| {verdict(lat['ratio_vs_own_p50'], GOAL_VS_OWN_ENCODE)} |",
        f"| whole search (torch) p50 / sentence-transformers encode p50 (before) | "
        f"{lat['ratio_torch_vs_st_p50']:.3f} | ≤ {GOAL_VS_OWN_ENCODE} "
        f"| {verdict(lat['ratio_torch_vs_st_p50'], GOAL_VS_OWN_ENCODE)} |",
    ]
    return lines
