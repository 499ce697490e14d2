"""Settings: typed, validated, and never echoing a secret back."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError, get_settings


@pytest.fixture
def fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_bad_value_names_the_setting_not_the_token(monkeypatch, fresh_settings):
    monkeypatch.setenv("DISCORD_TOKEN", "secret-token-value")
    monkeypatch.setenv("PIERPOINT_COOLDOWN_SECONDS", "-5")
    with pytest.raises(SettingsError) as caught:
        get_settings()
    assert "PIERPOINT_COOLDOWN_SECONDS" in str(caught.value)
    assert "secret-token-value" not in str(caught.value)


def test_a_blank_token_counts_as_no_token():
    assert Settings(_env_file=None, DISCORD_TOKEN="  ").token is None


def test_the_token_is_hidden_in_the_settings_repr():
    settings = Settings(_env_file=None, DISCORD_TOKEN="secret-token-value")
    assert settings.token == "secret-token-value"
    assert "secret-token-value" not in repr(settings)
