"""PIERPOINT_SHARD_COUNT and PIERPOINT_SHARD_IDS: a range per process, and one-line errors naming the setting."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.service.shards import describe_shards, parse_shard_ids
from bot.settings import Settings, get_settings


@pytest.mark.parametrize(("text", "ids"), [
    ("0-3", (0, 1, 2, 3)), ("4,5,6,7", (4, 5, 6, 7)), (" 4, 5 ,6,7 ", (4, 5, 6, 7)), ("0-1,6", (0, 1, 6)), ("3", (3,)),
])
def test_shard_ids_as_a_range_or_a_list(text, ids):
    assert parse_shard_ids(text) == ids
    assert Settings(_env_file=None, PIERPOINT_SHARD_COUNT=8, PIERPOINT_SHARD_IDS=text).shard_ids == ids


@pytest.mark.parametrize(("env", "expected"), [
    ({"PIERPOINT_SHARD_IDS": "0-3"}, "PIERPOINT_SHARD_IDS: needs PIERPOINT_SHARD_COUNT too"),
    ({"PIERPOINT_SHARD_COUNT": "4", "PIERPOINT_SHARD_IDS": "2-4"},
     "PIERPOINT_SHARD_IDS: shard 4 does not exist with PIERPOINT_SHARD_COUNT=4 (shard ids go from 0 to 3)"),
    ({"PIERPOINT_SHARD_COUNT": "4", "PIERPOINT_SHARD_IDS": "first half"},
     "PIERPOINT_SHARD_IDS: use a range like 0-3 or a list like 4,5,6,7, not 'first half'"),
    ({"PIERPOINT_SHARD_COUNT": "8", "PIERPOINT_SHARD_IDS": "7-4"}, "PIERPOINT_SHARD_IDS: the range 7-4 goes backwards"),
    ({"PIERPOINT_SHARD_COUNT": "two"}, "PIERPOINT_SHARD_COUNT: Input should be a valid integer"),
    ({"PIERPOINT_SHARD_COUNT": "0"}, "PIERPOINT_SHARD_COUNT: Input should be greater than or equal to 1"),
    ({"PIERPOINT_METRICS_PORT": "http"}, "PIERPOINT_METRICS_PORT: Input should be a valid integer"),
])
def test_a_bad_shard_setting_stops_the_bot_with_one_line_naming_it(env, expected, monkeypatch, capsys):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert main(["run"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_log_names_the_shards_a_process_runs():
    assert describe_shards((2, 3), 4) == "shards 2-3 of 4"
    assert describe_shards(None, 2) == "shards 0-1 of 2"
    assert describe_shards((0, 5), 8) == "shards 0, 5 of 8"
    assert describe_shards((0,), 1) == "shard 0 of 1"
    assert describe_shards(None, None) == "all shards (Discord's recommended count)"
