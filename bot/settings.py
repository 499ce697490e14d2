"""Every setting in one place, read from the environment or a ``.env`` file.

``.env.example`` documents each one. pydantic-settings does the reading and
the type checking, so a typo such as ``PIERPOINT_ASK_COUNT=three`` fails at
start with the setting's name rather than deep inside a command.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.encoder.cache import default_cache_dir
from bot.retrieval.embedder import DEFAULT_BACKEND, DEFAULT_MODEL

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Pierpoint's configuration. Environment variables win over ``.env``."""

    # The repository's .env, then one in the current folder (which wins); real environment variables win over both.
    model_config = SettingsConfigDict(env_file=(PROJECT_ROOT / ".env", ".env"), env_file_encoding="utf-8",
                                      extra="ignore")

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    model: str = Field(default=DEFAULT_MODEL, validation_alias="PIERPOINT_MODEL")
    # onnx: questions encoded on onnxruntime, no torch in the serving process; torch: sentence-transformers.
    backend: Literal["onnx", "torch"] = Field(default=DEFAULT_BACKEND, validation_alias="PIERPOINT_BACKEND")
    cache_dir: Path = Field(default_factory=default_cache_dir, validation_alias="PIERPOINT_CACHE_DIR")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", validation_alias="PIERPOINT_CORPUS_DIR")
    index_dir: Path = Field(default=PROJECT_ROOT / "embeddings", validation_alias="PIERPOINT_INDEX_DIR")
    ask_count: int = Field(default=3, ge=1, le=5, validation_alias="PIERPOINT_ASK_COUNT")
    cooldown_questions: int = Field(default=3, ge=1, validation_alias="PIERPOINT_COOLDOWN_QUESTIONS")
    cooldown_seconds: float = Field(default=30.0, gt=0, validation_alias="PIERPOINT_COOLDOWN_SECONDS")
    # At most 14 minutes: Discord lets a bot edit its answer (to grey the button out) for 15.
    more_timeout_seconds: float = Field(default=300.0, gt=0, le=840, validation_alias="PIERPOINT_MORE_TIMEOUT_SECONDS")
    search_threads: int = Field(default=2, ge=1, le=16, validation_alias="PIERPOINT_SEARCH_THREADS")
    log_level: str = Field(default="INFO", validation_alias="PIERPOINT_LOG_LEVEL")

    @property
    def token(self) -> str | None:
        """The Discord token, or None when unset or blank."""
        value = self.discord_token.get_secret_value().strip() if self.discord_token else ""
        return value or None


class SettingsError(RuntimeError):
    """A setting that cannot be used, described without its value (it may be secret)."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'setting'}: {error['msg']}" for error in exc.errors()
        )
        raise SettingsError(f"Invalid setting: {problems}. See .env.example.") from None
