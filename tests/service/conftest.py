"""The service tests drive the real bot through simcord, with the Discord tests' fixtures and payload checks."""

from __future__ import annotations

from tests.discord_app.conftest import every_payload_is_safe, server, settings, simcord_bot, simcord_env

__all__ = ["every_payload_is_safe", "server", "settings", "simcord_bot", "simcord_env"]
