"""``python -m bot stats``: the figures, grouping of unanswered questions, JSON and the HTML page."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot import cli
from bot.records import Recorder, Store
from bot.records.stats import gather
from bot.settings import get_settings
from tests.records.helpers import question


async def _fill(url: str) -> None:
    recorder = await Recorder.open(url)
    answered = [question("advice for writers"), question("how did they cast the show?", guild_id=7, via="mention"),
                question("what about luck", guild_id=None, via="dm", days_ago=2)]
    missed = [question(text, no_match=True) for text in
              ("What's the weather?", "whats the WEATHER", "  what’s the weather!! ", "who won the match?")]
    old = question("long ago", no_match=True, days_ago=40)
    lookups = [question("heat", command="influence", influence="Heat"),
               question("hEAT", command="influence", influence="Heat"),
               question("succession", command="influence", influence=None, no_match=True)]
    for record in [*answered, *missed, old, *lookups]:
        recorder.record(record)
    assert await recorder.vote(answered[0].id, 1, up=True)
    assert await recorder.vote(answered[0].id, 2, up=True)
    assert await recorder.vote(answered[1].id, 1, up=False, reason_text="wrong person")
    assert await recorder.vote(answered[1].id, 3, up=False)
    await recorder.close()


async def test_the_report_counts_groups_and_ranks(database_url):
    await _fill(database_url)
    store = await Store.open(database_url)
    report = await gather(store, days=30)
    await store.close()
    assert report["questions"] == 7 and report["no_match"] == 4
    assert report["no_match_share"] == pytest.approx(4 / 7, abs=1e-3)
    assert report["via"] == {"slash": 5, "dm": 1, "mention": 1, "console": 0}
    assert report["feedback"] == {"up": 2, "down": 2} and report["reasons"] == ["wrong person"]
    assert report["unanswered"][0]["count"] == 3, "the three spellings of one question count as one"
    assert report["unanswered"][0]["question"].lower().startswith("wh")
    assert [row["count"] for row in report["unanswered"]] == [3, 1], "the 40-day-old question is outside"
    [down] = report["down_voted"]
    assert down["question"] == "how did they cast the show?" and down["down"] == 2
    assert down["reasons"] == ["wrong person"] and down["passages"] == ["titans/3", "titans/7"]
    assert report["passages"][0] == {"passage": "titans/3", "count": 5}
    assert report["influences"] == [{"influence": "Heat", "count": 2}] and report["influence_lookups"] == 3
    days = report["per_day"]
    assert sum(d["questions"] for d in days) == 7 and sum(d["up"] + d["down"] for d in days) == 4
    assert len(days) == 2 and days[0]["day"] < days[1]["day"]


async def test_the_command_prints_json_text_and_a_self_contained_page(database_url, monkeypatch, capsys, tmp_path):
    await _fill(database_url)
    monkeypatch.setenv("PIERPOINT_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert await asyncio.to_thread(cli.main, ["stats", "--json", "--days", "1"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["questions"] == 6, "--days 1 leaves out the question asked two days ago"
        assert report["feedback"] == {"up": 2, "down": 2} and report["no_match"] == 4
        assert report["unanswered"][0]["count"] == 3 and report["reasons"] == ["wrong person"]
        assert await asyncio.to_thread(cli.main, ["stats"]) == 0
        text = capsys.readouterr().out
        assert "No good match: 4" in text and "wrong person" in text
        page = tmp_path / "report.html"
        assert await asyncio.to_thread(cli.main, ["stats", "--html", str(page)]) == 0
        html = page.read_text(encoding="utf-8")
        assert "<svg" in html and "<polyline" in html and "wrong person" in html
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    finally:
        get_settings.cache_clear()


async def test_recorded_text_is_escaped_in_the_page(records_database, tmp_path):
    recorder = await Recorder.open(records_database)
    recorder.record(question("<script>alert(1)</script>", no_match=True))
    await recorder.close()
    store = await Store.open(records_database)
    from bot.records.report import render_html

    html = render_html(await gather(store, days=1))
    await store.close()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_unreadable_database_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("PIERPOINT_DATABASE_URL", "postgresql://pierpoint@127.0.0.1:1/nowhere")
    get_settings.cache_clear()
    try:
        assert cli.main(["stats"]) == 1
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert err.startswith("Can't read the records: can't use the database") and err.count("\n") == 1
