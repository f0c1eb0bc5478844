"""Help: the keys of the screen underneath and what each does (? or F1)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def key_table(screen: Screen[object]) -> Text:
    """One line per thing the screen can do, with every key that does it (after any remapping)."""
    keys: dict[tuple[str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system:
            continue
        description = binding.description or binding.action
        shown = keys.setdefault((binding.action, description), [])
        display = screen.app.get_key_display(binding)
        if display not in shown:
            shown.append(display)
    table = Text("Keys            What they do\n", style="bold")
    for (_action, description), shown in keys.items():
        table.append(f"{' '.join(shown):<16}", style="bold")
        table.append(f"{description}\n")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, under: Screen[object], about: str) -> None:
        super().__init__()
        self.under = under
        self.about = about

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Text(self.about))
            yield Static(key_table(self.under))
            yield Static(
                Text(
                    "Anywhere: F2 month, F3 agenda, F4 commitments, F5 or / search, ? or F1 help, "
                    "ctrl+p every command, q quit. Esc closes this.",
                    style="italic",
                )
            )
