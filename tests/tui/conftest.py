"""TUI tests: the real Textual app driven with Pilot, and snapshots at 80x24 and 120x40 (shared helpers in
tests/tui_support.py). Marked `tui`."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from textual._styles_cache import StylesCache
from textual.screen import Screen


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Layout passes of a screen, its paints (updates sent to the terminal), and lines drawn afresh by any
    widget (Textual's per-line work)."""
    counts: Counter[str] = Counter()
    refresh_layout = Screen._refresh_layout
    render_line = StylesCache.render_line
    compositor_refresh = Screen._compositor_refresh

    def counting_layout(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        counts["layouts"] += 1
        refresh_layout(self, *args, **kwargs)

    def counting_lines(self: StylesCache, *args: Any, **kwargs: Any) -> Any:
        counts["lines"] += 1
        return render_line(self, *args, **kwargs)

    def counting_paints(self: Screen[Any]) -> None:
        counts["paints"] += 1
        compositor_refresh(self)

    monkeypatch.setattr(Screen, "_refresh_layout", counting_layout)
    monkeypatch.setattr(Screen, "_compositor_refresh", counting_paints)
    monkeypatch.setattr(StylesCache, "render_line", counting_lines)
    return counts
