"""Alembic's environment: always run by :func:`bot.records.database.migrate` on a connection it opened."""

from __future__ import annotations

from alembic import context

from bot.records.schema import metadata

connection = context.config.attributes["connection"]
# render_as_batch: SQLite alters a table by copying it; Alembic does that for us.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
