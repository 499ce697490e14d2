"""Every setting in one place, read from the environment or a ``.env`` file.

``.env.example`` documents each one. pydantic-settings does the reading and
the type checking, so a typo such as ``PIERPOINT_ASK_COUNT=three`` fails at
start with the setting's name rather than deep inside a command.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.encoder.cache import default_cache_dir
from bot.retrieval.embedder import DEFAULT_BACKEND, DEFAULT_MODEL
from bot.service.shards import ShardSettingError, check_shard_ids, parse_shard_ids

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "pierpoint.db"
DATABASE_SCHEME = re.compile(r"(sqlite|postgres|postgresql)(\+\w+)?://", re.IGNORECASE)
"""The databases the records store supports (bot.records.database.async_url)."""
MIN_VOTER_KEY = 16
"""A voter-hash key shorter than this could be guessed, and with it who voted."""
HOST = re.compile(r"[A-Za-z0-9.\-]+|\[?[0-9A-Fa-f:.]+\]?")
"""An IPv4 or IPv6 address or a host name: what aiohttp can listen on."""


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
    search_threads: int = Field(default=2, ge=1, le=16, validation_alias="PIERPOINT_SEARCH_THREADS")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", validation_alias="PIERPOINT_LOG_LEVEL")
    # Records of questions and votes (bot.records): what is kept, where, how long.
    recording: bool = Field(default=True, validation_alias="PIERPOINT_RECORDING")
    database_url: str | None = Field(default=None, validation_alias="PIERPOINT_DATABASE_URL")
    record_questions: bool = Field(default=True, validation_alias="PIERPOINT_RECORD_QUESTIONS")
    keep_days: int = Field(default=90, ge=1, validation_alias="PIERPOINT_KEEP_DAYS")
    voter_key: SecretStr | None = Field(default=None, validation_alias="PIERPOINT_VOTER_KEY")
    # Sharding (see README, "Running at scale"): unset = Discord's recommended count, all in this process.
    shard_count: int | None = Field(default=None, ge=1, validation_alias="PIERPOINT_SHARD_COUNT")
    shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(default=None, validation_alias="PIERPOINT_SHARD_IDS")
    # Health and metrics over HTTP: off unless a port is set; loopback only unless the host is changed.
    metrics_port: int | None = Field(default=None, ge=1, le=65535, validation_alias="PIERPOINT_METRICS_PORT")
    metrics_host: str = Field(default="127.0.0.1", validation_alias="PIERPOINT_METRICS_HOST")

    @field_validator("shard_count", "metrics_port", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _parse_shard_ids(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                value = parse_shard_ids(value)
            except ShardSettingError as exc:
                raise PydanticCustomError("shard_ids", str(exc)) from None
        if value is not None and "shard_count" in info.data:  # absent: the count itself was invalid
            try:
                check_shard_ids(value, info.data["shard_count"])
            except ShardSettingError as exc:
                raise PydanticCustomError("shard_ids", str(exc)) from None
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: Any) -> Any:
        """Only the scheme is checked here (cheaply, for every command); the records store checks the rest."""
        if isinstance(value, str) and value.strip() and not DATABASE_SCHEME.match(value.strip()):
            raise PydanticCustomError("database_url", "expected sqlite:///path/to/file.db or "
                                      "postgresql://user:password@host/name")
        return value

    @field_validator("voter_key", mode="before")
    @classmethod
    def _voter_key(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and len(value.strip()) < MIN_VOTER_KEY:
            raise PydanticCustomError("voter_key", f"use a random string of at least {MIN_VOTER_KEY} characters")
        return value

    @field_validator("metrics_host", mode="before")
    @classmethod
    def _metrics_host(cls, value: Any) -> Any:
        if isinstance(value, str) and not HOST.fullmatch(value.strip()):
            raise PydanticCustomError("metrics_host", "expected an IP address or a host name, e.g. 127.0.0.1")
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def token(self) -> str | None:
        """The Discord token, or None when unset or blank."""
        value = self.discord_token.get_secret_value().strip() if self.discord_token else ""
        return value or None

    @property
    def database(self) -> str:
        """The records database: PIERPOINT_DATABASE_URL, or SQLite in data/pierpoint.db under the project."""
        return (self.database_url or "").strip() or f"sqlite:///{DEFAULT_DATABASE}"


class SettingsError(RuntimeError):
    """A setting that cannot be used, described without its value (it may be secret)."""


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read once per process (terminal commands)."""
    return load_settings()


def load_settings() -> Settings:
    """The settings as the environment and .env say now. Raises :class:`SettingsError`."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'setting'}: {error['msg']}" for error in exc.errors()
        )
        raise SettingsError(f"Invalid setting: {problems}. See .env.example.") from None
