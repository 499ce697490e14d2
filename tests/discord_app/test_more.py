"""The More button: next passages for the same question, and a clean stop at its timeout."""

from __future__ import annotations

import simcord

from bot import create_bot

QUESTION = "how did they cast the show?"


def descriptions(message) -> list[str]:
    return [e.description for e in message.embeds]


def more_button(message) -> dict:
    """The button as {"label", "disabled"}, from a simcord response or a discord.py message."""
    row = message.components[0]
    if isinstance(row, dict):
        return row["components"][0]
    button = row.children[0]
    return {"label": button.label, "disabled": button.disabled}


async def test_more_pages_to_the_next_passages_of_the_same_answer(server):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION, count=2)
    first_page = descriptions(result.response)
    assert "(1–2 of" in result.response.content

    click = await server.alice.click(result.response, label=more_button(result.response)["label"])

    simcord.assert_responded(click)
    message = server.channel.last_message
    second_page = descriptions(message)
    assert len(second_page) == 2
    assert not set(first_page) & set(second_page), "new passages, not the same ones again"
    assert "(3–4 of" in message.content and QUESTION in message.content


async def test_more_stops_when_the_passages_run_out(server):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION, count=5)
    total = int(result.response.content.rsplit(" of ", 1)[1].rstrip(")"))
    for _ in range((total - 1) // 5):
        await server.alice.click(server.channel.last_message, label=more_button(server.channel.last_message)["label"])
    button = more_button(server.channel.last_message)
    assert button["disabled"] and button["label"] == "No more"


async def test_only_the_asker_can_page(server):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION)
    other = server.members[1]
    click = await other.click(result.response, label=more_button(result.response)["label"])
    assert click.ephemeral and "Only the person who asked" in click.response.content
    assert "(1–3 of" in server.channel.last_message.content, "the answer did not change"


async def restart(env, retriever, settings):
    """A new bot process on the same Discord: nothing of the old one's memory survives."""
    await env.restart_bot(create_bot(retriever, settings=settings, sync_commands=True))


async def test_more_works_after_a_restart(simcord_env, server, retriever, settings):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION, count=2)
    first = descriptions(result.response)
    await restart(simcord_env, retriever, settings)

    answer = server.channel.last_message
    click = await server.alice.click(answer, label=more_button(answer)["label"])

    simcord.assert_responded(click)
    message = server.channel.last_message
    assert "(3–4 of" in message.content and QUESTION in message.content
    assert len(descriptions(message)) == 2 and not set(first) & set(descriptions(message))
    again = await server.alice.click(message, label=more_button(message)["label"])
    simcord.assert_responded(again)
    assert "(5–6 of" in server.channel.last_message.content


async def test_after_a_restart_only_the_asker_can_page(simcord_env, server, retriever, settings):
    await server.alice.slash(server.channel, "ask", question=QUESTION)
    await restart(simcord_env, retriever, settings)
    message = server.channel.last_message
    click = await server.members[1].click(message, label=more_button(message)["label"])
    assert click.ephemeral and "Only the person who asked" in click.response.content
    assert "(1–3 of" in server.channel.last_message.content


async def test_more_in_a_dm_works_after_a_restart(simcord_env, retriever, settings):
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm(QUESTION)
    await restart(simcord_env, retriever, settings)
    answer = fan.dm_channel.last_message
    click = await fan.click(answer, label=more_button(answer)["label"])
    simcord.assert_responded(click)
    assert "(4–6 of" in fan.dm_channel.last_message.content


async def test_an_answer_whose_question_cannot_be_recovered_says_it_expired(simcord_env, server, retriever, settings):
    question = ("how did they cast the show, and what did they look for in the young actors they chose for the "
                "graduates on the trading floor and in the older ones who run the desk?")
    result = await server.alice.slash(server.channel, "ask", question=question)
    assert "…" in result.response.content, "the echo is cut, visibly, so the question cannot be read back"
    await restart(simcord_env, retriever, settings)

    click = await server.alice.click(result.response, label=more_button(result.response)["label"])

    assert click.ephemeral and "expired" in click.response.content and "/ask" in click.response.content
    assert "(1–3 of" in server.channel.last_message.content, "the answer itself stays"


async def test_more_works_in_dms(simcord_env):
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm(QUESTION)
    answer = fan.dm_channel.last_message
    await fan.click(answer, label=more_button(answer)["label"])
    assert "(4–6 of" in fan.dm_channel.last_message.content


async def test_a_private_answer_pages_after_a_restart(simcord_env, server, retriever, settings):
    result = await server.alice.slash(server.channel, "ask", question=QUESTION, private=True)
    assert result.ephemeral
    await restart(simcord_env, retriever, settings)
    click = await server.alice.click(result.response, label=more_button(result.response)["label"])
    simcord.assert_responded(click)
    assert "(4–6 of" in result.response.content
