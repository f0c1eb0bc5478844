"""The small use cases the TUI added: reloading an occurrence, and user text made safe to show."""

from __future__ import annotations

from datetime import datetime

import pytest
from diary_testing import LONDON

from los_tui.domain.model import Status
from los_tui.domain.parsing import InputError
from los_tui.services.diary import Diary
from los_tui.widgets.literal import literal, visible


def test_reload_returns_what_the_store_holds_now(diary: Diary) -> None:
    diary.commitments.schedule(
        "lmcs-improvement-board", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30)
    )
    [october] = diary.meetings.agenda(datetime(2026, 10, 13).date(), datetime(2026, 10, 13).date())
    assert diary.meetings.reload(october) == october  # never logged: nothing newer to find
    logged = diary.meetings.set_status(october, Status.ATTENDED)
    diary.meetings.save_note(logged, "Caseloads up")
    diary.meetings.move(logged, datetime(2026, 10, 15, 9, 0, tzinfo=LONDON))
    fresh = diary.meetings.reload(logged)
    assert (fresh.status, fresh.note, fresh.start.day, fresh.original_start) == (
        Status.ATTENDED,
        "Caseloads up",
        15,
        october.original_start,
    )


def test_control_characters_become_visible_and_markup_stays_text() -> None:
    assert visible("a\x1b[2Jb\x07\tc\nd\x7f\x9b") == "a␛[2Jb␇\tc\nd␡\ufffd"
    shown = literal("[@click=app.quit]x[/]")
    assert shown.plain == "[@click=app.quit]x[/]" and not shown.spans


def test_every_binding_has_an_id_so_it_can_be_remapped() -> None:
    import importlib
    import inspect
    import pkgutil

    from textual.binding import Binding
    from textual.dom import DOMNode

    import los_tui.screens
    import los_tui.widgets
    from los_tui.app import LineOfSightApp

    classes: list[type[DOMNode]] = [LineOfSightApp]
    for package in (los_tui.screens, los_tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            classes += [
                c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__
            ]
    bindings = [
        (c.__name__, b) for c in classes if issubclass(c, DOMNode) for b in c.__dict__.get("BINDINGS", [])
    ]
    assert len(bindings) > 40
    assert [name for name, b in bindings if not isinstance(b, Binding) or not b.id] == []


def test_find_shows_the_next_meeting_by_title_before_logged_ones(diary: Diary) -> None:
    diary.commitments.schedule(
        "lmcs-improvement-board", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30)
    )
    diary.meetings.log(
        "lmcs-improvement-board", datetime(2026, 10, 13, tzinfo=LONDON), False, Status.ATTENDED, "fine"
    )
    today = datetime(2026, 11, 26).date()
    coming = diary.meetings.next_with_title("improvement board", today)
    assert [(o.commitment_slug, o.start.date().isoformat()) for o in coming] == [
        ("lmcs-improvement-board", "2026-12-08")
    ]
    found = diary.meetings.search("improvement board")
    assert [(f.occurrence.commitment_slug, f.occurrence.start.date().isoformat()) for f in found] == [
        ("lmcs-improvement-board", "2026-10-13")
    ]
    assert diary.meetings.search("fine")[0].occurrence.note == "fine"
    assert diary.meetings.next_with_title("  ", today) == []
    with pytest.raises(InputError, match="no words"):
        diary.meetings.search("  ")
