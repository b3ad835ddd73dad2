"""Alembic revision scripts; keep the chain linear (each down_revision is the previous)."""
