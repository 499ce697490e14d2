"""👍 and 👎 under answers, through simcord: recorded votes, the reason form, faults and restarts."""

from __future__ import annotations

import simcord
import sqlalchemy as sa

from bot import create_bot
from bot.discord_app.feedback import COULD_NOT_RECORD
from bot.records.schema import questions, votes
from tests.discord_app.helpers import all_at_once, make_server
from tests.records.helpers import database_locked, rows

QUESTION = "how did they cast the show?"
OFF_TOPIC = "what's the weather in Paris tomorrow?"


def buttons(message) -> list[dict]:
    """Every button as {"custom_id", "label", "emoji"}, from a simcord response or a discord.py message."""
    found = []
    for row in message.components:
        if isinstance(row, dict):
            found += [{"custom_id": b.get("custom_id"), "label": b.get("label"),
                       "emoji": (b.get("emoji") or {}).get("name")} for b in row["components"]]
        else:
            found += [{"custom_id": b.custom_id, "label": b.label, "emoji": b.emoji and b.emoji.name}
                      for b in row.children]
    return found


def vote_id(message, emoji: str) -> str:
    [button] = [b for b in buttons(message) if b["emoji"] == emoji]
    assert button["custom_id"].startswith("pierpoint:vote:")
    return button["custom_id"]


async def stored(simcord_bot, table: sa.Table) -> list[dict]:
    """What the database holds, once the bot's queued records are written."""
    await simcord_bot.records.flush()
    return await rows(simcord_bot.settings.database, table)


async def test_answers_with_passages_carry_vote_buttons_beside_more(server, simcord_env):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    shown = buttons(result.response)
    assert [b["emoji"] for b in shown] == ["➕", "👍", "👎"], "More first, then the votes"
    assert shown[1]["custom_id"].split(":")[-1] == shown[2]["custom_id"].split(":")[-1], "one answer, one record"

    await server.alice.click(result.response, label=shown[0]["label"])  # More: the next page keeps them
    assert [b["emoji"] for b in buttons(server.channel.last_message)] == ["➕", "👍", "👎"]

    private = await server.alice.slash(server.channel, "ask", question="advice for writers", private=True)
    assert private.ephemeral and {"👍", "👎"} <= {b["emoji"] for b in buttons(private.response)}

    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm(QUESTION)
    assert {"👍", "👎"} <= {b["emoji"] for b in buttons(fan.dm_channel.last_message)}
    await server.members[1].send(server.channel, f"<@{simcord_env.bot.user.id}> advice for writers")
    assert {"👍", "👎"} <= {b["emoji"] for b in buttons(server.channel.last_message)}


async def test_no_good_match_gets_no_buttons_but_is_recorded(server, simcord_bot):
    result = await server.alice.slash(server.channel, "ask", question=OFF_TOPIC)
    assert "don't talk about that" in result.response.content
    assert not buttons(result.response)
    [record] = await stored(simcord_bot, questions)
    assert record["no_match"] and record["question"] == OFF_TOPIC and record["via"] == "slash"
    assert record["guild_id"] == server.guild.id and record["answer_ms"] >= 0


async def test_a_vote_is_acknowledged_privately_and_a_second_click_changes_it(server, simcord_bot):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    up = await server.alice.click(result.response, custom_id=vote_id(result.response, "👍"))
    simcord.assert_responded(up)
    assert up.ephemeral and "noted" in up.response.content and len(up.response.content) < 40
    [vote] = await stored(simcord_bot, votes)
    assert vote["up"] and str(server.alice.id) not in vote["voter"]
    [record] = await stored(simcord_bot, questions)
    assert vote["question_id"] == record["id"] and record["question"] == QUESTION

    down = await server.alice.click(result.response, custom_id=vote_id(result.response, "👎"))
    assert down.modal["title"] == "What was wrong?"
    [vote] = await stored(simcord_bot, votes)
    assert not vote["up"] and vote["reason"] is None, "the 👎 counts even if the form is closed"


