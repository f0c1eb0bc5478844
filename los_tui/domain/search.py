"""Searching what was written: the user's words made into a safe full-text query, and what a search
finds (a meeting, where the words were found, and the words in their context)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from los_tui.domain.model import Occurrence

# A snippet is text in pieces, each marked as one of the words found or not.
Snippet = tuple[tuple[str, bool], ...]
# Where a search can find words, in the order they are shown (the index's columns, db/search_index.py).
PLACES = ("title", "note", "questions", "difference", "actions", "answers")
# Places that hold notes (case information about children): their text is shown only when asked for.
PRIVATE_PLACES = frozenset({"note", "questions"})
# How many found meetings a search reads at a time: a screenful and more, never every match at once.
SEARCH_PAGE = 50
# The longest text a search takes (a sentence or two, not a document).
MAX_SEARCH_TEXT = 1000
# How many words a search may hold: each is a term of the query.
MAX_WORDS = 32


def search_words(text: str) -> list[str]:
    """The words of `text` worth searching for: split on spaces, those with no letter or digit dropped
    (a stray quote, a dash or a star finds nothing and must not be read as query syntax)."""
    return [word for word in text.split() if any(ch.isalnum() for ch in word)][:MAX_WORDS]


def fts_query(words: list[str]) -> str:
    """An FTS5 query finding every word, each as the start of a word (prefix search, as typing expects:
    "supervis" finds "supervision"). Each word is quoted, so nothing the user types (AND, OR, NOT,
    NEAR, a column name and a colon, a star, a bracket or a quote) is read as query syntax."""
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


def tsquery_text(words: list[str]) -> str:
    """The same search for PostgreSQL's to_tsquery: every word, each as the start of a word; a word of
    several tokens ("O'Neill", "child-care") as those tokens in a row, the last a prefix, as FTS5 reads a
    quoted word. Each token is a run of letters and digits, quoted besides, so nothing the user types
    (&, |, !, <->, brackets, a colon or a star) is read as an operator."""
    terms = []
    for word in words:
        tokens = [
            "'" + token.replace("\\", "\\\\").replace("'", "''") + "'" for token in _TOKEN.findall(word)
        ]
        if tokens:
            terms.append(" <-> ".join([*tokens[:-1], tokens[-1] + ":*"]))
    return " & ".join(terms)


@dataclass(frozen=True)
class Found:
    """A logged meeting a search found: where the words were found (PLACES), and for each of those
    places the words in their context."""

    occurrence: Occurrence
    places: tuple[str, ...]
    snippets: dict[str, Snippet]

    def shown_snippet(self, include_notes: bool) -> tuple[str, Snippet] | None:
        """The place and snippet to show: the first place found other than the title whose text may be
        shown (a note's only with `include_notes`), or None when only the title (or hidden text) held them."""
        for place in self.places:
            if place == "title" or (place in PRIVATE_PLACES and not include_notes):
                continue
            return place, self.snippets[place]
        return None


# A word as the index (FTS5's unicode61 tokenizer) sees one: a run of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
# Words either side of the first one found, in a snippet.
_CONTEXT_BEFORE, _CONTEXT_WORDS = 3, 12


def fold(text: str) -> str:
    """`text` as the index compares it: accents removed (remove_diacritics), case folded."""
    if text.isascii():  # most words: nothing to decompose, and casefold is lower (5x faster)
        return text.lower()
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    ).casefold()


def query_tokens(words: list[str]) -> list[str]:
    return [fold(token) for word in words for token in _TOKEN.findall(word)]


def token_snippet(text: str, tokens: list[str]) -> Snippet | None:
    """A dozen words of `text` on one line from just before the first word starting with one of
    `tokens` (folded, as the index matches a prefix), each such word marked; None if there is none."""
    flat = " ".join(text.split())
    folded = fold(flat)  # folding is char by char: a word found is found in the whole text folded
    if not any(token in folded for token in tokens):
        return None  # most places searched: spared folding each of their words
    wanted = tuple(tokens)
    # Words are read only up to the first found and the dozen shown, not a long note's every word.
    words = _TOKEN.finditer(flat)
    spans: list[tuple[int, int]] = []
    first = None
    for match in words:
        spans.append(match.span())
        if fold(match.group()).startswith(wanted):
            first = len(spans) - 1
            break
    if first is None:
        return None
    low = max(0, first - _CONTEXT_BEFORE)
    for match in words:
        if len(spans) > low + _CONTEXT_WORDS:
            break  # one word past the snippet: there is more after it
        spans.append(match.span())
    high = min(len(spans), low + _CONTEXT_WORDS)
    more = len(spans) > high
    pieces: list[tuple[str, bool]] = [("…", False)] if low > 0 else []
    at = spans[low][0] if low > 0 else 0
    for i in range(low, high):
        start, end = spans[i]
        if i == first or (i > first and fold(flat[start:end]).startswith(wanted)):
            if flat[at:start]:
                pieces.append((flat[at:start], False))
            pieces.append((flat[start:end], True))
            at = end
    tail = flat[at : spans[high - 1][1]] if more else flat[at:]
    if tail:
        pieces.append((tail, False))
    if more:
        pieces.append(("…", False))
    return tuple(pieces)


def plain_snippet(text: str, words: list[str], width: int = 64) -> Snippet | None:
    """The first place in `text` holding one of `words` (case-insensitive), in about `width`
    characters on one line, with the word marked; None if no word is in it. For a diary with no index."""
    flat = " ".join(text.split())
    folded = flat.lower()
    hits = [(folded.find(word.lower()), word) for word in words if word.lower() in folded]
    if not hits:
        return None
    at, word = min(hits)
    start = max(0, at - width // 3)
    end = min(len(flat), start + width)
    pieces: list[tuple[str, bool]] = []
    if start > 0:
        pieces.append(("…", False))
    if flat[start:at]:
        pieces.append((flat[start:at], False))
    pieces.append((flat[at : at + len(word)], True))
    if flat[at + len(word) : end]:
        pieces.append((flat[at + len(word) : end], False))
    if end < len(flat):
        pieces.append(("…", False))
    return tuple(pieces)


def snippet_text(snippet: Snippet, opening: str = "«", closing: str = "»") -> str:
    """The snippet on one line, each found word between `opening` and `closing`."""
    return " ".join(
        "".join(f"{opening}{text}{closing}" if found else text for text, found in snippet).split()
    )
