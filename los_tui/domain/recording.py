"""The rules for recording what happened at a meeting: which day a schedule meets, which statuses a
meeting that has not started may take, what a re-log replaced, and how two edits of one text are kept."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from los_tui.domain.day_text import told_apart
from los_tui.domain.model import Commitment, Status
from los_tui.domain.moments import instant
from los_tui.domain.parsing import InputError
from los_tui.domain.recurrence import commitment_starts, window_for_days

# Only these say the meeting has happened (or happened without you); the rest can be known ahead.
AFTER_THE_START = frozenset({Status.ATTENDED, Status.MISSED})

# How far either side of a day to look for a schedule's nearest meetings: an annual one has one each way.
NEAR_DAYS = 400

# The line put between two versions of a text edited in two places at once.
KEPT_BOTH_MARK = "----- changed elsewhere meanwhile: above is that text, below is what was typed here -----"


def meeting_label(start: datetime, zone: ZoneInfo, with_time: bool = False) -> str:
    """A meeting's start as a person says it: "Tue 10 Nov 2026" (and "18:30" when asked)."""
    local = start.astimezone(zone)
    day = f"{local:%a} {local.day} {local:%b %Y}"
    return f"{day} {told_apart(local)}" if with_time else day


def check_status_in_time(status: Status | None, start: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Refuse attended or missed for a meeting that has not started by `now`: nobody has been to it
    yet. Apologies, delegated and cancelled are known ahead of time and stay allowed."""
    if status in AFTER_THE_START and start > now:
        assert status is not None
        raise InputError(
            "status",
            status.value,
            f"the meeting on {meeting_label(start, zone, with_time=True)} has not started yet; "
            "attended and missed can be logged once it has (apologies, delegated and cancelled "
            "can be logged ahead)",
        )


def status_change(was: Status | None, now: Status | None) -> str | None:
    """What a re-log replaced ("was apologies, now attended"), or None when nothing was replaced."""
    if was is None or was == now:
        return None
    return f"was {was.value}, now {now.value if now else 'not logged'}"


def texts_replaced(before: Mapping[str, str], typed: Mapping[str, str | None]) -> list[str]:
    """Which texts a re-log replaced or cleared ("note replaced", "questions cleared"): each given (not
    None) where something else was written before. A note can run to pages; replacing it is never silent."""
    said = []
    for name, text in typed.items():
        held = before.get(name, "")
        if text is not None and held and text != held:
            said.append(f"{name} {'replaced' if text.strip() else 'cleared'}")
    return said


def nearest_meetings(starts: Iterable[datetime], day: date, zone: ZoneInfo) -> list[datetime]:
    """The meetings on either side of `day` (the last before it and the first after it), in order."""
    ordered = sorted(starts, key=instant)  # by instant: moved starts (UTC) beside scheduled (local)
    before = [s for s in ordered if s.astimezone(zone).date() < day]
    after = [s for s in ordered if s.astimezone(zone).date() > day]
    return before[-1:] + after[:1]


def not_a_meeting_day(
    field: str,
    value: str,
    title: str,
    on_the_day: list[datetime],
    nearest: list[datetime],
    zone: ZoneInfo,
    how_to_log: str = "give that time or the date alone",
    how_to_add: str = "use --extra",
) -> InputError:
    """The refusal for logging a scheduled commitment when it does not meet then. `on_the_day` are its
    meetings on that day (the time given matched none of them); otherwise `nearest` names the closest."""
    if on_the_day:
        times = " and ".join(told_apart(s.astimezone(zone)) for s in sorted(on_the_day, key=instant))
        where = f"{title} meets at {times} that day; {how_to_log}"
    elif len(nearest) == 1:
        where = f"{title} does not meet that day; its nearest meeting is {meeting_label(nearest[0], zone)}"
    elif nearest:
        days = " and ".join(meeting_label(s, zone) for s in nearest)
        where = f"{title} does not meet that day; its nearest meetings are {days}"
    else:
        where = f"{title} has no meeting near that day"
    return InputError(field, value, f"{where}; to record an extra meeting {how_to_add}")


def check_meeting_day(
    commitment: Commitment,
    when: datetime,
    tz: str,
    field: str,
    value: str,
    how_to_log: str = "give that time or the date alone",
    how_to_add: str = "use --extra",
    moved: Mapping[datetime, datetime] | None = None,
) -> None:
    """Refuse an entry at `when` for a commitment whose schedule is in force that day: a date it does
    not meet is more likely a slip than an extra meeting, so the user has to say it is one. A
    commitment with no schedule that day records entries as it always has. `moved` holds where its
    moved meetings are now, by their scheduled instant (UTC), so the refusal names where they are."""
    zone = ZoneInfo(tz)
    day = when.astimezone(zone).date()
    if commitment.schedule_on(day) is None:
        return
    near = timedelta(days=NEAR_DAYS)
    moved = moved or {}
    starts = [
        moved.get(instant(start), start)
        for _, start in commitment_starts(commitment, *window_for_days(day - near, day + near, tz))
    ]
    on_the_day = [start for start in starts if start.astimezone(zone).date() == day]
    raise not_a_meeting_day(
        field,
        value,
        commitment.title,
        on_the_day,
        nearest_meetings(starts, day, zone),
        zone,
        how_to_log,
        how_to_add,
    )


@dataclass(frozen=True)
class Reconciled:
    """The text to store after an edit, and whether someone else changed it since it was shown."""

    text: str
    changed_elsewhere: bool


def reconcile(shown: str, stored: str, typed: str) -> Reconciled:
    """Save `typed`, an edit of `shown`, over `stored` (what the diary holds now).

    If the diary still holds what was shown, or already holds what was typed, the typed text is
    stored. If someone else changed it meanwhile, neither edit is lost: their text, a marked line,
    then this one.
    """
    if stored in (shown, typed):
        return Reconciled(typed, changed_elsewhere=False)
    if not typed.strip() or typed == shown:
        return Reconciled(stored, changed_elsewhere=True)  # nothing of this side's to put beside theirs
    if not stored.strip():
        return Reconciled(typed, changed_elsewhere=True)  # theirs was to empty it: nothing of it to keep
    return Reconciled(f"{stored.rstrip()}\n{KEPT_BOTH_MARK}\n{typed}", changed_elsewhere=True)


def reconcile_line(shown: str, stored: str, typed: str) -> Reconciled:
    """`reconcile` for a one-line field (an action's owner): the two values joined by " / "."""
    if stored in (shown, typed):
        return Reconciled(typed, changed_elsewhere=False)
    if not typed.strip() or typed == shown:
        return Reconciled(stored, changed_elsewhere=True)
    if not stored.strip():
        return Reconciled(typed, changed_elsewhere=True)
    return Reconciled(f"{stored.strip()} / {typed.strip()}", changed_elsewhere=True)