async def test_the_reason_form_adds_a_reason_of_at_most_300_characters(server, simcord_bot):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    down = await server.alice.click(result.response, custom_id=vote_id(result.response, "👎"))
    [field] = [c["component"] if "component" in c else c["components"][0] for c in down.modal["components"]]
    assert field["max_length"] == 300 and not field.get("required", True)

    submitted = await server.alice.submit_modal(down, {"reason": "wrong person"})
    assert submitted.ephemeral and "Thanks" in submitted.response.content
    [vote] = await stored(simcord_bot, votes)
    assert (vote["up"], vote["reason"]) == (False, "wrong person")


async def test_a_reason_form_submitted_after_a_restart_is_recorded_and_thanked(retriever, records_database):
    bot = create_bot(retriever, sync_commands=True)
    async with simcord.run(bot, shard_count=1) as env:
        server = make_server(env)
        result = await server.alice.slash(server.channel, "ask", question=QUESTION)
        down = await server.alice.click(result.response, custom_id=vote_id(result.response, "👎"))
        assert down.modal["custom_id"].startswith("pierpoint:reason:")
        await env.restart_bot(create_bot(retriever, sync_commands=True))  # a deploy while the form is open
        submitted = await server.alice.submit_modal(down, {"reason": "not about that"})
        assert submitted.acknowledged and submitted.ephemeral and "Thanks" in submitted.response.content
        await env.bot.close()
    [vote] = await rows(records_database, votes)
    assert (vote["up"], vote["reason"]) == (False, "not about that")


async def test_anyone_who_sees_the_answer_may_vote_once_each(server, simcord_bot):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    other = server.members[1]
    click = await other.click(result.response, custom_id=vote_id(result.response, "👍"))
    assert click.ephemeral and "noted" in click.response.content
    await server.alice.click(result.response, custom_id=vote_id(result.response, "👎"))
    await other.click(result.response, custom_id=vote_id(result.response, "👍"))  # again: still one vote
    assert sorted(v["up"] for v in await stored(simcord_bot, votes)) == [False, True]


async def test_thirty_people_voting_at_once_are_all_recorded(simcord_env, simcord_bot):
    server = make_server(simcord_env, members=31)
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    up, down = vote_id(result.response, "👍"), vote_id(result.response, "👎")
    voters = server.members[1:]
    clicks = await all_at_once(simcord_env, [
        (lambda m=member, n=n: m.click(result.response, custom_id=down if n % 3 == 0 else up))
        for n, member in enumerate(voters)])
    assert all(click.acknowledged for click in clicks)
    recorded = await stored(simcord_bot, votes)
    assert len(recorded) == 30 and sum(not v["up"] for v in recorded) == 10
    assert len({v["voter"] for v in recorded}) == 30


async def test_a_failing_database_still_answers_and_says_the_vote_was_not_recorded(server, simcord_env,
                                                                                  simcord_bot):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    async with database_locked(simcord_bot.settings.database):
        during = await server.alice.slash(server.channel, "ask", question="advice for writers")
        assert len(during.response.embeds) == 3, "the answer goes out while the database is down"
        vote = await server.members[1].click(result.response, custom_id=vote_id(result.response, "👍"))
        assert vote.ephemeral and vote.response.content == COULD_NOT_RECORD
        down = await server.members[1].click(result.response, custom_id=vote_id(result.response, "👎"))
        assert down.modal is None and down.response.content == COULD_NOT_RECORD
    await simcord_env.advance_time(60)  # the writer's retry comes round: recording resumes by itself
    again = await server.members[1].click(result.response, custom_id=vote_id(result.response, "👍"))
    assert "noted" in again.response.content
    assert {r["question"] for r in await stored(simcord_bot, questions)} == {QUESTION, "advice for writers"}
    assert simcord_bot.records.write_failures >= 1


