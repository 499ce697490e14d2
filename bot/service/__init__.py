"""Running Pierpoint as a service: shards, a clean stop, health and metrics.

Nothing here answers questions. :mod:`~bot.service.shards` reads
``PIERPOINT_SHARD_COUNT`` and ``PIERPOINT_SHARD_IDS`` into the shard range one
process runs (Discord's sharding: each shard is one gateway connection carrying
the servers whose ``(guild_id >> 22) % shard_count`` is its id);
:mod:`~bot.service.lifecycle` tracks the answers in progress and refuses new
questions once a stop has begun; :mod:`~bot.service.shutdown` turns SIGTERM and
SIGINT into that clean stop (finish answers for up to 10 s, ``bot.close()``
which flushes records and closes the gateway, exit 0; a second signal exits at
once); :mod:`~bot.service.metrics` keeps the Prometheus metrics of one bot in
its own registry; :mod:`~bot.service.health` serves ``/healthz`` and
``/metrics`` over HTTP with aiohttp when ``PIERPOINT_METRICS_PORT`` is set.
"""
