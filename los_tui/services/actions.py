"""The actions arising from a meeting: list, add, edit, mark done, remove, and put back a removed one."""

from __future__ import annotations

from datetime import date
from typing import Any

from los_tui.db.store import DiaryStore
from los_tui.domain.model import Action, Occurrence
from los_tui.domain.parsing import MAX_TITLE, check_line, check_text
from los_tui.domain.recording import reconcile_line

MAX_ACTION = MAX_TITLE * 5


class Actions:
    """Who does what by when, after a meeting; each belongs to the meeting's log."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store

    def list(self, occurrence: Occurrence) -> list[Action]:
        if occurrence.log_id is None:
            return []
        with self.store.reading() as read:
            return read.actions(occurrence.log_id)

    def add(
        self, occurrence: Occurrence, text: str, owner: str = "", due: date | None = None
    ) -> tuple[Occurrence, Action]:
        """Add an action to the meeting (logging it, if nothing was yet); returns both as they now are."""
        # One line, as an owner or a title: a line break in it printed a second, made-up action.
        check_text("action", text, MAX_ACTION, required=True, private=True, one_line=True)
        check_line("owner", owner)
        with self.store.writing() as write:
            return write.add_action(occurrence, text.strip(), owner.strip(), due)

    def update(
        self,
        action_id: int,
        *,
        text: str | None = None,
        owner: str | None = None,
        due: date | None = None,
        clear_due: bool = False,
        done: bool | None = None,
        shown: Action | None = None,
    ) -> Action:
        """Change an action. `shown` is the action as the edit began: a text or owner changed elsewhere
        since is kept beside this one ("theirs / mine"), and an action deleted elsewhere is added back."""
        changes: dict[str, Any] = {}
        if text is not None:
            changes["text"] = check_text(
                "action", text, MAX_ACTION, required=True, private=True, one_line=True
            ).strip()
        if owner is not None:
            changes["owner"] = check_line("owner", owner).strip()
        if due is not None or clear_due:
            changes["due"] = due
        if done is not None:
            changes["done"] = done
        with self.store.writing() as write:
            current = write.read.action(action_id)
            if shown is not None:
                current = current or write.restore_action(shown)
                for name in ("text", "owner"):
                    if name in changes:
                        changes[name] = reconcile_line(
                            getattr(shown, name), getattr(current, name), changes[name]
                        ).text
                action_id = current.id
            # Written only on the version just compared (optimistic locking); no lock held while typing.
            return write.edit_action(action_id, expect=current.version if current else None, **changes)

    def remove(self, action_id: int) -> Action:
        """Remove an action and return it, so the caller can offer to undo (see `restore`)."""
        with self.store.writing() as write:
            return write.remove_action(action_id)

    def restore(self, action: Action) -> Action:
        with self.store.writing() as write:
            return write.restore_action(action)
