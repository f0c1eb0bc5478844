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
    table = Text("Key           What it does\n", style="bold")
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        description = binding.description or binding.action
        if (key, description) in seen or binding.system:
            continue
        seen.add((key, description))
        table.append(f"{screen.app.get_key_display(binding):<14}", style="bold")
        table.append(f"{description}\n", style="")
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
