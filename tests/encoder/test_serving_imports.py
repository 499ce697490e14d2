"""The serving path never imports torch, transformers or sentence-transformers on the default backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.retrieval.embedder import DEFAULT_MODEL
from bot.settings import PROJECT_ROOT
from tests.retrieval.retrieval_helpers import CORPUS_DIR, INDEX_DIR

HEAVY = ("torch", "transformers", "sentence_transformers")

SERVE_EVERYTHING = """
import io, json, sys
from bot.cli import main
from bot import create_bot
import asyncio

async def discord_start():  # what the Discord bot does on login, short of connecting: load, warm up, add cogs
    client = create_bot()
    await client.setup_hook()
    assert client.retriever.ask("advice for writers").hits
    await client.close()

asyncio.run(discord_start())

sys.stdin = io.StringIO('{"id": 1, "command": "ask", "query": "advice for writers"}\\n')
assert main(["search", "--jsonl"]) == 0
assert main(["ask", "what", "does", "Kay", "say", "about", "luck?"]) == 0
assert main(["influence", "heat"]) == 0
sys.stdin = io.StringIO("/ask advice for writers\\n/influence madmen\\n")
assert main(["run"]) == 0  # no token: the console, as a newcomer first runs it
heavy = sorted(name for name in sys.modules if name.split(".")[0] in HEAVY)
print(json.dumps(heavy), file=sys.stderr)
"""


def test_discord_start_search_ask_influence_and_console_import_no_torch(retriever):
    """Real commands in a fresh process (the session's ``retriever`` made sure the ONNX export exists)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "DISCORD_TOKEN": "", "PIERPOINT_BACKEND": "onnx",
           "PIERPOINT_CORPUS_DIR": str(CORPUS_DIR), "PIERPOINT_INDEX_DIR": str(INDEX_DIR),
           "PIERPOINT_MODEL": DEFAULT_MODEL, "PIERPOINT_CACHE_DIR": str(retriever.embedder.cache_dir)}
    done = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{SERVE_EVERYTHING}"], capture_output=True,
                          text=True, encoding="utf-8", cwd=PROJECT_ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"score"' in done.stdout and "Konrad Kay" in done.stdout and "Heat" in done.stdout
    assert "Mad Men" in done.stdout
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
