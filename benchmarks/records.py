"""What recording questions and votes costs: answer latency with and without it, and `stats` at 100k questions.

    .venv/bin/python benchmarks/records.py               # full run (a few minutes)
    .venv/bin/python benchmarks/records.py --quick       # fewer rounds, 10k questions

1. **Answer latency, recording on vs off.** The real bot in simcord answers the
   same fan questions with ``PIERPOINT_RECORDING`` true and false, alternating
   question by question. *Answer* is the time from the ``/ask`` to the moment the
   answer reaches (simulated) Discord, taken from simcord's event feed; *whole
   interaction* runs until the bot has settled, so with recording on it also
   includes the background database write that follows the answer. The
   synchronous cost on the answer's path (building the record and queueing it)
   is timed on its own too.
2. **`python -m bot stats --json` on N recorded questions** (SQLite, a fresh
   process each run, Python start-up and imports included), plus ``gather``
   alone in-process. The synthetic records spread over 90 days: 15% "no good
   match" drawn from 2,000 distinct phrasings, three passages shown per answer,
   one vote per 20 answers.

The report goes to stdout (Markdown), progress to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench import QUESTIONS
from bot.records import QuestionRecord, Recorder, Store, VoteRecord
from bot.records.stats import gather
from bot.records.store import utcnow

STATS_GOAL_SECONDS = 2.0
SEED = 12


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- 1. answer latency -------------------------------------------------------------
def answer_latency(rounds: int, folder: Path) -> dict[str, list[float]]:
    import simcord

    from bot import create_bot
    from bot.retrieval.search import Retriever
    from bot.settings import PROJECT_ROOT, Settings

    retriever = Retriever.load(PROJECT_ROOT / "corpus", PROJECT_ROOT / "embeddings",
                               Settings(_env_file=None).model)
    retriever.warm_up()
    timings: dict[str, list[float]] = {"on": [], "off": [], "on_settled": [], "off_settled": []}
    answered: dict[str, float] = {}
    envs = {}
    for mode in ("on", "off"):
        settings = Settings(_env_file=None, PIERPOINT_RECORDING=mode == "on", PIERPOINT_COOLDOWN_QUESTIONS=100_000,
                            PIERPOINT_DATABASE_URL=f"sqlite:///{folder / 'latency.db'}")
        env = simcord.Env(create_bot(retriever, settings=settings, sync_commands=True))
        envs[mode] = env

        def note_answer(event: str, payload: object, mode: str = mode) -> None:
            if event == "MESSAGE_UPDATE" and isinstance(payload, dict) and payload.get("content"):
                answered.setdefault(mode, time.perf_counter())

        env.backend.subscribers.append(note_answer)
    # simcord runs one live Env per event loop: each mode gets its own loop, alternated question by question.
    loops = {mode: asyncio.new_event_loop() for mode in envs}
    fans = {}
    for mode, env in envs.items():
        loops[mode].run_until_complete(env.start())
        guild = env.create_guild("bench")
        fans[mode] = (guild.create_text_channel("general"), guild.add_member(env.create_user("fan")))
    try:
        for round_number in range(rounds + 1):  # round 0 warms up
            log(f"  latency round {round_number}/{rounds}")
            for question in QUESTIONS:
                for mode in (("on", "off") if round_number % 2 else ("off", "on")):
                    channel, fan = fans[mode]
                    answered.pop(mode, None)
                    started = time.perf_counter()
                    loops[mode].run_until_complete(fan.slash(channel, "ask", question=question))
                    settled = time.perf_counter()
                    if round_number:
                        timings[mode].append((answered[mode] - started) * 1000)
                        timings[f"{mode}_settled"].append((settled - started) * 1000)
    finally:
        for mode, env in envs.items():
            loops[mode].run_until_complete(env.bot.close())
            loops[mode].run_until_complete(env.shutdown())
            loops[mode].close()
    return timings


async def record_call_cost(folder: Path, count: int = 5_000) -> float:
    """Microseconds per ``Recorder.record`` call, the only recording work on the answer's path."""
    recorder = await Recorder.open(f"sqlite:///{folder / 'calls.db'}", keep_days=0)
    records = [QuestionRecord(uuid.uuid4(), utcnow(), 1, "slash", "ask", "advice for writers", False, 20,
                              passages=(("a/1", 0.9), ("a/2", 0.8), ("a/3", 0.7))) for _ in range(count)]
    started = time.perf_counter()
    for record in records:
        recorder.record(record)
    elapsed = time.perf_counter() - started
    await recorder.close()
    return elapsed / count * 1e6


