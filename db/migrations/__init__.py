"""Alembic migrations of the diary's schema."""
