"""One cog per concern: asking, influences, about the bot, free-text conversation."""
