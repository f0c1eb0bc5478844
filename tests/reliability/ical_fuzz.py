"""The fuzz worker for the .ics import path: one long-lived child process with bounded memory.

`python tests/reliability/ical_fuzz.py [module:function]` reads inputs framed as a 4-byte big-endian
length and the bytes, runs the target on each under an alarm, and answers one JSON line per input:
{"outcome": "accepted" | "refused" | "crashed" | "too slow" | "out of memory", ...}. The target
takes the file's bytes; it may return, or raise InputError/StoreError (a refusal the user sees as one
line). Anything else is a crash. A target that returns a dict adds it to the answer: the default one
says there whether the importer itself accepted or refused the file ({"importer": ...}), so that the
figures count the importer's verdicts, not those of the rule checks that run after it. Address space
is capped with RLIMIT_AS, so an input that wants unbounded memory fails here instead of taking the
machine with it.

The default target, `importer_then_rules`, runs the importer's own reading path
(`los_tui.exports.ical_reader.read_meetings`: limits, parsing, bounded expansion, neutralised text), then
`parse_and_expand`: icalendar's parser and our rule checks (`normalize_rrule`, `rule_parts`), expansion
over a bounded window, the description and the text neutralisation. LOS_FUZZ_TARGET in
test_fuzz_ical.py points the worker at another function.
"""

from __future__ import annotations

import contextlib
import json
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from los_tui.db.engine import StoreError
from los_tui.domain.model import Schedule
from los_tui.domain.parsing import InputError
from los_tui.domain.recurrence import (
    MAX_OCCURRENCES_PER_WINDOW,
    describe,
    expand,
    normalize_rrule,
    outlook_problem,
    rule_parts,
    window_for_days,
)
from los_tui.domain.safe_text import neutralise

MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space for the worker (interpreter included)
SECONDS_PER_INPUT = 20  # far beyond any real calendar; only a hang reaches it
TZ = "Europe/London"
WINDOW_DAYS = 2 * 366


class TooSlow(BaseException):
    """The alarm: a BaseException, so that no `except Exception` on the way (the importer turns what
    its libraries raise into refusals) can pass a hang off as a refusal."""


def _from_icalendar(what: str, read: Callable[[], Any]) -> Any:
    """Run one step inside icalendar: whatever it raises on a bad file becomes a refusal."""
    try:
        return read()
    except Exception as exc:
        raise InputError("file", what, f"cannot be read as iCalendar ({type(exc).__name__})") from None


def parse_and_expand(data: bytes) -> int:
    """Parse a calendar and check and expand every recurring event in it; returns occurrences seen."""
    from icalendar import Calendar

    calendar = _from_icalendar("calendar", lambda: Calendar.from_ical(data))
    seen = 0
    for event in _from_icalendar("VEVENT", lambda: list(calendar.walk("VEVENT"))):
        summary = _from_icalendar("SUMMARY", lambda event=event: str(event.get("SUMMARY", "")))
        shown = neutralise(summary)
        assert "\x1b" not in shown
        start = _from_icalendar("DTSTART", lambda event=event: event.decoded("DTSTART", None))
        if not isinstance(start, date):
            continue
        if not isinstance(start, datetime):
            start = datetime.combine(start, datetime.min.time())
        local = start.astimezone(ZoneInfo(TZ)).replace(tzinfo=None) if start.tzinfo else start
        rules = _from_icalendar("RRULE", lambda event=event: event.get("RRULE"))
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            text = _from_icalendar("RRULE", lambda rule=rule: rule.to_ical().decode("utf-8", "replace"))
            rule_parts(text)
            normalized = normalize_rrule(text, local, TZ)
            schedule = Schedule(rrule=normalized, start=local, tz=TZ)
            first = local.date()
            window = window_for_days(first, first + timedelta(days=WINDOW_DAYS), TZ)
            starts = expand(schedule, *window)
            assert len(starts) <= MAX_OCCURRENCES_PER_WINDOW
            assert starts == sorted(starts)
            describe(schedule)
            outlook_problem(normalized)
            seen += len(starts)
    return seen


def _alarm(_signum: int, _frame: object) -> None:
    raise TooSlow


def run_one(target: Callable[[bytes], object], data: bytes) -> dict[str, object]:
    began = time.monotonic()
    signal.alarm(SECONDS_PER_INPUT)
    try:
        returned = target(data)
        outcome: dict[str, object] = {"outcome": "accepted"}
        if isinstance(returned, dict):
            outcome.update(returned)
    except (InputError, StoreError) as exc:
        message = str(exc)
        outcome = {"outcome": "refused"} if "\n" not in message else {"outcome": "crashed", "error": message}
    except TooSlow:
        outcome = {"outcome": "too slow"}
    except MemoryError:
        outcome = {"outcome": "out of memory"}
    except Exception:
        outcome = {"outcome": "crashed", "error": traceback.format_exc(limit=8)}
    finally:
        signal.alarm(0)
    outcome["seconds"] = round(time.monotonic() - began, 3)
    return outcome


def importer_then_rules(data: bytes) -> dict[str, object]:
    """The real importer's reading path (size and component limits, parsing, expansion bounds, text
    neutralisation) over a year, then our own rule checks on the same bytes. Returns each one's
    verdict: {"importer": "accepted" | "refused", "meetings": N, "rules": "accepted" | "refused"}. A
    refusal is what the user would see; anything else either raises is a crash."""
    from los_tui.exports.ical_reader import read_meetings

    window_start = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    verdict: dict[str, object] = {"importer": "refused", "rules": "refused"}
    with contextlib.suppress(InputError, StoreError):
        reading = read_meetings(data, "fuzz.ics", window_start, window_start + timedelta(days=366))
        verdict.update(importer="accepted", meetings=len(reading.meetings))
    with contextlib.suppress(InputError, StoreError):
        parse_and_expand(data)
        verdict["rules"] = "accepted"
    return verdict


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGALRM, _alarm)
    name = sys.argv[1] if len(sys.argv) > 1 else f"{__name__}:importer_then_rules"
    module, _, function = name.partition(":")
    target = getattr(sys.modules[__name__] if module == __name__ else import_module(module), function)
    source, sink = sys.stdin.buffer, sys.stdout
    while header := source.read(4):
        data = source.read(int.from_bytes(header, "big"))
        sink.write(json.dumps(run_one(target, data)) + "\n")
        sink.flush()


if __name__ == "__main__":
    main()
