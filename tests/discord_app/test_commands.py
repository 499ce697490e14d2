"""Every slash command, in a server channel and in a DM, through simcord."""

from __future__ import annotations

import re

import discord
import pytest

from bot import create_bot
from bot.retrieval.question import NOT_ENGLISH
from tests.discord_app.helpers import embeds_of

ADVICE = "If you are writing a spec script, make it interesting in the first few pages."
ADVICE_PASSAGE_SENTENCES = [
    ADVICE, "And if you can make something, that would still be the advice.",
    "Then the other advice is find a collaborator.", "If you’re a writer, find a director you want to work with.",
    "Or if you are a director, find a writer or an actor.", "Create a little community of people you can work with.",
]


async def invoke(env, where: str, command: str, **options):
    """Run a slash command as a fan, in a server channel or in a DM with the bot."""
    if where == "dm":
        return await env.create_user("fan").slash(command, **options)
    guild = env.create_guild()
    channel = guild.create_text_channel("general")
    return await guild.add_member(env.create_user("fan")).slash(channel, command, **options)


def callback_types(env) -> list[int]:
    return [r.json["type"] for r in env.http_requests if r.path.endswith("/callback") and isinstance(r.json, dict)]


async def test_ask_in_a_server_quotes_the_creators_with_attribution(simcord_env, server):
    result = await server.alice.slash(server.channel, "ask", question="advice for writers")

    assert callback_types(simcord_env)[0] == 5, "slow work must defer first"
    assert not result.ephemeral
    assert "advice for writers" in result.response.content
    embeds = embeds_of(result)
    assert len(embeds) == 3, "one embed per passage, 3 by default"
    top = embeds[0]
    assert top.author.name == "Mickey Down"
    assert ADVICE in top.description
    bold = re.findall(r"\*\*(.+?)\*\*", top.description)
    assert len(bold) == 1 and bold[0] in ADVICE_PASSAGE_SENTENCES, "the best-matching sentence is bold"
    assert top.footer.text == "Titans of Industry · Drama Quarterly · 2025"
    assert top.url == "https://dramaquarterly.com/titans-of-industry/"


async def test_ask_count_option_sets_the_number_of_passages(server):
    result = await server.alice.slash(server.channel, "ask", question="how did they cast the show?", count=5)
    assert len(embeds_of(result)) == 5


async def test_ask_in_a_dm(simcord_env):
    fan = simcord_env.create_user("dm-fan")
    result = await fan.slash("ask", question="what does Kay say about luck?")
    top = embeds_of(result)[0]
    assert top.author.name == "Konrad Kay"
    assert "right place at the right time" in top.description


async def test_ask_private_is_ephemeral(server):
    result = await server.alice.slash(server.channel, "ask", question="advice for writers", private=True)
    assert result.ephemeral
    assert server.channel.history(viewer=server.members[1]) == []


async def test_ask_without_a_good_match_says_so_and_suggests_influences(server):
    result = await server.alice.slash(server.channel, "ask", question="what is the capital of Australia?")
    assert "don't talk about that" in result.response.content
    assert "/influences" in result.response.content
    assert not embeds_of(result)


async def test_influence_finds_a_title_with_typos_and_shows_title_year_credit(server):
    result = await server.alice.slash(server.channel, "influence", title="amercan psycho")
    embeds = embeds_of(result)
    assert embeds[0].title == "American Psycho (2000) · film directed by Mary Harron"
    assert embeds[0].author.name == "Mickey Down & Konrad Kay"
    assert "Mary Harron’s fantastic adaptation" in embeds[0].description
    assert [e.title for e in embeds[:2]] == [embeds[0].title] * 2, "both write-up paragraphs come first"
    assert embeds[2].title == "Also mentioned"
    assert "Patrick Bateman" in embeds[2].description


async def test_influence_in_a_dm(simcord_env):
    fan = simcord_env.create_user("dm-fan")
    result = await fan.slash("influence", title="heat")
    assert embeds_of(result)[0].title.startswith("Heat (1995)")


async def test_unknown_influence_is_not_in_their_list_with_closest_titles(server):
    result = await server.alice.slash(server.channel, "influence", title="breaking bad")
    assert "not in their list" in result.response.content
    assert "Closest titles" in result.response.content


async def test_title_named_in_passing_quotes_the_passage(server):
    result = await server.alice.slash(server.channel, "influence", title="thief")
    assert "not in their list" in result.response.content
    assert "in passing" in result.response.content
    assert "since Thief" in embeds_of(result)[0].description


async def test_influence_private_is_ephemeral(server):
    result = await server.alice.slash(server.channel, "influence", title="heat", private=True)
    assert result.ephemeral


async def test_autocomplete_is_fuzzy_and_within_discords_limit(server):
    choices = await server.alice.autocomplete(server.channel, "influence", "title", "socail netwrk")
    assert choices[0] == {"name": "The Social Network (2010)", "value": "The Social Network"}
    everything = await server.alice.autocomplete(server.channel, "influence", "title", "")
    assert len(everything) == 12
    assert all(len(c["name"]) <= 100 for c in everything)


