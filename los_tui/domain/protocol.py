"""Reading a protocol line's wording: how often it asks for the commitment to happen."""

from __future__ import annotations

import re

from los_tui.domain.model import Frequency

# Earliest match wins, so "Monthly meeting with PSW, to include quarterly with the LMCS" is monthly.
# The two-word forms come first in the table so "bi annual" is never read as "annual".
_PATTERNS: list[tuple[re.Pattern[str], Frequency]] = [
    (re.compile(r"\bbi[\s-]?annual|\btwice a year|\bsix[\s-]monthly", re.I), Frequency.BIANNUAL),
    (re.compile(r"\bbi[\s-]?monthly|\bevery (two|2) months", re.I), Frequency.BIMONTHLY),
    (re.compile(r"\bmonthly\b|\bevery month\b", re.I), Frequency.MONTHLY),
    (re.compile(r"\bquarterly\b|\bevery quarter\b", re.I), Frequency.QUARTERLY),
    (re.compile(r"\bannual(ly)?\b|\byearly\b|\bevery year\b", re.I), Frequency.ANNUAL),
]


def infer_frequency(wording: str) -> Frequency:
    """The frequency a protocol line states; ad hoc for "as agreed", "occasional", "regular" or none."""
    best: tuple[int, int, Frequency] | None = None
    for rank, (pattern, frequency) in enumerate(_PATTERNS):
        match = pattern.search(wording)
        if match and (best is None or (match.start(), rank) < best[:2]):
            best = (match.start(), rank, frequency)
    return best[2] if best else Frequency.AD_HOC
