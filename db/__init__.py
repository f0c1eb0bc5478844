"""Storage: the SQLAlchemy schema, engine set-up, Alembic migrations, the seed protocol and the repository."""
