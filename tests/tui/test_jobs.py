"""The one way off the UI thread (los_tui/screens/jobs.py): a job's result or refusal comes back as a
message to the node that asked, and a refusal's words are made safe to show, once, there."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App

from los_tui.db.errors import StoreError
from los_tui.domain.parsing import InputError
from los_tui.screens.jobs import JobDone, JobFailed, RunsJobs, run_job


class Host(RunsJobs, App[None]):
    """Textual runs each class's handler along the MRO: these look, RunsJobs's then act."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[object] = []

    def on_job_done(self, _message: JobDone) -> None:
        self.seen.append(("done", threading.current_thread() is threading.main_thread()))

    def on_job_failed(self, message: JobFailed) -> None:
        self.seen.append(("failed", message.reason))


async def test_a_result_comes_back_as_a_message_handled_on_the_ui_thread() -> None:
    app = Host()
    async with app.run_test() as pilot:
        results: list[int] = []
        run_job(app, lambda: threading.current_thread() is threading.main_thread(), results.append)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert results == [False]  # the job ran off the UI thread ...
        assert app.seen == [("done", True)]  # ... and its result was handled on it


async def test_a_refusal_is_shown_as_plain_words_never_as_markup_or_escape_codes() -> None:
    app = Host()
    async with app.run_test() as pilot:

        def refused() -> None:
            raise StoreError("[b]bold[/b] \x1b[2J cleared")

        run_job(app, refused, lambda _: None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        [notification] = list(app._notifications)
        assert notification.message == "[b]bold[/b] ␛[2J cleared" and not notification.markup
        assert notification.title == "Not done"


async def test_a_refusal_goes_to_the_asker_s_own_handler_when_it_has_one(tmp_path: Path) -> None:
    app = Host()
    async with app.run_test() as pilot:
        said: list[str] = []

        def unreadable() -> None:
            (tmp_path / "missing" / "file.ics").read_text()

        run_job(app, unreadable, lambda _: None, said.append)
        run_job(
            app,
            lambda: (_ for _ in ()).throw(InputError("when", "soon", "not a date")),
            lambda _: None,
            said.append,
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(said) == sorted(
            [f"{tmp_path / 'missing' / 'file.ics'}: No such file or directory", "when 'soon': not a date"]
        )
        assert list(app._notifications) == []