@pytest.mark.parametrize("where", ["server", "dm"])
async def test_influences_lists_all_twelve_with_year_and_credit(simcord_env, where):
    result = await invoke(simcord_env, where, "influences")
    listing = embeds_of(result)[0].description
    assert listing.count("\n") == 11
    assert "**Heat** (1995) · film, directed by Michal Mann" in listing
    assert "**Girls** (2011 - 2017) · TV, created by Lena Dunham" in listing


@pytest.mark.parametrize("where", ["server", "dm"])
async def test_sources_lists_both_articles_with_links(simcord_env, where):
    result = await invoke(simcord_env, where, "sources")
    fields = {f.name: f.value for f in embeds_of(result)[0].fields}
    assert "VICE, 2022" in fields["Inside 'Industry': The HBO Creators on the Inspirations Behind the Show"]
    assert "https://dramaquarterly.com/titans-of-industry/" in fields["Titans of Industry"]


@pytest.mark.parametrize("where", ["server", "dm"])
async def test_help_explains_the_commands_privately(simcord_env, where):
    result = await invoke(simcord_env, where, "help")
    assert result.ephemeral
    text = embeds_of(result)[0].description
    assert "/ask" in text and "/influence" in text and "DM" in text


async def test_commands_are_installable_everywhere(simcord_env):
    commands = {c.name: c for c in simcord_env.bot.tree.get_commands()}
    assert set(commands) == {"ask", "influence", "influences", "sources", "help"}
    tree = simcord_env.bot.tree
    assert tree.allowed_contexts.guild and tree.allowed_contexts.dm_channel and tree.allowed_contexts.private_channel
    assert tree.allowed_installs.guild and tree.allowed_installs.user
    registered = next(r.json for r in simcord_env.http_requests if r.method == "PUT" and r.path.endswith("/commands"))
    assert all(c["contexts"] == [0, 1, 2] and c["integration_types"] == [0, 1] for c in registered)


async def test_without_embed_links_the_answer_is_plain_text(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("no-embeds",
                                        overwrites={guild.me: discord.PermissionOverwrite(embed_links=False)})
    fan = guild.add_member(simcord_env.create_user("fan"))
    result = await fan.slash(channel, "ask", question="advice for writers")
    assert not embeds_of(result)
    assert "> “If you are writing a spec script" in result.response.content
    assert result.response.content.count("**") >= 4, "speaker and best sentence in bold"
    assert "— **Mickey Down**, *Titans of Industry* (Drama Quarterly, 2025)" in result.response.content


async def test_plain_text_answers_keep_every_source_link(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("no-embeds",
                                        overwrites={guild.me: discord.PermissionOverwrite(embed_links=False)})
    fan = guild.add_member(simcord_env.create_user("fan"))
    result = await fan.slash(channel, "ask", question="how did they cast the show?", count=5)
    content = result.response.content
    assert len(content) <= 2000
    assert content.count("> “") == 5 and content.count(" <https://") == 5, "five quotes, each with its link"


async def test_create_bot_with_no_arguments_loads_the_committed_index(settings):
    """The operator's path: no retriever handed in, set-up loads corpus, index and model."""
    import simcord

    bot = create_bot(settings=settings, sync_commands=True)
    async with simcord.run(bot, shard_count=1) as env:
        assert len(bot.retriever.corpus.passages) == 58
        guild = env.create_guild()
        channel = guild.create_text_channel("general")
        result = await guild.add_member(env.create_user("fan")).slash(channel, "influence", title="madmen")
        assert embeds_of(result)[0].title.startswith("Mad Men (2007-2015)")


async def test_a_question_in_another_language_gets_a_friendly_english_reply(simcord_env, server):
    result = await server.alice.slash(server.channel, "ask", question="¿Qué dice Kay sobre la suerte?")
    assert result.response.content == NOT_ENGLISH
    assert not result.response.embeds and not result.response.components, "no quote, no More button"
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm("Qu'est-ce que Mickey pense de la célébrité ?")
    assert fan.dm_channel.last_message.content == NOT_ENGLISH


async def test_an_english_question_naming_foreign_titles_is_answered(server):
    result = await server.alice.slash(server.channel, "ask", question="is Pierpoint & Co based on a real bank?")
    assert result.response.embeds


async def test_a_long_dm_is_answered_on_its_question_and_says_what_was_left_out(simcord_env):
    preamble = ("Long-time fan here, I rewatched the whole thing with my sister over Christmas and we could not "
                "agree on who the real villain of the trading floor is, so we made a bet about it. ") * 3
    fan = simcord_env.create_user("dm-fan")
    await fan.send_dm(preamble + "what does Kay say about luck?")
    reply = fan.dm_channel.last_message
    header, notice = reply.content.split("\n")[:2]
    assert header.startswith("On “what does Kay say about luck?”")
    assert notice.startswith("-# I searched only the question in your message and left out")
    assert reply.embeds[0].author.name == "Konrad Kay"
