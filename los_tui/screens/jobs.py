"""The one way the app leaves the UI thread: `run_job` runs a job in a thread worker and posts a message
with its result (`JobDone`) or its refusal (`JobFailed`); the node that asked reacts on the UI thread.

A refusal's words (a LosError, an OSError) are made safe to show here, once: they can quote
the user's own text or file names, which must never be read as markup or escape codes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import ScreenStackError
from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from los_tui.domain.errors import LosError
from los_tui.screens.errors import in_words
from los_tui.widgets.literal import visible

T = TypeVar("T")

# What a job may refuse with: said to the user in a line, never a traceback.
REFUSALS = (LosError, OSError)


class JobDone(Message):
    """A job finished: `then(result)` runs where the job was asked for."""

    def __init__(self, then: Callable[[Any], None], result: object) -> None:
        super().__init__()
        self.then = then
        self.result = result


class JobFailed(Message):
    """A job was refused: `reason` is safe to show as it is (no markup, no control characters)."""

    def __init__(self, reason: str, on_failure: Callable[[str], None] | None) -> None:
        super().__init__()
        self.reason = reason
        self.on_failure = on_failure


def refusal_text(exc: BaseException) -> str:
    """What to tell the user about a refusal, safe to show; an OSError names its file and its reason."""
    if isinstance(exc, OSError) and exc.filename is not None:
        return visible(f"{exc.filename}: {exc.strerror or exc}")
    if isinstance(exc, LosError):  # each field by the label the screen shows, never a flag
        return visible(in_words(exc))
    return visible(str(exc))


def run_job(
    owner: DOMNode,
    job: Callable[[], T],
    then: Callable[[T], None],
    on_failure: Callable[[str], None] | None = None,
    group: str = "default",
    exclusive: bool = False,
) -> Worker[None]:
    """Run `job()` in a thread worker of `owner` (a screen, or the app for work that must outlive one),
    then post JobDone or JobFailed to `owner`. Without `on_failure`, a refusal is an error notification."""

    def run() -> None:
        try:
            result = job()
        except REFUSALS as exc:
            owner.post_message(JobFailed(refusal_text(exc), on_failure))
            return
        owner.post_message(JobDone(then, result))

    return owner.run_worker(run, thread=True, exit_on_error=False, group=group, exclusive=exclusive)


class RunsJobs:
    """Mixed into the app and every screen: how a JobDone or JobFailed posted to it is handled."""

    def on_job_done(self, message: JobDone) -> None:
        message.stop()
        message.then(message.result)

    def on_job_failed(self, message: JobFailed) -> None:
        message.stop()
        try:
            if message.on_failure is not None:
                message.on_failure(message.reason)
            else:
                self.notify(message.reason, title="Not done", severity="error", markup=False)  # type: ignore[attr-defined]
        except ScreenStackError:
            pass  # refused as the app closed (its diary closed under a job): there is no screen to tell
