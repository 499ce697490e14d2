"""release_freed_heap: the heap a build freed leaves the resident set (glibc), nothing live is lost."""

from __future__ import annotations

import ctypes
import os

import pytest

from bot.retrieval.heap import release_freed_heap


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def has_malloc_trim() -> bool:
    try:
        ctypes.CDLL(None).malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return False
    return True


@pytest.mark.skipif(not has_malloc_trim(), reason="malloc_trim is glibc's: nothing to hand back elsewhere")
def test_freed_build_memory_leaves_the_resident_set():
    """Like BM25's token lists at 100k passages: many small blocks, a few survivors pinning the heap."""
    release_freed_heap()
    before = resident_mb()
    blocks = [bytes(1_000) + str(n).encode() for n in range(150_000)]  # ~150 MB of malloc'd (not pymalloc) blocks
    kept = blocks[::1_000]
    del blocks
    held = resident_mb() - before
    assert release_freed_heap() is True
    released = resident_mb() - before
    assert held > 100 and released < held / 2, (held, released)
    assert [len(b) for b in kept[:2]] == [1_001, 1_004]  # the survivors are intact
