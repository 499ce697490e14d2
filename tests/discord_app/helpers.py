"""Helpers for driving the bot through simcord and checking what it sent."""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import discord

from bot.discord_app import limits

_MESSAGE_ROUTES = [
    ("POST", r"/channels/\d+/messages"),
    ("PATCH", r"/channels/\d+/messages/\d+"),
    ("POST", r"/interactions/\d+/[^/]+/callback"),
    ("POST", r"/webhooks/\d+/[^/]+"),
    ("PATCH", r"/webhooks/\d+/[^/]+/messages/[^/]+"),
]


def sent_payloads(env) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Every message body the bot sent or edited: channel messages, interaction responses, followups."""
    for record in env.http_requests:
        if not any(record.method == m and re.fullmatch(p, record.path) for m, p in _MESSAGE_ROUTES):
            continue
        body = record.json if isinstance(record.json, dict) else {}
        if record.path.endswith("/callback"):
            if body.get("type") not in (4, 7):  # message responses and component updates
                continue
            body = body.get("data") or {}
        yield record, body


def limit_problems(body: dict[str, Any]) -> list[str]:
    """Ways ``body`` breaks Discord's message limits (empty when it fits)."""
    problems, embeds, total = [], body.get("embeds") or [], 0
    if len(body.get("content") or "") > limits.CONTENT:
        problems.append("content over 2000")
    if len(embeds) > limits.EMBEDS_PER_MESSAGE:
        problems.append("more than 10 embeds")
    for embed in embeds:
        fields = embed.get("fields") or []
        parts = [("title", embed.get("title"), limits.EMBED_TITLE),
                 ("description", embed.get("description"), limits.EMBED_DESCRIPTION),
                 ("footer", (embed.get("footer") or {}).get("text"), limits.EMBED_FOOTER),
                 ("author", (embed.get("author") or {}).get("name"), limits.EMBED_AUTHOR)]
        for field in fields:
            parts += [("field name", field.get("name"), 256), ("field value", field.get("value"), 1024)]
        if len(fields) > limits.EMBED_FIELDS:
            problems.append("more than 25 fields")
        for name, value, limit in parts:
            total += len(value or "")
            if len(value or "") > limit:
                problems.append(f"{name} over {limit}")
    if total > limits.EMBED_TOTAL:
        problems.append("embeds over 6000 in all")
    return problems


def can_ping(body: dict[str, Any]) -> bool:
    """True unless the payload forbids every kind of ping."""
    allowed = body.get("allowed_mentions")
    return allowed is None or bool(allowed.get("parse")) or bool(allowed.get("users")) or bool(allowed.get("roles"))


@dataclass
class Server:
    guild: Any
    channel: Any
    members: list[Any]

    @property
    def alice(self) -> Any:
        return self.members[0]


def make_server(env, members: int = 2, **channel_options: Any) -> Server:
    guild = env.create_guild("Industry fans")
    channel = guild.create_text_channel("general", **channel_options)
    people = [guild.add_member(env.create_user(f"fan{n}")) for n in range(members)]
    return Server(guild, channel, people)


async def all_at_once(env, actions: list[Callable[[], Awaitable[Any]]], timeout: float = 60) -> list[Any]:
    """Start every action before any of the bot's handlers runs, then wait for them all.

    simcord runs one user action at a time and has no public way to overlap
    them, so this pauses its settling (a private hook, ``_settle_internal``)
    while the interactions are emitted. If simcord changes, this fails loudly.
    """
    assert hasattr(env, "_settle_internal"), "simcord changed: update all_at_once()"

    async def no_settle(*args: Any, **kwargs: Any) -> None:
        return None

    env._settle_internal = no_settle
    try:
        results = [await action() for action in actions]
    finally:
        del env._settle_internal
    await env.settle(timeout=timeout)
    return results


def embeds_of(result) -> list[discord.Embed]:
    return result.response.embeds if result.response else []


_CALLBACK = re.compile(r"/interactions/(\d+)/[^/]+/callback")
_FOLLOWUP = re.compile(r"/webhooks/\d+/[^/]+(?:/messages/@original)?")


class TimedRequests(list):
    """simcord's request log, also noting wall-clock times (``time.perf_counter``): of each interaction's
    first response (``acknowledged``, by interaction id) and of each answer sent after a defer (``followups``)."""

    def __init__(self, existing: list[Any]) -> None:
        super().__init__(existing)
        self.acknowledged: dict[int, float] = {}
        self.followups: list[float] = []

    def append(self, record: Any) -> None:
        now = time.perf_counter()
        match = _CALLBACK.fullmatch(record.path) if record.method == "POST" else None
        if match:
            self.acknowledged.setdefault(int(match[1]), now)
        elif record.method in ("POST", "PATCH") and _FOLLOWUP.fullmatch(record.path):
            self.followups.append(now)
        super().append(record)


def time_acknowledgements(env) -> TimedRequests:
    """From now on, time the interactions' acknowledgements and the answers that follow a defer.

    simcord keeps every REST call in ``env.backend.http_requests``; an interaction is acknowledged
    by its first POST to ``/interactions/{id}/{token}/callback`` (a response, a defer, choices),
    and answered after a defer through its webhook.
    """
    timed = TimedRequests(env.backend.http_requests)
    env.backend.http_requests = timed
    return timed


def reject_replies_to_deleted_messages(env, monkeypatch) -> None:
    """Make simcord answer as Discord does to a reply whose message is gone: 400 50035 "Unknown message",
    unless the reply says ``fail_if_not_exists: false`` (simcord 3.2 accepts such a reply either way)."""
    from simcord.backend.errors import invalid_form_body

    backend = env.backend
    normalize = backend.normalize_message_reference

    def like_discord(channel_id: int, reference: dict[str, Any] | None) -> dict[str, Any] | None:
        normalized = normalize(channel_id, reference)
        if (normalized and normalized["type"] == 0 and normalized["fail_if_not_exists"]
                and int(normalized["message_id"]) not in backend.messages.get(channel_id, {})):
            raise invalid_form_body("Unknown message")
        return normalized

    monkeypatch.setattr(backend, "normalize_message_reference", like_discord)
