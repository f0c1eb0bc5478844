"""Storage: the Store (db.store) owning connections and health, the Reader and the Writer over the tables
(db.tables), Alembic migrations, backups and the seed protocol."""
