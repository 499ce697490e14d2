"""Which of Discord's shards this process runs: ``PIERPOINT_SHARD_COUNT`` and ``PIERPOINT_SHARD_IDS``.

Discord sends each server's events over exactly one gateway connection, its
shard: ``shard_id = (guild_id >> 22) % shard_count``
(https://discord.com/developers/docs/events/gateway#sharding). A process runs
all shards by default; given ``PIERPOINT_SHARD_IDS`` it runs only those, so one
deployment can spread over several processes or machines that agree on
``PIERPOINT_SHARD_COUNT``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# "0-3" or "4,5,6,7" (spaces allowed, ranges and single ids can be mixed: "0-3,8").
_PART = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")
# An upper bound so a typo ("0-99999999") cannot build a huge list; far above any real bot's shard count
# (Discord recommends about one shard per 1,000 servers).
MAX_SHARD_ID = 65_535


class ShardSettingError(ValueError):
    """A PIERPOINT_SHARD_IDS value that cannot be used; settings report it under the setting's name."""


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """``"0-3"`` -> ``(0, 1, 2, 3)``; ``"4,5,6,7"`` -> ``(4, 5, 6, 7)``; sorted, each id once.

    Raises ShardSettingError for anything else.
    """
    ids: set[int] = set()
    for part in text.split(","):
        match = _PART.match(part)
        if not match:
            raise ShardSettingError(f"use a range like 0-3 or a list like 4,5,6,7, not {text.strip()[:40]!r}")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            raise ShardSettingError(f"the range {first}-{last} goes backwards; write {last}-{first}")
        if last > MAX_SHARD_ID:
            raise ShardSettingError(f"shard {last} is past the largest id accepted ({MAX_SHARD_ID})")
        ids.update(range(first, last + 1))
    return tuple(sorted(ids))


def check_shard_ids(ids: Sequence[int], count: int | None) -> None:
    """Raise ShardSettingError unless every id is a shard of ``count`` (which ids require)."""
    if count is None:
        raise ShardSettingError("needs PIERPOINT_SHARD_COUNT too, the total number of shards every process agrees on")
    too_big = [shard for shard in ids if shard >= count]
    if too_big:
        raise ShardSettingError(f"shard {too_big[0]} does not exist with PIERPOINT_SHARD_COUNT={count} "
                                f"(shard ids go from 0 to {count - 1})")


def describe_shards(ids: Sequence[int] | None, count: int | None) -> str:
    """For the log: ``"shards 0-3 of 8"``, ``"shards 4, 6 of 8"``, or the recommended count still to come."""
    if count is None:
        return "all shards (Discord's recommended count)"
    ids = list(ids) if ids is not None else list(range(count))
    if ids and ids == list(range(ids[0], ids[-1] + 1)) and len(ids) > 1:
        listed = f"{ids[0]}-{ids[-1]}"
    else:
        listed = ", ".join(str(shard) for shard in ids)
    return f"shard{'s' if len(ids) != 1 else ''} {listed} of {count}"
