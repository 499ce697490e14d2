"""The records tests run against SQLite and a real PostgreSQL.

PostgreSQL comes from ``PIERPOINT_TEST_POSTGRES_URL`` (``.ci/run`` starts a
throwaway cluster and sets it; locally: ``bash -c 'source .ci/postgres.sh &&
.venv/bin/python -m pytest tests/records'``). Each test gets a database of its
own, dropped afterwards. In CI (``CI=true``) a missing URL fails the tests
instead of skipping them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

POSTGRES_ENV = "PIERPOINT_TEST_POSTGRES_URL"


def _admin_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, records_database) -> AsyncIterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield records_database
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{POSTGRES_ENV} is not set: CI must run the PostgreSQL tests (see .ci/postgres.sh)")
        pytest.skip(f"no PostgreSQL: set {POSTGRES_ENV} or run .ci/run")
    name = f"pierpoint_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_admin_dsn(server))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    admin = await asyncpg.connect(_admin_dsn(server))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
