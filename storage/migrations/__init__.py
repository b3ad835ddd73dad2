"""Alembic migrations for ippo's schema (run through `storage.migrate`)."""