# -- 2. stats at scale -------------------------------------------------------------
async def fill(url: str, count: int) -> None:
    rng = random.Random(SEED)
    store = await Store.open(url)
    now = utcnow()
    misses = [f"question nobody answered number {n}?" for n in range(2000)]
    batch: list[QuestionRecord] = []
    voted: list[uuid.UUID] = []
    for n in range(count):
        no_match = rng.random() < 0.15
        text = rng.choice(misses) if no_match else rng.choice(QUESTIONS)
        passages = () if no_match else tuple((f"article-{rng.randrange(2)}/{rng.randrange(80)}", rng.random())
                                             for _ in range(3))
        record = QuestionRecord(uuid.uuid4(), now - timedelta(seconds=rng.uniform(0, 90 * 86400)),
                                rng.choice((None, 1, 2, 3, 4)), rng.choice(("slash", "dm", "mention")), "ask", text,
                                no_match, rng.randrange(15, 80), passages=passages)
        batch.append(record)
        if not no_match and n % 20 == 0:
            voted.append(record.id)
        if len(batch) == 5000:
            await store.add_questions(batch)
            batch = []
    await store.add_questions(batch)
    for n, question_id in enumerate(voted):
        await store.put_vote(VoteRecord(question_id, f"{n:064x}", n % 4 != 0, "wrong person" if n % 8 == 0 else None))
    await store.close()


async def gather_seconds(url: str, runs: int) -> list[float]:
    store = await Store.open(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        report = await gather(store, days=90)
        times.append(time.perf_counter() - started)
    await store.close()
    assert report["questions"] > 0
    return times


def command_seconds(url: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each fresh ``python -m bot stats --json --days 90``."""
    env = {**os.environ, "PIERPOINT_DATABASE_URL": url}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "stats", "--json", "--days", "90"], env=env, check=True,
                       stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parent.parent)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 latency rounds, 10k questions")
    parser.add_argument("--questions", type=int, help="recorded questions for the stats figure (default 100000)")
    args = parser.parse_args()
    rounds = 2 if args.quick else 5
    count = args.questions or (10_000 if args.quick else 100_000)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pierpoint-bench-records-") as name:
        folder = Path(name)
        log("1. answer latency, recording on vs off")
        timings = answer_latency(rounds, folder)
        per_call = asyncio.run(record_call_cost(folder))
        log(f"2. filling SQLite with {count:,} questions")
        url = f"sqlite:///{folder / 'stats.db'}"
        asyncio.run(fill(url, count))
        size_mb = (folder / "stats.db").stat().st_size / 1e6
        in_process = asyncio.run(gather_seconds(url, 5))
        command, command_cpu = command_seconds(url, 5)
    on, off = timings["on"], timings["off"]
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}.", file=sys.stderr)
    print(f"Run {time.strftime('%Y-%m-%dT%H:%M:%S%z')}, took {time.perf_counter() - began:.0f} s. "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}.")
    print()
    print(f"#### Answer latency through simcord, recording on vs off ({len(QUESTIONS)} questions × {rounds} rounds, "
          "alternating)\n")
    print("| Recording | answer p50 (ms) | answer p95 (ms) | whole interaction p50 (ms) |\n|---|---:|---:|---:|")
    for label in ("on", "off"):
        values = timings[label]
        print(f"| {label} | {statistics.median(values):.2f} | {percentile(values, 0.95):.2f} | "
              f"{statistics.median(timings[label + '_settled']):.2f} |")
    # Noise: how far apart the p50s of two halves of the recording-off runs (alternate rounds) are.
    half = len(QUESTIONS)
    off_a = [v for n, v in enumerate(off) if (n // half) % 2 == 0]
    off_b = [v for n, v in enumerate(off) if (n // half) % 2 == 1] or off_a
    noise = abs(statistics.median(off_a) - statistics.median(off_b))
    print(f"\nAnswer p50 on − off: {statistics.median(on) - statistics.median(off):+.2f} ms; noise (p50 of the "
          f"recording-off runs in odd rounds − in even rounds): {noise:.2f} ms. Load average during the run: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs. "
          f"`Recorder.record` on the answer's path: {per_call:.1f} µs per call.\n")
    print(f"#### `python -m bot stats --json` on {count:,} recorded questions (SQLite, {size_mb:.0f} MB)\n")
    print("| What | median (s) | max (s) | goal |\n|---|---:|---:|---:|")
    print(f"| whole command, fresh process: wall | {statistics.median(command):.2f} | {max(command):.2f} | "
          f"< {STATS_GOAL_SECONDS:.0f} |")
    print(f"| whole command, fresh process: CPU (user + system) | {statistics.median(command_cpu):.2f} | "
          f"{max(command_cpu):.2f} | – |")
    print(f"| `gather` alone, in-process | {statistics.median(in_process):.3f} | {max(in_process):.3f} | – |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
