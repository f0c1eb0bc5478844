"""Textual's footer, rebuilt only when the keys it shows change, and without keeping old keys alive; keys
that do not fit the width go on to a second line rather than out of sight."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer

from los_tui.widgets.textual_internals import (
    FooterKey,
    footer_bindings_ready,
    forget_closed_watchers,
    mark_footer_bindings_ready,
)

# (key, description, action, enabled, tooltip) of each key shown, in order, and the width laid out for.
Shown = tuple[tuple[tuple[str, str, str, bool, str], ...], int]


class KeyFooter(Footer):
    """A compact footer that recomposes when the keys it shows change, not on every bindings update.

    Textual's footer recomposes whenever the focused widget changes (a new FooterKey for every key, each
    restyled), several times as a screen opens; most of those updates show the same keys. Its keys run
    off the right edge on a narrow terminal, under the command palette's key (whose last cell let the
    hidden key's letter show through): here they wrap onto as many lines as they need, palette key last.
    """

    DEFAULT_CSS = """
    KeyFooter { layout: vertical; height: auto; max-height: 4; }
    KeyFooter > HorizontalGroup { height: 1; width: 1fr; }
    """

    def __init__(self, keys_at_once: bool = False) -> None:
        # Compact keys never flip their class, which would restyle each key.
        super().__init__(compact=True)
        self._shown: Shown | None = None
        self._keys_at_once = keys_at_once

    def _bindings_to_show(self) -> list[tuple[Binding, bool, str]]:
        """One binding per action (the first of its keys), as Textual's footer shows them."""
        palette = self.app.COMMAND_PALETTE_BINDING
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if (binding.show or key == palette) and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, tooltip or "")
        return list(by_action.values())

    def _keys_to_show(self) -> Shown:
        return (
            tuple(
                (b.key, b.description, b.action, enabled, tip) for b, enabled, tip in self._bindings_to_show()
            ),
            self.app.size.width,
        )

    def compose(self) -> ComposeResult:
        if self._keys_at_once:
            # The keys from the start, not once the screen first reports its bindings (as Textual's
            # footer waits to): the footer then has its height in the first layout, instead of growing
            # from none to two lines a frame later and so re-laying out (and redrawing) the screen
            # above it. For a screen whose keys do not depend on what is focused as it opens (the
            # month's): on others the keys read now would be replaced a frame later.
            mark_footer_bindings_ready(self)
        if not footer_bindings_ready(self):
            return
        self._shown = self._keys_to_show()
        keys = [
            FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
            for binding, enabled, tooltip in self._bindings_to_show()
        ]
        rows: list[list[FooterKey]] = [[]]
        used, width = 0, self.app.size.width
        for key in keys:
            # A compact key is its key, a space and its description, then one cell of margin.
            size = cell_len(key.key_display) + (1 + cell_len(key.description) if key.description else 0) + 1
            if rows[-1] and used + size > width:
                rows.append([])
                used = 0
            rows[-1].append(key)
            used += size
        for row in rows:
            yield HorizontalGroup(*row)

    def on_resize(self) -> None:
        if footer_bindings_ready(self) and self.is_attached:
            self.call_after_refresh(self._recompose_if_changed)

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
