"""Full-text search (migration 0004): an index over titles, notes, questions, differences, actions and
answers, filled from the rows an older diary holds, kept in step by every writer, searched with any text
the user types (never read as query syntax), a page at a time, newest first, and taken down again."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from diary_testing import LONDON, NOW

from los_tui.domain.model import Status
from los_tui.domain.parsing import InputError
from los_tui.domain.search import Found, snippet_text
from los_tui.services.diary import Diary

GOLDEN = Path(__file__).parent.parent / "golden"
sys.path.insert(0, str(GOLDEN))
import make_golden  # noqa: E402

TRIGGERS = {
    "search_log_added",
    "search_log_changed",
    "search_log_removed",
    "search_action_added",
    "search_action_changed",
    "search_action_removed",
    "search_answer_added",
    "search_answer_changed",
    "search_answer_removed",
    "search_title_changed",
}


def found_logs(diary: Diary, text: str, **options: object) -> list[int | None]:
    return [f.occurrence.log_id for f in diary.meetings.search(text, **options)]  # type: ignore[arg-type]


def index_objects(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as connection:
        return {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE 'search%' AND type IN ('table', 'trigger')"
            )
        }


def migrate(path: Path, revision: str, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    from los_tui.db.engine import make_engine
    from los_tui.db.migrate import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = make_engine(path)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
            connection.commit()
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", make_golden.REVISIONS)
def test_upgrading_an_old_diary_indexes_everything_it_already_holds(revision: str, tmp_path: Path) -> None:
    copy = tmp_path / "diary.sqlite3"
    shutil.copyfile(make_golden.golden_file(revision), copy)
    diary = Diary.open(copy, clock=lambda: NOW, create=False)
    try:
        assert index_objects(copy) >= TRIGGERS
        assert found_logs(diary, "María") == [7, 2, 1] if revision >= "0003" else [2, 1]
        assert found_logs(diary, "agency") == [1]  # the questions and an action
        assert found_logs(diary, "Head of Service") == [1]  # an action's owner
        assert found_logs(diary, "morale") == [7]
        assert found_logs(diary, "Thank 👍") == [7]  # an action's text, an emoji in it
        assert found_logs(diary, "zoe") == [1]  # diacritics folded
        assert found_logs(diary, "子ども") == [7, 2, 1] if revision >= "0003" else [2, 1]
        assert found_logs(diary, "panel no longer") == [9]  # a retired commitment's title
        assert found_logs(diary, "caseload") == ([1] if revision >= "0003" else [])
        assert found_logs(diary, "quarterly") == ([1] if revision >= "0003" else [])  # an answer
        places = {f.occurrence.log_id: f.places for f in diary.meetings.search("agency")}
        assert places == {1: ("questions", "actions")}
    finally:
        diary.close()


def test_the_index_follows_every_change_made_through_the_diary(diary: Diary) -> None:
    diary.commitments.schedule(
        "lmcs-improvement-board", "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", datetime(2026, 1, 13, 18, 30)
    )
    when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    logged = diary.meetings.log("lmcs-improvement-board", when, False, Status.ATTENDED, note="Foster care")
    meeting = logged.occurrence
    assert found_logs(diary, "foster") == [meeting.log_id]
    diary.meetings.log("lmcs-improvement-board", when, False, None, note="Adoption only")
    assert found_logs(diary, "foster") == [] and found_logs(diary, "adoption") == [meeting.log_id]
    _, action = diary.actions.add(meeting, "Chase the sufficiency plan", "DCS")
    assert found_logs(diary, "sufficiency") == [meeting.log_id]
    diary.actions.update(action.id, text="Chase the budget")
    assert found_logs(diary, "sufficiency") == [] and found_logs(diary, "budget") == [meeting.log_id]
    diary.actions.remove(action.id)
    assert found_logs(diary, "budget") == []
    diary.evidence.ask(meeting, "5.9", "Weekly, by the team manager")
    assert found_logs(diary, "weekly manager") == [meeting.log_id]
    diary.meetings.log("lmcs-improvement-board", when, False, None, difference="Caseloads capped")
    assert found_logs(diary, "caseloads") == [meeting.log_id]
    # Moved, it is found once, at its new time, among the meetings of its new date.
    moved = diary.meetings.move(diary.meetings.reload(meeting), datetime(2026, 11, 20, 9, 0, tzinfo=LONDON))
    [found] = diary.meetings.search("caseloads")
    assert found.occurrence.start == moved.start
    assert diary.meetings.search("caseloads", first=date(2026, 11, 20), last=date(2026, 11, 20)) != []
    assert diary.meetings.search("caseloads", first=date(2026, 11, 10), last=date(2026, 11, 10)) == []
    with closing(sqlite3.connect(diary.path)) as connection:
        indexed = connection.execute("SELECT count(*) FROM search_index").fetchone()
        assert indexed == connection.execute("SELECT count(*) FROM occurrence_logs").fetchone() == (1,)


def test_the_index_follows_another_program_writing_to_the_file(diary: Diary) -> None:
    """Triggers, not the Writer, keep the index: a title changed or a log deleted by hand is followed."""
    when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    meeting = diary.meetings.log("lmcs-improvement-board", when, False, Status.ATTENDED, note="x").occurrence
    diary.actions.add(meeting, "Read the audit", "")
    with closing(sqlite3.connect(diary.path)) as connection, connection:
        connection.execute(
            "UPDATE commitments SET title = 'Scrutiny panel' WHERE slug = ?", (meeting.commitment_slug,)
        )
    assert found_logs(diary, "scrutiny") == [meeting.log_id] and found_logs(diary, "improvement") == []
    with closing(sqlite3.connect(diary.path)) as connection, connection:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM occurrence_logs WHERE id = ?", (meeting.log_id,))
    assert found_logs(diary, "scrutiny") == [] and found_logs(diary, "audit") == []
    with closing(sqlite3.connect(diary.path)) as connection:
        assert connection.execute("SELECT count(*) FROM search_index").fetchone() == (0,)


# What each text finds in a note "Supervision and audit": True, False, or None (refused: no words in it).
TYPED = {
    '"': None, "*": None, "(": None, ")": None, "'": None, "+": None, "\\": None, '""': None, "%": None,
    "_": None,
    'supervision"': True, "super*": True, "^supervision": True, "-supervision": True, "AND": True,
    "supervision AND": True,
    "supervision OR": False, "NOT supervision": False, "NEAR(a b)": False, "note:supervision": False,
    "{note}: supervision": False, 'a"b': False, "col:": False,
}  # fmt: skip


@pytest.mark.parametrize(("typed", "finds"), TYPED.items())
def test_any_text_typed_is_searched_as_words_never_as_query_syntax(
    diary: Diary, typed: str, finds: bool | None
) -> None:
    """Quotes, stars, brackets, colons and AND/OR/NOT/NEAR are words (or nothing), never an error."""
    when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    diary.meetings.log("lmcs-improvement-board", when, False, Status.ATTENDED, note="Supervision and audit")
    if finds is None:
        with pytest.raises(InputError, match="no words") as refused:
            diary.meetings.search(typed)
        assert refused.value.field == "text"
    else:
        assert bool(diary.meetings.search(typed)) == finds


def test_an_operator_word_is_a_word_to_find(diary: Diary) -> None:
    when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    diary.meetings.log("lmcs-improvement-board", when, False, Status.ATTENDED, note="Supervision and audit")
    assert found_logs(diary, "supervision AND audit") != []  # "and" is in the note
    assert found_logs(diary, "supervision OR nothing") == []  # OR is not "either": every word is wanted


def test_results_come_newest_first_a_page_at_a_time_within_the_dates_asked(diary: Diary) -> None:
    first = datetime(2025, 1, 1, 0, 30, tzinfo=LONDON)  # in summer time, the day before in UTC
    days = [first + timedelta(days=3 * n) for n in range(130)]
    for day in days:
        diary.meetings.log("lmcs-team-visits", day, True, Status.ATTENDED, note=f"Supervision on {day:%d %b}")
    pages = [diary.meetings.search("supervision", limit=50, offset=offset) for offset in (0, 50, 100, 150)]
    assert [len(page) for page in pages] == [50, 50, 30, 0]
    starts = [f.occurrence.start for page in pages for f in page]
    assert starts == sorted((d.astimezone(LONDON) for d in days), reverse=True)
    # --from and --to are local days, in summer time as in winter (meetings every third day from 1 Jan).
    winter = diary.meetings.search("supervision", first=date(2025, 3, 28), last=date(2025, 3, 29))
    assert [f.occurrence.start.astimezone(LONDON).date() for f in winter] == [date(2025, 3, 29)]
    spring = diary.meetings.search("supervision", first=date(2025, 4, 1), last=date(2025, 4, 1))
    assert [f.occurrence.start.astimezone(LONDON).date() for f in spring] == [date(2025, 4, 1)]
    autumn = diary.meetings.search("supervision", first=date(2025, 10, 25), last=date(2025, 10, 27))
    assert [f.occurrence.start.astimezone(LONDON).date() for f in autumn] == [date(2025, 10, 25)]
    with pytest.raises(InputError, match="before the first day") as refused:
        diary.meetings.search("supervision", first=date(2025, 5, 1), last=date(2025, 4, 1))
    assert refused.value.field == "to"


def test_snippets_mark_the_words_found_in_each_place(diary: Diary) -> None:
    when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    meeting = diary.meetings.log(
        "lmcs-improvement-board", when, False, Status.ATTENDED, note="Talked about supervision of the team"
    ).occurrence
    diary.actions.add(meeting, "Audit supervision records", "PSW")
    [found] = diary.meetings.search("supervis")
    assert found.places == ("note", "actions")
    assert snippet_text(found.snippets["note"]) == "Talked about «supervision» of the team"
    assert snippet_text(found.snippets["actions"]) == "Audit «supervision» records PSW"
    assert found.shown_snippet(include_notes=False) == ("actions", found.snippets["actions"])
    assert found.shown_snippet(include_notes=True) == ("note", found.snippets["note"])


def test_a_diary_without_the_index_is_searched_all_the_same(diary: Diary) -> None:
    """The fallback for a store with no FTS5 index (another database): LIKE, same results, same order."""
    for n, note in enumerate(["Supervision audit", "Nothing", "more supervision", "50% done_"]):
        when = datetime(2026, 10, 1 + n, 10, 0, tzinfo=LONDON)
        diary.meetings.log("lmcs-team-visits", when, True, Status.ATTENDED, note=note)
    indexed = {text: diary.meetings.search(text) for text in ("supervision", "supervision audit", "50%")}
    with closing(sqlite3.connect(diary.path)) as connection, connection:
        for name in TRIGGERS:
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute("DROP TABLE search_index")
    for text, found in indexed.items():
        fallback = diary.meetings.search(text)
        assert [f.occurrence.log_id for f in fallback] == [f.occurrence.log_id for f in found], text
        assert [f.places for f in fallback] == [f.places for f in found], text
    assert found_logs(diary, "done_") != [] and found_logs(diary, "d_ne") == []  # _ is not a wildcard


def test_the_migration_goes_down_to_0003_and_up_again(tmp_path: Path) -> None:
    copy = tmp_path / "diary.sqlite3"
    shutil.copyfile(make_golden.golden_file("0004"), copy)
    migrate(copy, "0003", down=True)
    assert index_objects(copy) == set()
    migrate(copy, "head")
    assert index_objects(copy) >= TRIGGERS
    diary = Diary.open(copy, clock=lambda: NOW, create=False)
    try:
        assert found_logs(diary, "morale") == [7]
    finally:
        diary.close()


def test_found_meetings_are_the_meetings_as_logged(diary: Diary) -> None:
    when = datetime(2026, 11, 10, 18, 30, tzinfo=LONDON)
    logged = diary.meetings.log("lmcs-improvement-board", when, False, Status.APOLOGIES, note="Clash")
    logged_meeting = logged.occurrence
    [found] = diary.meetings.search("clash")
    assert isinstance(found, Found)
    assert found.occurrence == logged_meeting
