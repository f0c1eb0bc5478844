"""A search result's cells are rendered once in the worker (widgets/one_line.py): in the table they paint
exactly as the Rich Text they were made from, cropped the same way, and read as their plain text."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from los_tui.widgets.one_line import OneLine

CELLS = [
    Text("Tue 14 Apr 2026  18:30-19:30"),
    Text("✓ attended", style="bold #43a047"),
    Text("note: ", style="italic").append_text(
        Text.assemble("Talked about ", ("supervision", "bold reverse"), " of the team, Zoë’s 子ども")
    ),
    Text("⊘ cancelled", style="dim strike"),
    Text("a tab\tin the words", style="italic"),  # expanded as Rich expands it
    Text.assemble("Practice issues and case audit", (" ↷ moved", "italic"), overflow="ellipsis"),
]


@pytest.mark.parametrize("text", CELLS, ids=lambda text: text.plain[:12])
@pytest.mark.parametrize("width", [80, 12, 3])
def test_a_cell_paints_as_its_text_would_at_any_width(text: Text, width: int) -> None:
    console = Console(width=120, force_terminal=True, color_system="truecolor")
    options = console.options.update_dimensions(width, 1).update(no_wrap=True)
    as_text = console.render_lines(Padding(text, (0, 1)), options)
    as_line = console.render_lines(Padding(OneLine(text), (0, 1)), options)
    assert as_line == as_text
    assert console.measure(OneLine(text)).maximum == console.measure(text).maximum


def test_a_cell_reads_as_its_plain_text_and_keeps_to_one_line() -> None:
    assert str(OneLine(CELLS[2])) == "note: Talked about supervision of the team, Zoë’s 子ども"
    assert str(OneLine(Text("first line\nsecond"))) == "first line"
