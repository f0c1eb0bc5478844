"""Fuzzing the .ics import path: no calendar file, however malformed or hostile, may crash it, hang it
or make it use unbounded memory. A bad file is refused with a one-line message; a good one is read.

Inputs run in one worker child process (tests/reliability/ical_fuzz.py) with its address space capped
and an alarm per input, so a runaway input fails the test instead of the machine. The figures count the
importer's own verdicts (accepted or refused), and each strategy checks that they are the verdicts it
expects (a generator whose files the importer refused every time would test nothing past its parser).
LOS_FUZZ_EXAMPLES sets how many inputs each strategy gets (default 700, about 2,100 in all);
LOS_FUZZ_TARGET=module:function points the worker at another target, such as the importer in
los_tui.services.ical (it takes the file's bytes; a refusal is an InputError or StoreError).
LOS_FUZZ_RANDOM=1 draws new inputs instead of CI's fixed sequence, and LOS_FUZZ_SHOW_SLOW=1 prints
every input that took over half a second.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from diary_testing import PACKAGE_ROOT, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORKER = Path(__file__).with_name("ical_fuzz.py")
EXAMPLES = int(os.environ.get("LOS_FUZZ_EXAMPLES", "700"))
TARGET = os.environ.get("LOS_FUZZ_TARGET", "")
ANSWER_WITHIN = 60  # seconds; the worker's own alarm fires at 20
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is bounded by the worker's alarm, not by hypothesis
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("LOS_FUZZ_RANDOM") is None,  # reproducible in CI unless asked
)
OUTCOMES: Counter[str] = Counter()
IMPORTER: Counter[str] = Counter()  # the importer's verdicts (the default target reports them)
SLOWEST: list[float] = [0.0]


class Worker:
    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER), *([TARGET] if TARGET else [])],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": f"{PACKAGE_ROOT}{os.pathsep}{WORKER.parent}"},
            )
        return self.process

    def run(self, data: bytes) -> dict[str, object]:
        process = self.start()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(len(data).to_bytes(4, "big") + data)
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], ANSWER_WITHIN)
        line = process.stdout.readline() if ready else b""
        if not line:
            process.kill()
            process.wait()
            return {"outcome": "hung or died", "code": process.returncode}
        answer: dict[str, object] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    running = Worker()
    yield running
    running.stop()
    total = sum(OUTCOMES.values())
    print(
        f"\nical fuzz: {total} inputs run: {dict(OUTCOMES)}; the importer {dict(IMPORTER)}; "
        f"slowest input {SLOWEST[0]:.2f} s"
    )


def check(worker: Worker, data: bytes) -> str:
    """Run one input; it must be read or refused. Returns the importer's verdict ("" for other targets)."""
    answer = worker.run(data)
    OUTCOMES[str(answer["outcome"])] += 1
    verdict = str(answer.get("importer", ""))
    if verdict:
        IMPORTER[verdict] += 1
        IMPORTER["meetings read"] += int(str(answer.get("meetings", 0)))
    SLOWEST[0] = max(SLOWEST[0], float(answer.get("seconds", 0)))
    if os.environ.get("LOS_FUZZ_SHOW_SLOW") and float(answer.get("seconds", 0)) > 0.5:
        print(answer["seconds"], data[:3000])
    assert answer["outcome"] in ("accepted", "refused"), (answer, data[:2000])
    return verdict


def fuzz(worker: Worker, inputs: st.SearchStrategy[bytes]) -> Counter[str]:
    """Every input `inputs` draws (EXAMPLES of them) through `check`; the importer's verdicts counted."""
    verdicts: Counter[str] = Counter()

    @FUZZ
    @given(inputs)
    def each(data: bytes) -> None:
        verdicts[check(worker, data)] += 1

    each()
    print(f"\nthe importer's verdicts on {EXAMPLES} {inputs!r:.60}: {dict(verdicts)}")
    return verdicts