async def test_vote_buttons_outlive_the_more_button(server, simcord_env, simcord_bot, settings):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    await simcord_env.advance_time(15 * 60 + 1)  # past any view timeout discord.py could hold
    message = server.channel.last_message
    assert [b["emoji"] for b in buttons(message)] == ["➕", "👍", "👎"]
    click = await server.members[1].click(message, custom_id=vote_id(message, "👍"))
    assert "noted" in click.response.content
    assert len(await stored(simcord_bot, votes)) == 1 and result.response is not None


async def test_vote_buttons_keep_working_after_a_restart(server, simcord_env, simcord_bot, retriever, settings):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    await simcord_bot.close()  # flushes the queued record
    restarted = create_bot(retriever, settings=settings)
    await simcord_env.restart_bot(restarted)
    click = await server.members[1].click(result.response, custom_id=vote_id(result.response, "👍"))
    assert click.ephemeral and "noted" in click.response.content
    await restarted.close()
    [record] = await rows(settings.database, questions)
    [vote] = await rows(settings.database, votes)
    assert vote["question_id"] == record["id"] and vote["up"]


async def test_closing_the_bot_writes_every_question_for_stats(server, simcord_bot, simcord_env):
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm(QUESTION)
    await server.alice.slash(server.channel, "influence", title="heat")
    await simcord_bot.close()
    recorded = await rows(simcord_bot.settings.database, questions)
    assert sorted((r["via"], r["command"]) for r in recorded) == [("dm", "ask"), ("slash", "influence")]
    assert [r["guild_id"] for r in recorded if r["via"] == "dm"] == [None]
    assert [r["influence"] for r in recorded if r["command"] == "influence"] == ["Heat"]


async def test_stats_reflects_what_a_bot_created_from_the_environment_recorded(retriever, records_database):
    """The acceptance contract: create_bot() reads PIERPOINT_DATABASE_URL when called; after close(), stats sees all."""
    import asyncio
    import json
    import os
    import subprocess
    import sys

    from bot.settings import PROJECT_ROOT

    bot = create_bot(retriever, sync_commands=True)
    assert bot.settings.database == records_database
    async with simcord.run(bot, shard_count=1) as env:
        server = make_server(env)
        asked = await server.alice.slash(server.channel, "ask", question=QUESTION)
        await server.alice.slash(server.channel, "ask", question=OFF_TOPIC)
        await server.members[1].click(asked.response, custom_id=vote_id(asked.response, "👍"))
        down = await server.alice.click(asked.response, custom_id=vote_id(asked.response, "👎"))
        await server.alice.submit_modal(down, {"reason": "not about that"})
        await bot.close()
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "stats", "--json"], capture_output=True, text=True,
        cwd=PROJECT_ROOT, env={**os.environ, "PIERPOINT_DATABASE_URL": records_database}, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["questions"] == 2 and report["no_match"] == 1
    assert report["feedback"] == {"up": 1, "down": 1} and report["reasons"] == ["not about that"]
    assert report["unanswered"] == [{"question": OFF_TOPIC, "count": 1}]


def test_an_answer_without_more_gets_a_view_of_just_the_two_votes(retriever):
    import uuid

    from bot.discord_app.views import first_page

    answer = retriever.ask(QUESTION, 2)
    record_id = uuid.uuid4()
    _, view = first_page(answer, page_size=3, owner_id=1, rich=True, key="0" * 12, record_id=record_id)
    assert [b.emoji.name for b in view.children] == ["👍", "👎"]
    assert {b.custom_id for b in view.children} == {f"pierpoint:vote:up:{record_id.hex}",
                                                     f"pierpoint:vote:down:{record_id.hex}"}
    assert not view.is_dispatchable(), "clicks go to the registered VoteButton, never to this short-lived view"
    _, none = first_page(answer, page_size=3, owner_id=1, rich=True, key="0" * 12)
    assert none is None, "recording off: no buttons"
