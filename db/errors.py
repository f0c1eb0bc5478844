"""The store's one error type, apart from the engine so screens can name it without loading SQLAlchemy."""

from los_tui.domain.errors import LosError


class StoreError(LosError):
    """The database cannot be used as asked; the message is for the user."""

    shown_characters = None  # the value is a file's path: shown whole
