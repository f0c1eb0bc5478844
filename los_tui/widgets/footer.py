"""Textual's footer, rebuilt only when the keys it shows change, its keys drawn by one widget rather than
one each; keys that do not fit the width go on to a second line rather than out of sight."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from los_tui.widgets.textual_internals import footer_bindings_ready, mark_footer_bindings_ready

# (key, description, action, enabled, tooltip) of each key shown, in order, and the width laid out for.
Shown = tuple[tuple[tuple[str, str, str, bool, str], ...], int]


@dataclass(frozen=True)
class ShownKey:
    """One key as the footer shows it: on line `line` of the keys, from cell `x`, `width` cells wide."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    line: int
    x: int
    width: int


def keys_on_lines(keys: list[tuple[str, str, str, str, bool, str]], width: int) -> tuple[ShownKey, ...]:
    """`keys` ((key, display, description, action, enabled, tooltip) each) laid out in order on as many
    lines of `width` as they need: a compact key is its key, a space and its description, then one cell
    of margin, as Textual's compact footer keys are."""
    shown: list[ShownKey] = []
    line, used = 0, 0
    for key, display, description, action, enabled, tooltip in keys:
        drawn = cell_len(display) + (1 + cell_len(description) if description else 0)
        if used and used + drawn + 1 > width:
            line, used = line + 1, 0
        shown.append(ShownKey(key, display, description, action, enabled, tooltip, line, used, drawn))
        used += drawn + 1
    return tuple(shown)


class FooterKeys(Widget):
    """Every key of a footer, drawn as Textual's compact FooterKey draws one (the same styles, read from
    the same theme variables), line by line; a key is clicked, hovered and explained (its tooltip) where
    it is drawn. One widget for a footer's ~15 keys: a Textual widget costs ~30 KB of the session (its
    message queue and task, styles, DOM and drawn lines), and four kept screens held 61 keys."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-keys--hovered",
    }
    DEFAULT_CSS = """
    FooterKeys {
        width: 1fr;
        height: auto;
        text-wrap: nowrap;
        background: $footer-item-background;
        &:hover { pointer: pointer; }
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-keys--hovered {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self, keys: tuple[ShownKey, ...]) -> None:
        super().__init__()
        self.keys = keys
        self._hovered: ShownKey | None = None

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return self.keys[-1].line + 1 if self.keys else 0

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        base = self.rich_style
        hovered = self.get_component_rich_style("footer-keys--hovered")
        lines: list[Text] = [Text() for _ in range((self.keys[-1].line + 1) if self.keys else 0)]
        for shown in self.keys:
            under = base if shown is not self._hovered else base + hovered
            if not shown.enabled:
                under += Style(dim=True)
            over = Style(bgcolor=hovered.bgcolor) if shown is self._hovered else Style()
            text = Text.assemble((shown.key_display, key_style + over))
            if shown.description:
                text.append(" " + shown.description, description_style + over)
            text.stylize_before(under)
            lines[shown.line].append_text(text)
            lines[shown.line].append(" ", base)
        return Text("\n").join(lines)

    def key_at(self, x: int, y: int) -> ShownKey | None:
        return next((k for k in self.keys if k.line == y and k.x <= x < k.x + k.width), None)

    def region_of(self, shown: ShownKey) -> Region:
        """Where `shown` is on the screen."""
        return Region(self.region.x + shown.x, self.region.y + shown.line, shown.width, 1)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.key_at(event.x, event.y))

    def on_leave(self) -> None:
        self._hover(None)

    def _hover(self, shown: ShownKey | None) -> None:
        if shown is not self._hovered:
            self._hovered = shown
            self.tooltip = shown.tooltip if shown is not None and shown.tooltip else None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self.key_at(event.x, event.y)
        if shown is None:
            return
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()


class KeyFooter(Footer):
    """A compact footer that recomposes when the keys it shows change, not on every bindings update.

    Textual's footer recomposes whenever the focused widget changes (a new FooterKey for every key, each
    restyled), several times as a screen opens; most of those updates show the same keys. Its keys run
    off the right edge on a narrow terminal, under the command palette's key (whose last cell let the
    hidden key's letter show through): here they wrap onto as many lines as they need, palette key last.
    """

    DEFAULT_CSS = """
    KeyFooter { layout: vertical; height: auto; max-height: 4; }
    """

    def __init__(self, keys_at_once: bool = False) -> None:
        super().__init__(compact=True)
        self._shown: Shown | None = None
        self._keys_at_once = keys_at_once

    @property
    def keys(self) -> tuple[ShownKey, ...]:
        """The keys shown, in order (none until the screen's keys are known)."""
        drawn = self.query(FooterKeys)
        return drawn.first().keys if drawn else ()

    def region_of(self, shown: ShownKey) -> Region:
        return self.query_one(FooterKeys).region_of(shown)

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
            (b.key, self.app.get_key_display(b), b.description, b.action, enabled, tooltip)
            for b, enabled, tooltip in self._bindings_to_show()
        ]
        yield FooterKeys(keys_on_lines(keys, self.app.size.width))

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
