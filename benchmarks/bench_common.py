"""Shared by every benchmark section: the questions, timing and memory helpers, the machine's description.

``bench.py`` runs the sections (``bench_latency``, ``bench_startup``, ``bench_scale``) and prints one report.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

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
    import onnxruntime
    import sentence_transformers
    import torch

    from bot.encoder.onnx_encoder import THREADS

    return {
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "torch_threads": torch.get_num_threads(),
        "onnx_threads": THREADS,
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
        "numpy": np.__version__,
        "sentence_transformers": sentence_transformers.__version__,
    }


def other_sentence(load: float | None) -> str:
    """One sentence on how busy the rest of the machine was during a section."""
    if load is None:
        return ""
    busy = " **The machine was busy: these timings are pessimistic.**" if load >= 0.1 else ""
    return f"Other processes kept {load:.2f} CPUs busy on average meanwhile.{busy}"


def loads_text(loads: Sequence[float]) -> str:
    """Load averages as '1.00 / 0.50 / 0.20'."""
    return " / ".join(f"{x:.2f}" for x in loads)


@dataclass(frozen=True)
class ProcessRun:
    """One fresh process: its wall time and its own peak RSS."""

    wall_s: float
    peak_rss_mb: float


LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    json.dump({"code": os.waitstatus_to_exitcode(status), "wall_s": wall, "maxrss_kib": usage.ru_maxrss}, out)
"""
"""Starts the measured process from a fresh, small Python. A child's ru_maxrss starts at its parent's
resident size when it forks (Linux keeps the high-water mark across exec), so spawned straight from
this benchmark, which holds torch and two models, every child would seem to peak at least that high."""


def run_process(argv: Sequence[str], env: dict[str, str], must_print: bytes = b"", stdin: bytes = b"") -> ProcessRun:
    """Run ``argv`` (``stdin`` fed to it) through :data:`LAUNCHER`: its wall time and own peak RSS (ru_maxrss)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as into, \
            tempfile.TemporaryDirectory() as scratch:
        into.write(stdin)
        into.seek(0)
        figures = Path(scratch) / "figures.json"
        subprocess.run([sys.executable, "-c", LAUNCHER, str(figures), *argv], cwd=ROOT, env=env, stdin=into,
                       stdout=out, stderr=err, check=False)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        measured = json.loads(figures.read_text()) if figures.exists() else {"code": -1}
    if measured["code"] != 0 or must_print not in stdout:
        problem = stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} failed (exit {measured['code']}):\n{problem}")
    return ProcessRun(wall_s=measured["wall_s"], peak_rss_mb=measured["maxrss_kib"] / 1024)
