"""Alembic migrations for :mod:`bot.records`, shipped inside the package so an installed bot upgrades itself."""
