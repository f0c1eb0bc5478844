"""Help (? or F1): what the screen underneath is for, its keys, and the keys that work anywhere, all read
from the bindings themselves, so a key remapped in config.toml is shown as the user has it; then the
glossary of abbreviations (`los glossary`), with a box to look one up."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from los_tui.domain.guidance import guidance
from los_tui.screens.jobs import RunsJobs, run_job
from los_tui.screens.keys import VOCABULARY, bind, keys_for
from los_tui.widgets.literal import literal

PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")


def about(screen: Screen[object]) -> str:
    """The screen's ABOUT text, each {binding id} in it replaced by that binding's keys, as remapped."""
    text: str = getattr(type(screen), "ABOUT", "")
    return PLACEHOLDER.sub(
        lambda found: keys_for(screen.app, found[1]) if found[1] in VOCABULARY else found[0], text
    )


def key_table(screen: Screen[object], anywhere: bool) -> Text:
    """One line per thing the screen can do (or, with `anywhere`, the app anywhere), with every key that
    does it, after any remapping."""
    app: App[object] = screen.app
    keys: dict[tuple[str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        # The screen's and the app's own keys: a text box's or a table's editing keys are not ours to list.
        if binding.system or not isinstance(active.node, (Screen, App)) or (active.node is app) != anywhere:
            continue
        description = binding.description or binding.action
        if binding.tooltip:
            description += f": {binding.tooltip}"
        shown = keys.setdefault((binding.action, description), [])
        display = app.get_key_display(binding)
        if display not in shown:
            shown.append(display)
    table = Text("Anywhere\n" if anywhere else "On this screen\n", style="bold underline")
    for (_action, description), shown in keys.items():
        table.append(f"{' '.join(shown):<16}", style="bold")
        table.append(f"{description}\n")
    return table


def glossary_text(glossary: dict[str, str], looked_up: str) -> Text:
    """The terms whose abbreviation or meaning holds `looked_up` (all when blank), an exact match first."""
    wanted = looked_up.strip().casefold()
    found = [
        (term, meaning) for term, meaning in glossary.items() if wanted in f"{term}\n{meaning}".casefold()
    ]
    found.sort(key=lambda item: item[0].casefold() != wanted)
    if not found:
        return Text.assemble("No abbreviation or meaning holds ", literal(looked_up, style="bold"), ".")
    text = Text()
    for term, meaning in found:
        text.append(f"{term:<8}", style="bold").append(f" {meaning}\n")
    text.rstrip()
    return text


class HelpScreen(RunsJobs, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("back", "dismiss", "Close help"),
        bind("help", "dismiss", "Close help"),
    ]

    def __init__(self, under: Screen[object], look_up: bool = False) -> None:
        super().__init__()
        self.under = under
        self.look_up = look_up  # opened to look up an abbreviation: the box has the focus
        self.glossary: dict[str, str] | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Text(about(self.under)))
            yield Static(key_table(self.under, anywhere=False))
            yield Static(key_table(self.under, anywhere=True))
            yield Static(
                Text(
                    f"ctrl+p finds any action by name. {keys_for(self.app, 'back', True)} or "
                    f"{keys_for(self.app, 'help', True)} closes this.",
                    style="italic",
                )
            )
            yield Static(Text("Abbreviations", style="bold underline"))
            yield Input(
                placeholder="Look up an abbreviation (Tab here, then type part of it or of its meaning)",
                id="glossary-filter",
            )
            yield Static("Reading the glossary...", id="glossary")

    def on_mount(self) -> None:
        run_job(self, lambda: guidance().glossary, self._glossary_read)
        if self.look_up:
            self.query_one("#glossary-filter", Input).focus()

    def _glossary_read(self, glossary: dict[str, str]) -> None:
        self.glossary = glossary
        self._show_glossary()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_glossary()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter only looks up: typed text never runs anything

    def _show_glossary(self) -> None:
        if self.glossary is not None:
            looked_up = self.query_one("#glossary-filter", Input).value
            self.query_one("#glossary", Static).update(glossary_text(self.glossary, looked_up))
