"""The review keeps the house's layering: its domain, writers and service load no Textual, and
`los review` loads neither Textual nor icalendar."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_layering import loaded_after


@pytest.mark.parametrize(
    "module",
    ["los_tui.domain.periods", "los_tui.domain.review", "los_tui.exports.report", "los_tui.services.review"],
)
def test_the_reviews_core_loads_no_textual(module: str) -> None:
    modules = loaded_after(f"import {module}")
    assert "textual" not in modules
    if module.startswith("los_tui.domain"):
        assert "sqlalchemy" not in modules


def test_a_review_report_from_the_command_line_loads_neither_textual_nor_icalendar(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    modules = loaded_after(
        "from los_tui.cli import main\n"
        f"assert main(['--db', {str(db)!r}, 'init']) == 0\n"
        f"assert main(['--db', {str(db)!r}, 'review', '--quarter', '2026-Q3', '--format', 'html']) == 0"
    )
    assert "textual" not in modules
    assert "icalendar" not in modules
