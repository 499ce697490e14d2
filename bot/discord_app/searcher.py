"""Searching without blocking the event loop.

Encoding a question takes ~15 ms of CPU; done on the event loop it would
stall every other user's interaction (and Discord's 3-second deadline). The
retriever's calls run in a small thread pool instead; torch releases the GIL
while it computes.

Influence lookups (a catalogue match, no model work, well under a millisecond)
get a pool of their own: behind thirty queued question encodes they would wait
seconds, past Discord's deadline for commands that answer without deferring.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from bot.retrieval.search import MAX_RESULTS, Answer, InfluenceAnswer, Retriever


class Searcher:
    """The retriever, awaitable."""

    def __init__(self, retriever: Retriever, threads: int = 2) -> None:
        self.retriever = retriever
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pierpoint-search")
        self._lookups = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pierpoint-lookup")

    async def ask(self, question: str, k: int = MAX_RESULTS) -> Answer:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self.retriever.ask, question, k)

    async def influence(self, title: str) -> InfluenceAnswer:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._lookups, self.retriever.influence, title)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._lookups.shutdown(wait=False, cancel_futures=True)
