"""The Discord front end: slash commands, DMs and mentions over the retrieval core."""

from bot.discord_app.client import PierpointBot, create_bot

__all__ = ["PierpointBot", "create_bot"]
