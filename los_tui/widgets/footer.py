"""Textual's footer, rebuilt only when the keys it shows change, and without keeping old keys alive."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from los_tui.widgets.textual_internals import (
    footer_bindings_ready,
    forget_closed_watchers,
    mark_footer_bindings_ready,
)

# (key, description, action, enabled, tooltip) of each key shown, in order.
Shown = tuple[tuple[str, str, str, bool, str], ...]


class KeyFooter(Footer):
    """A compact footer that recomposes when the keys it shows change, not on every bindings update.

    Textual's footer recomposes whenever the focused widget changes (a new FooterKey for every key, each
    restyled), several times as a screen opens; most of those updates show the same keys.
    """

    def __init__(self) -> None:
        # Compact keys never flip their class, which would restyle each key.
        super().__init__(compact=True)
        self._shown: Shown | None = None

    def _keys_to_show(self) -> Shown:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.description, binding.action, enabled, tooltip or "")
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        if footer_bindings_ready(self):
            self._shown = self._keys_to_show()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        mark_footer_bindings_ready(self)
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        # Not for a screen no longer shown (its keys are read again when it is shown), nor unchanged.
        if not self.is_attached or self.screen is not self.app.screen or self._keys_to_show() == self._shown:
            return
        await self.recompose()
        forget_closed_watchers(self)
