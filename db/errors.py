"""The store's one error type, apart from the engine so screens can name it without loading SQLAlchemy."""


class StoreError(Exception):
    """The database cannot be used as asked; the message is for the user."""
