"""``python -m bot run`` as an operator starts it, except that Discord is simcord: for the signal tests.

Run as ``python -m tests.service.signal_child [--hold]`` by tests/service/test_signals.py. Everything is the
real path (the CLI, the token check, loading the index, ``serve`` with its signal handlers, the stop) except
``PierpointBot.start``, which connects to simcord instead of Discord and plays this script:

1. a fan asks a question whose search is held, so its answer is in progress; prints ``IN PROGRESS``
   (the test then sends SIGTERM);
2. once the stop has begun, another fan asks; prints ``LATE: `` and the reply;
3. releases the held search (unless ``--hold``) and waits for the bot to close; prints ``ANSWER: `` and the
   first answer's top passage.
"""

from __future__ import annotations

import sys

import simcord

from bot.cli import main
from bot.discord_app.client import PierpointBot
from tests.discord_app.helpers import embeds_of
from tests.service.helpers import hold_search_thread, until, without_settling

HOLD = "--hold" in sys.argv


async def start_in_simcord(bot: PierpointBot, token: str, *, reconnect: bool = True) -> None:
    # strict_sync=False: the commands count as registered, as `python -m bot sync` did before the first run.
    async with simcord.run(bot, shard_count=2, strict_sync=False) as env:
        guild = env.create_guild("Industry fans", shard_id=1)
        channel = guild.create_text_channel("general")
        alice, bob = (guild.add_member(env.create_user(name)) for name in ("alice", "bob"))
        release = hold_search_thread(bot)
        first = await without_settling(env, lambda: alice.slash(channel, "ask", question="advice for writers"))
        await until(lambda: first.deferred and bot.lifecycle.in_progress == 1)
        print("IN PROGRESS", flush=True)

        await until(lambda: not bot.lifecycle.accepting, timeout=60)
        late = await without_settling(env, lambda: bob.slash(channel, "ask", question="luck"))
        await until(lambda: late.response is not None)
        print("LATE:", late.response.content, flush=True)
        if not HOLD:
            release.set()
        await until(bot.is_closed, timeout=60)
        print("ANSWER:", embeds_of(first)[0].description if embeds_of(first) else None, flush=True)


if __name__ == "__main__":
    PierpointBot.start = start_in_simcord  # type: ignore[method-assign]
    sys.exit(main(["run"]))
