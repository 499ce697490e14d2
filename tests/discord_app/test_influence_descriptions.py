"""/influence and /ask when a fan names an influence by what they remember of it (cast,
character, story, network), through simcord: what the fan sees in Discord."""

from __future__ import annotations

import pytest

from tests.discord_app.helpers import embeds_of


async def test_influence_by_a_character_shows_the_write_up_and_a_credit_line(server):
    result = await server.alice.slash(server.channel, "influence", title="joan holloway")
    embeds = embeds_of(result)
    assert embeds[0].title.startswith("Mad Men (2007-2015)")
    assert "The greatest workplace drama of all time" in embeds[0].description
    assert embeds[0].author.name == "Mickey Down & Konrad Kay", "the quote stays theirs"
    # The credits are the bot's own line, outside the quoted card.
    credits = "Credits: 2007–2015 · Matthew Weiner · Jon Hamm, Elisabeth Moss, Vincent Kartheiser"
    assert result.response.content == credits
    assert "Jon Hamm" not in embeds[0].description


async def test_influence_by_a_misspelt_star(server):
    result = await server.alice.slash(server.channel, "influence", title="de nero")
    assert embeds_of(result)[0].title.startswith("Heat (1995)")


async def test_influence_that_fits_two_asks_which_one(server):
    result = await server.alice.slash(server.channel, "influence", title="the 90s film")
    content = result.response.content
    assert "fits 2 of their influences" in content
    assert "**Kids** (1995)" in content and "**Heat** (1995)" in content
    assert "Which one?" in content
    assert not embeds_of(result), "nothing is guessed"


async def test_finance_film_not_in_their_list_is_not_answered_with_one_of_the_twelve(server):
    result = await server.alice.slash(server.channel, "influence", title="margin call")
    assert "“margin call” is not in their list of influences." in result.response.content
    assert not embeds_of(result)


@pytest.mark.parametrize(("typed", "first"), [
    ("sandler", {"name": "Uncut Gems (2019) · Adam Sandler", "value": "Uncut Gems"}),
    ("bateman", {"name": "American Psycho (2000) · Patrick Bateman (Christian Bale)", "value": "American Psycho"}),
    ("draper", {"name": "Mad Men (2007-2015) · Don Draper (Jon Hamm)", "value": "Mad Men"}),
])
async def test_autocomplete_offers_the_title_for_a_stars_or_characters_surname(server, typed, first):
    choices = await server.alice.autocomplete(server.channel, "influence", "title", typed)
    assert choices[0] == first
    assert len(choices) <= 25 and all(len(c["name"]) <= 100 for c in choices)


async def test_choosing_an_autocompleted_star_opens_the_write_up(server):
    choice = (await server.alice.autocomplete(server.channel, "influence", "title", "sandler"))[0]
    result = await server.alice.slash(server.channel, "influence", title=choice["value"])
    assert embeds_of(result)[0].title.startswith("Uncut Gems (2019)")


async def test_ask_about_an_influence_named_by_its_star_quotes_its_write_up_first(server):
    result = await server.alice.slash(server.channel, "ask", question="what do they say about the pacino film?")
    top = embeds_of(result)[0]
    assert "You really want to hear two heterosexual men drone on about the merits of Heat?" in top.description


def test_the_synced_title_option_says_an_actor_character_or_story_works_too(simcord_env):
    [synced] = [r.json for r in simcord_env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
    [influence] = [c for c in synced if c["name"] == "influence"]
    [title] = [o for o in influence["options"] if o["name"] == "title"]
    assert len(title["description"]) <= 100  # Discord's limit for an option description
    assert all(word in title["description"] for word in ("title", "actor", "character", "story"))


async def test_ask_about_a_title_not_in_their_list_says_so_with_no_write_up(server):
    result = await server.alice.slash(server.channel, "ask", question="what do they say about *wolf hall*?")
    content = result.response.content
    assert content.startswith("“wolf hall” is not in their list of influences")
    assert not embeds_of(result), "no write-up picked for a shared word"


async def test_ask_about_an_everyday_topic_still_quotes_passages(server):
    result = await server.alice.slash(server.channel, "ask", question="what do they think of the cast?")
    assert embeds_of(result)