# -- building blocks of plausible and implausible calendars ------------------------------------------
HOSTILE = st.sampled_from(
    [
        "\x1b[2J",
        "\x1b]8;;https://evil.example/\x1b\\link",
        "\u202e",
        "\x00",
        "\x07",
        "[@click=app.quit]x[/]",
        "‘María’ 😀",
        "\\n",
        "\\,",
        ";",
        ":",
        "\r",
        "\n ",
        "",
        "A" * 5000,
    ]
)
FREQ = st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "SECONDLY", "", "X"])
SMALL = st.integers(-400, 400).map(str)
NUMBER = st.one_of(
    SMALL, st.sampled_from(["0", "1", "999999999", "-1", "1.5", "x", "", "99999999999999999999"])
)
WEEKDAY = st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU", "XX", ""])
BYDAY = st.lists(
    st.tuples(st.sampled_from(["", "1", "-1", "2", "5", "-5", "53", "0", "+3"]), WEEKDAY),
    min_size=1,
    max_size=7,
).map(lambda ds: ",".join(n + d for n, d in ds))
NUMBER_LIST = st.lists(NUMBER, min_size=1, max_size=5).map(",".join)
UNTIL = st.sampled_from(
    [
        "20270101",
        "20270101T000000Z",
        "20270101T000000",
        "20250101",
        "99991231",
        "20270230",
        "soon",
        "",
        "20270101T250000Z",
    ]
)
PART = st.one_of(
    st.tuples(st.just("INTERVAL"), NUMBER),
    st.tuples(st.just("COUNT"), NUMBER),
    st.tuples(st.just("UNTIL"), UNTIL),
    st.tuples(st.just("BYDAY"), BYDAY),
    st.tuples(
        st.sampled_from(
            ["BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYHOUR", "BYMINUTE", "BYSECOND", "BYYEARDAY", "BYWEEKNO"]
        ),
        NUMBER_LIST,
    ),
    st.tuples(st.just("WKST"), WEEKDAY),
    st.tuples(st.sampled_from(["X-NAME", "FREQ", ""]), st.text(max_size=8)),
)
RRULE = st.tuples(FREQ, st.lists(PART, max_size=6)).map(
    lambda fp: ";".join([f"FREQ={fp[0]}", *(f"{n}={v}" for n, v in fp[1])])
)
# Rules a real calendar might hold, so that many inputs get past the checks and into expansion.
PLAUSIBLE_PART = st.one_of(
    st.tuples(st.just("INTERVAL"), st.integers(1, 12).map(str)),
    st.one_of(  # one end or the other, never both
        st.tuples(st.just("COUNT"), st.integers(1, 500).map(str)),
        st.tuples(st.just("UNTIL"), st.sampled_from(["20270101", "20270101T000000Z", "20301231"])),
    ).map(lambda part: ("END", part)),
    st.tuples(
        st.just("BYDAY"),
        st.lists(
            st.tuples(st.sampled_from(["", "1", "2", "-1", "4"]), WEEKDAY.filter(bool)),
            min_size=1,
            max_size=3,
        ).map(lambda ds: ",".join(n + d for n, d in ds)),
    ),
    st.tuples(
        st.just("BYMONTHDAY"),
        st.lists(st.integers(-31, 31).filter(bool).map(str), min_size=1, max_size=3).map(",".join),
    ),
    st.tuples(
        st.just("BYMONTH"), st.lists(st.integers(1, 12).map(str), min_size=1, max_size=3).map(",".join)
    ),
    st.tuples(st.just("BYSETPOS"), st.sampled_from(["1", "2", "-1", "1,2"])),
    st.tuples(st.just("BYHOUR"), st.sampled_from(["9", "9,17"])),
    st.tuples(st.just("BYMINUTE"), st.sampled_from(["0", "0,30"])),
)
PLAUSIBLE_RRULE = st.tuples(
    st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    st.lists(PLAUSIBLE_PART, max_size=4, unique_by=lambda p: p[0]),
).map(lambda fp: ";".join([f"FREQ={fp[0]}", *(_part(n, v) for n, v in fp[1])]))


def _part(name: str, value: object) -> str:
    if name == "END":
        assert isinstance(value, tuple)
        name, value = value
    return f"{name}={value}"


DTSTART = st.one_of(
    st.sampled_from(
        [
            "DTSTART:20260113T183000",
            "DTSTART:20260113T183000Z",
            "DTSTART;TZID=Europe/London:20260329T013000",
            "DTSTART;VALUE=DATE:20260113",
            "DTSTART;TZID=Mars/Olympus:20260113T183000",
            "DTSTART:20260230T100000",
            "DTSTART:00010101T000000",
            "DTSTART:99991231T235959",
            "DTSTART:",
            "DTSTART:yesterday",
            "DTSTART;TZID=America/New_York:20261101T013000",
        ]
    ),
    st.dates().map(lambda d: f"DTSTART:{d:%Y%m%d}T090000"),
)
GOOD_DTSTART = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)).map(
    lambda d: f"DTSTART;TZID=Europe/London:{d:%Y%m%d}T183000"
)


