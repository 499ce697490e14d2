"""Slowest interaction acknowledgement in a burst of 30 /ask plus every other command and a More click.

    .venv/bin/python benchmarks/ack_burst.py            # 10 runs
    .venv/bin/python benchmarks/ack_burst.py --runs 3

Runs the burst of tests/discord_app/test_load.py (through simcord, the real bot,
the real model) ``--runs`` times, each in a fresh in-memory Discord, and prints
per run the slowest acknowledgement (wall clock, from the start of the burst to
the bot's first response to that interaction), which interaction it was, and the
summary over all runs. Needs the test extra (simcord).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simcord

from bot import create_bot
from bot.retrieval.search import Retriever
from bot.settings import Settings
from tests.discord_app.test_load import ACK_DEADLINE, run_burst


async def one_run(retriever: Retriever, settings: Settings) -> tuple[float, str]:
    async with simcord.run(create_bot(retriever, settings=settings, sync_commands=True)) as env:
        burst = await run_burst(env, retriever, settings)
        names = {}
        for record in env.http_requests:  # which command each acknowledged interaction was
            match = re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", record.path)
            if match:
                names.setdefault(int(match[1]), record.json.get("type"))
        slowest = max(burst.acknowledged, key=burst.acknowledged.get)
        order = "all before" if burst.acknowledged_before_any_answer else "NOT all before"
        return burst.slowest, (f"interaction {slowest}, response type {names.get(slowest)}; acknowledgements "
                               f"{order} the first answer")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    settings = Settings(_env_file=None)
    retriever = Retriever.load(settings.corpus_dir, settings.index_dir, settings.model)
    retriever.warm_up()
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start")
    times = []
    for run in range(1, args.runs + 1):
        slowest, which = await one_run(retriever, settings)
        times.append(slowest)
        print(f"run {run:2d}: slowest acknowledgement {slowest:.3f} s ({which})", flush=True)
    print(f"slowest over {len(times)} runs: {max(times):.3f} s; median of the runs' slowest: "
          f"{sorted(times)[len(times) // 2]:.3f} s; runs over {ACK_DEADLINE:.0f} s: "
          f"{sum(t >= ACK_DEADLINE for t in times)}; load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    asyncio.run(main())
