"""Saving an edited action, from the meeting screen or the actions screen: one rule for an edit made
elsewhere meanwhile (both texts kept, and said so)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from los_tui.domain.model import Action
from los_tui.screens.base import in_background
from los_tui.screens.dialogs import ActionDraft

Shown = Callable[[Action], None]


def save_edited_action(
    screen: Screen[Any],
    action: Action,
    edited: ActionDraft,
    show: Shown,
    only_if_still_shown: Callable[[Shown], Shown] = lambda then: then,
    group: str = "default",
) -> None:
    """Save `edited` over `action` as it was shown, off the UI thread; `show` gets the action as stored.
    `only_if_still_shown` wraps what happens next (a kept meeting screen may show another meeting by then)."""

    def kept(updated: Action) -> None:
        show(updated)
        if (updated.text, updated.owner) != (edited.text, edited.owner):
            screen.notify(
                "The action was changed elsewhere while you edited it: both are kept, the other "
                "first, then yours, joined by ' / '.",
                title="Changed elsewhere",
                severity="warning",
                timeout=15,
            )

    # The due date only if it was changed here: sent as shown, it put back the one shown over a due date
    # changed elsewhere meanwhile (text and owner are kept side by side by the store, see update).
    due_changed = edited.due != action.due
    in_background(
        screen,
        lambda diary: diary.actions.update(
            action.id,
            text=edited.text,
            owner=edited.owner,
            due=edited.due if due_changed else None,
            clear_due=due_changed and edited.due is None,
            shown=action,
        ),
        only_if_still_shown(kept),
        group=group,
    )
