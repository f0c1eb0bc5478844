"""Counts in words, as both the command line and the screens write them."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """ "1 commitment", "2 commitments" (or `nouns` where adding an s is wrong)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"
