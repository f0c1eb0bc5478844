"""Making user and imported text safe to show in a terminal: it is displayed literally, never obeyed.

A note or an imported calendar's SUMMARY can carry terminal escape sequences (colour, cursor moves,
window titles, OSC 8 links), raw C0/C1 control characters, or bidi overrides that reorder what the eye
reads ("Trojan Source"). `neutralise` removes complete escape sequences and bidi overrides, and turns
every other control character into a visible stand-in, so nothing is silently lost and nothing acts on
the terminal. Rich/Textual markup is the screen's job: show the result as plain text (Content/Text, or
markup=False), never as markup.
"""

from __future__ import annotations

import re

# Complete escape sequences, 7-bit (ESC ...) and 8-bit (C1) forms: CSI (colours, cursor), string
# sequences terminated by BEL or ST (OSC titles and links, DCS, SOS, PM, APC), and two-character escapes.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    # An unfinished CSI or string sequence is not swallowed with the text after it: its ESC is shown.
    r"|\x1b[ -/]*(?![\[\]PX^_])[0-~]"
)
# Embeddings, overrides and isolates change the order characters are shown in; marks (LRM, RLM, ALM)
# only steer neutral characters and are kept, as right-to-left writing needs them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
# Every character neutralise could change (C0, DEL and C1 controls, which hold every escape sequence's
# start and every line break but U+2028/9; surrogates; bidi controls): text without one comes back as it is.
_ANYTHING_TO_DO = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")
REPLACEMENT = "\ufffd"


def _stand_in(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ... ␟, visible and inert
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def _is_unsafe(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def neutralise(text: str, keep_newlines: bool = True) -> str:
    """`text` made inert for a terminal, for display and on import.

    Line breaks of every kind become "\\n" (or a space with `keep_newlines=False`, for one-line cells, where
    tabs become spaces too); tabs are kept in multi-line text. Printable text, whatever its script, comes
    back unchanged. Applying it twice changes nothing more.
    """
    if _ANYTHING_TO_DO.search(text) is None:  # nearly all text: one scan in C, not a loop in Python
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    kept = {"\n", "\t"} if keep_newlines else set()
    out: list[str] = []
    for char in text:
        if char in BIDI_CONTROLS:
            continue
        if char in kept:
            out.append(char)
        elif char in "\n\t":
            out.append(" ")
        elif _is_unsafe(char):
            out.append(_stand_in(char))
        else:
            out.append(char)
    return "".join(out)


def is_inert(text: str, keep_newlines: bool = True) -> bool:
    """True when `text` has nothing `neutralise` would change (for importers deciding to warn)."""
    return neutralise(text, keep_newlines) == text