@st.composite
def calendars(draw: st.DrawFn) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    # Half the calendars are plausible throughout, so they get past the checks and into expansion.
    plausible = draw(st.booleans())
    rules = PLAUSIBLE_RRULE if plausible else st.one_of(PLAUSIBLE_RRULE, RRULE)
    starts = GOOD_DTSTART if plausible else DTSTART
    for n in range(draw(st.integers(0, 4))):
        lines += ["BEGIN:VEVENT", f"UID:fuzz-{n}@example", draw(starts)]
        lines += [f"RRULE:{draw(rules)}" for _ in range(draw(st.integers(0, 2)))]
        lines.append(f"SUMMARY:{draw(st.text(max_size=20))}{draw(HOSTILE)}")
        if draw(st.booleans()):
            exdates = ["20260210T183000"] if plausible else ["20260210T183000", "x", ""]
            lines.append(f"EXDATE:{draw(st.sampled_from(exdates))}")
        if not plausible and draw(st.booleans()):
            lines.append(
                draw(
                    st.sampled_from(
                        [
                            "END:VCALENDAR",
                            "BEGIN:VALARM",
                            "BEGIN:VEVENT",
                            "DURATION:P1D",
                            "DURATION:-PT99999999H",
                            "X-WR-TIMEZONE:Nowhere",
                        ]
                    )
                )
            )
        lines.append("END:VEVENT")
    if plausible or draw(st.booleans()):
        lines.append("END:VCALENDAR")
    text = "\r\n".join(lines)
    if draw(st.booleans()):  # long lines folded as RFC 5545 says, sometimes badly (never when plausible)
        folds = ["\r\n ;", ";", "\r\n\t;"] + ([] if plausible else ["\n ;"])
        text = text.replace(";", draw(st.sampled_from(folds)))
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(calendars()))
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 20))]
        elif action == "insert":
            data[at:at] = draw(st.binary(max_size=20))
        else:
            del data[at:]
    return bytes(data)


def share(verdicts: Counter[str], verdict: str) -> float:
    return verdicts[verdict] / max(1, sum(verdicts.values()))


@pytest.mark.slow
def test_generated_calendars_are_read_or_refused(worker: Worker) -> None:
    verdicts = fuzz(worker, calendars())
    if not TARGET:  # half are plausible throughout: most of those must get through the importer
        assert share(verdicts, "accepted") > 0.3 and share(verdicts, "refused") > 0.05, verdicts


@pytest.mark.slow
def test_damaged_calendars_are_read_or_refused(worker: Worker) -> None:
    verdicts = fuzz(worker, mutated())
    if not TARGET:  # damage of a few bytes leaves a few files readable and makes most unreadable
        assert verdicts["accepted"] >= 1 and share(verdicts, "refused") > 0.5, verdicts


@pytest.mark.slow
def test_arbitrary_bytes_are_refused_without_a_crash(worker: Worker) -> None:
    verdicts = fuzz(worker, st.one_of(st.binary(max_size=4000), st.text(max_size=2000).map(str.encode)))
    if not TARGET:  # noise is not a calendar: the importer itself refuses it (not just our rule checks)
        assert share(verdicts, "refused") > 0.95, verdicts


@pytest.mark.slow
def test_a_huge_file_is_handled_within_the_memory_cap(worker: Worker) -> None:
    events = b"".join(
        b"BEGIN:VEVENT\r\nUID:%d\r\nDTSTART:20260113T183000\r\nRRULE:FREQ=DAILY\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
        % i
        for i in range(3000)
    )
    check(worker, b"BEGIN:VCALENDAR\r\n" + events + b"END:VCALENDAR\r\n")


@pytest.mark.parametrize(
    ("rule", "described"),
    [
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1,2", "first and second Monday of every month"),
        ("FREQ=MONTHLY;BYDAY=1MO,-1FR", "first Monday and last Friday of every month"),  # both meet
    ],
)
def test_rules_the_fuzzer_found_are_listed_not_crashed_on(
    seeded: Callable[..., Result], rule: str, described: str
) -> None:
    """Once accepted, these rules made `los commitments` fail with an internal error every time."""
    assert seeded("schedule", "lmcs-cicc", "--rrule", rule, "--start", "2026-01-05T10:00").code == 0
    listing = seeded("commitments")
    assert listing.code == 0 and described in listing.out


@pytest.mark.parametrize(
    "rule", ["FREQ=DAILY;COUNT=1;INTERVAL=1;BYSETPOS=2", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1"]
)
def test_a_rule_that_can_never_match_is_refused_by_the_importer_not_walked(rule: str) -> None:
    """The importer walked these to the year 9999 looking for a first meeting (16 s each); the harness
    counted it as a refusal until its alarm could no longer be caught by the importer's `except`."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from los_tui.domain.parsing import InputError
    from los_tui.exports.ical_reader import read_meetings

    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:never@example\r\n"
        f"DTSTART;TZID=Europe/London:20200101T183000\r\nRRULE:{rule}\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    ).encode()
    start = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(InputError) as refused:
        read_meetings(calendar, "never.ics", start, start + timedelta(days=366))
    # The event is named by its title and date (what a user can find in Outlook), not its UID.
    message = str(refused.value)
    assert '"x" on 2020-01-01' in message and "RRULE" in message and "\n" not in message
