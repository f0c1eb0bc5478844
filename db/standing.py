"""What the connected role may do in a server diary (db.access sets it), asked of the server when the diary
opens, so the app leaves out what the server would refuse and says so in words."""

from __future__ import annotations

from dataclasses import dataclass

# Said to a user whose role cannot see them, in their words.
PRIVATE_WORDS = (
    "notes, questions to raise, answers to the guidance's questions, and the difference a meeting made "
    "(unless it is shared)"
)
# Who we are, whether we may read the note column, whether we may change a log at all: asked in the same
# round trip as the schema's revision when a diary opens (db.server), or on their own after a migration.
# The table is named through to_regclass so that a database without it answers NULL (then the opening
# query's only error is a missing alembic_version, which says the database is not a diary yet).
STANDING_COLUMNS = (
    "current_user, has_column_privilege(to_regclass('occurrence_logs'), 'note', 'SELECT'), "
    "has_any_column_privilege(to_regclass('occurrence_logs'), 'UPDATE')"
)
STANDING_SQL = f"SELECT {STANDING_COLUMNS}"


@dataclass(frozen=True)
class Standing:
    """The connected role's place in the diary: `private` whether it reads private text (a member, the
    owner), `writes` whether it keeps the diary (a member or an assistant; a viewer does not)."""

    role: str
    private: bool = True
    writes: bool = True

    @property
    def level(self) -> str:
        if self.private:
            return "member"
        return "assistant" if self.writes else "viewer"

    @property
    def as_level(self) -> str:
        """ "an assistant", "a viewer", "a member"."""
        return f"{'an' if self.level == 'assistant' else 'a'} {self.level}"

    def notice(self) -> str | None:
        """What this role cannot see or do, said once when the diary opens; None for a full user."""
        if self.private:
            return None
        also = "" if self.writes else "; and, as a viewer, it cannot change anything"
        return (
            f"you are connected as {self.role}, {self.as_level} in this diary: the server does not let "
            f"you read or write {PRIVATE_WORDS}, so they are not shown{also}"
        )

    def refusal(self) -> str:
        """Why the server refuses what was asked, in words."""
        if self.private:
            return f"your database role ({self.role}) may not change that in this diary"
        nothing = "" if self.writes else ", nor change anything"
        return (
            f"your database role ({self.role}) is {self.as_level} in this diary: it may not read or "
            f"write {PRIVATE_WORDS}{nothing}"
        )
