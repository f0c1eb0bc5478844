"""User text made safe to put on screen: never markup, and control characters shown, not sent.

A title or note may come from an imported calendar file. Rich Text keeps markup literal, but an
escape character would still reach the terminal and be obeyed, so every control character is
swapped for its visible Unicode "control picture" (ESC shows as ␛)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 controls: no picture exists


def visible(text: str) -> str:
    return text.translate(_PICTURES)


def literal(text: str, style: str | Style = "") -> Text:
    return Text(visible(text), style=style)


def headings(*labels: str) -> list[Text]:
    """Column headings as Text: a plain string is parsed as markup, which loads Rich's emoji table."""
    return [Text(label) for label in labels]
