"""Every commitment grouped by role: how often, its schedule in plain English, the next date; add,
retire, and (re)schedule through the schedule form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Input, Label, Select, Static

from los_tui.domain.day_text import told_apart
from los_tui.domain.model import Commitment, Frequency, Role, Status
from los_tui.domain.parsing import MAX_TARGET, check_line, parse_date, parse_target
from los_tui.domain.periods import Quarter
from los_tui.domain.recurrence import describe
from los_tui.domain.rule_builder import NEXT_DATE_HORIZON
from los_tui.screens.base import DiaryScreen, in_background
from los_tui.screens.dialogs import Confirm, FormDialog
from los_tui.screens.keys import bind, keys_for
from los_tui.screens.schedule_form import ScheduleForm, ScheduleRequest
from los_tui.widgets.field import Field
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.literal import literal, visible

if TYPE_CHECKING:
    from los_tui.services.diary import Diary

NUDGE = "not scheduled yet: press {key} to schedule"
COLUMNS = (("Commitment, how often", "title"), ("Schedule", "schedule"), ("Next", "next"))


@dataclass(frozen=True)
class CommitmentLine:
    commitment: Commitment
    schedule: str
    next_date: datetime | None
    target: int | None = None  # an ad hoc commitment's quarterly target in force this quarter


@dataclass(frozen=True)
class TargetRequest:
    count: int | None  # None clears the target
    from_day: date


@dataclass(frozen=True)
class NewCommitment:
    title: str
    role: Role
    frequency: Frequency
    with_whom: str


# Most commitments meet within a quarter; only the rest are looked for further ahead (a weekly meeting
# read for two years cost ten times the whole list).
NEAR = timedelta(days=92)


def _next_text(local: datetime) -> str:
    """A next meeting as the table shows it ("26 Nov 2026 10:00"), its time told apart where the clocks
    show it twice that day."""
    return f"{local:%d %b %Y} {told_apart(local)}"


def next_meetings(diary: Diary, now: datetime, scheduled: list[str]) -> dict[str, datetime]:
    """Each scheduled commitment's next meeting as the diary holds it: moves applied, cancelled skipped."""
    upcoming: dict[str, datetime] = {}
    near, far = (now + NEAR).date(), (now + NEXT_DATE_HORIZON).date()
    for first, last, slugs in ((now.date(), near, scheduled), (near + timedelta(days=1), far, None)):
        wanted = slugs if slugs is not None else [s for s in scheduled if s not in upcoming]
        if not wanted:
            break
        for occurrence in diary.meetings.agenda(first, last, slugs=wanted):
            if occurrence.start >= now and occurrence.status != Status.CANCELLED:
                upcoming.setdefault(occurrence.commitment_slug, occurrence.start)  # in time order
    return upcoming


def commitment_lines(diary: Diary, now: datetime) -> list[CommitmentLine]:
    lines = []
    commitments = diary.commitments.list()
    upcoming = next_meetings(diary, now, [c.slug for c in commitments if c.is_scheduled])
    for commitment in commitments:
        current = commitment.current_schedule
        lines.append(
            CommitmentLine(
                commitment,
                describe(current) if current is not None else "",
                upcoming.get(commitment.slug),
                commitment.target_on(Quarter.containing(now.date()).period.first),
            )
        )
    roles = list(Role)
    return sorted(lines, key=lambda line: (roles.index(line.commitment.role), line.commitment.title))


class AddCommitment(FormDialog):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("New commitment", style="bold"))
            yield Label("Title")
            yield Field(id="title")
            yield Label("Role")
            yield Select(
                [(r.label, r.value) for r in Role], value=Role.LMCS.value, allow_blank=False, id="role"
            )
            yield Label("How often")
            yield Select(
                [(f.label, f.value) for f in Frequency],
                value=Frequency.MONTHLY.value,
                allow_blank=False,
                id="frequency",
            )
            yield Label("With whom")
            yield Field(id="with-whom")
            yield from self.buttons()

    def read(self) -> NewCommitment:
        title = check_line("title", self.query_one("#title", Input).value, required=True)
        return NewCommitment(
            title.strip(),
            Role(str(self.query_one("#role", Select).value)),
            Frequency(str(self.query_one("#frequency", Select).value)),
            self.query_one("#with-whom", Input).value.strip(),
        )


class TargetDialog(FormDialog):
    """How many entries a quarter to aim for on an ad hoc commitment, and from which quarter on."""

    def __init__(self, commitment: Commitment, today: date) -> None:
        super().__init__()
        self.commitment = commitment
        self.today = today

    def compose(self) -> ComposeResult:
        now = self.commitment.target_on(Quarter.containing(self.today).period.first)
        with Vertical(classes="dialog"):
            yield Static(literal(f"Quarterly target: {self.commitment.title}", style="bold"))
            yield Static(
                "The review expects this many entries each quarter from the one holding the date below;"
                " the quarters before it keep the target they had."
            )
            yield Label(f"Entries a quarter (0 clears it; at most {MAX_TARGET})")
            yield Field(str(now or 0), id="target-count")
            yield Label("From (a day in the first quarter it applies to, YYYY-MM-DD)")
            yield Field(self.today.isoformat(), id="target-from")
            yield from self.buttons()

    def read(self) -> TargetRequest:
        count = parse_target("entries a quarter", self.query_one("#target-count", Input).value.strip())
        from_day = parse_date("from", self.query_one("#target-from", Input).value.strip())
        return TargetRequest(count, from_day)


class CommitmentsScreen(DiaryScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("edit", "schedule", "Schedule"),
        bind("new", "add", "Add"),
        bind("commitments.retire", "retire"),
        bind("commitments.target", "target"),
    ]
    ABOUT = (
        "Commitments: everything you have committed to, grouped by role. {edit} or {open} schedules the "
        "selected one (or changes its series from a date on); {new} adds one; {commitments.retire} retires "
        "one; {commitments.target} sets an ad hoc commitment's quarterly target."
    )

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, CommitmentLine] = {}
        self._built_width = 0
        self._cursor_was = 0  # the row the cursor was last on, for the way it is going
        self._select_once_loaded: str | None = None  # a commitment just added: the highlight goes to it

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="commitments", cursor_type="row")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Commitments"
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self.lines and self.app.size.width != self._built_width:
            self._loaded(list(self.lines.values()))

    def _column_widths(self) -> dict[str, int]:
        """Fixed widths for the title and next date; the schedule takes what is left, so 80 columns fit."""
        widths = {"title": min(40, max(24, self.app.size.width // 3)), "next": 17}
        widths["schedule"] = max(20, self.app.size.width - sum(widths.values()) - 2 * len(COLUMNS) - 2)
        return widths

    @property
    def is_loaded(self) -> bool:
        return bool(self.lines)

    def reload(self) -> None:
        now = self.los.now()
        in_background(self, lambda diary: commitment_lines(diary, now), self._loaded, group="commitments")

    def _loaded(self, lines: list[CommitmentLine]) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        widths = self._column_widths()
        self._built_width = self.app.size.width
        for label, key in COLUMNS:
            table.add_column(Text(label), width=widths[key], key=key)
        self.lines = {line.commitment.slug: line for line in lines}
        zone = ZoneInfo(self.los.tz)
        role: Role | None = None
        for line in lines:
            commitment = line.commitment
            if commitment.role != role:
                role = commitment.role
                heading = Text(role.label, style="bold reverse", no_wrap=True, overflow="ellipsis")
                table.add_row(heading, "", "", key=f"role:{role.value}")
            nudge = NUDGE.format(key=keys_for(self.app, "edit", True))
            schedule = literal(line.schedule) if line.schedule else Text(nudge, style="italic yellow")
            title = Text(visible(commitment.title), overflow="ellipsis", no_wrap=True)
            second = commitment.frequency.label
            if line.target:
                second += f" · aiming for {line.target} a quarter"
            title.append("\n" + second, style="dim")
            table.add_row(
                title,
                schedule,
                Text(_next_text(line.next_date.astimezone(zone)) if line.next_date else "-"),
                key=commitment.slug,
                # Title over frequency, and as many lines as the schedule wraps to (its place is last).
                height=max(2, len(schedule.wrap(self.app.console, widths["schedule"]))),
            )
        chosen = self._select_once_loaded
        if chosen in self.lines:
            # Kept until a load holds it: a reload already under way (another program's change, seen on
            # the watch tick) can finish first with the list as it was before the add.
            self._select_once_loaded = None
            table.move_cursor(row=table.get_row_index(chosen))
        elif row > 0 and table.row_count:  # keep the user's place across a reload
            table.move_cursor(row=min(row, table.row_count - 1))
        if self._is_heading(table.cursor_row):  # the first load (row 0), or a place a retired one left
            table.move_cursor(row=table.cursor_row + 1)

    def _is_heading(self, row: int) -> bool:
        """Whether `row` is a role's heading (no commitment: the keys have nothing to act on there)."""
        table = self.query_one(DataTable)
        if not 0 <= row < table.row_count:
            return False
        key = table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
        return key not in self.lines

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The cursor steps over a role's heading the way it was going, and down from the first heading.
        row, came_from = event.cursor_row, self._cursor_was
        self._cursor_was = row
        table = self.query_one(DataTable)
        if table.cursor_row != row or not self._is_heading(row):
            return  # moved on already, or on a commitment
        going_up = 0 < row < came_from
        table.move_cursor(row=row - 1 if going_up else row + 1)

    def _selected(self) -> Commitment | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        line = self.lines.get(key or "")
        return line.commitment if line else None

    def on_data_table_row_selected(self) -> None:
        self.action_schedule()  # Enter, as the table takes it

    def action_schedule(self) -> None:
        commitment = self._selected()
        if commitment is None:
            self.notify("Move down to a commitment first (this line is a role heading).")
        else:
            self.los.edit_schedule(commitment.slug)

    def action_add(self) -> None:
        self.app.push_screen(AddCommitment(), self._add)

    def _add(self, draft: object) -> None:
        if isinstance(draft, NewCommitment):
            in_background(
                self,
                lambda diary: diary.commitments.add(
                    draft.title, draft.role, draft.frequency, with_whom=draft.with_whom
                ),
                self._added,
            )

    def _added(self, added: Commitment) -> None:
        self._select_once_loaded = added.slug
        self.reload_saying(f"Added {added.title}; press {keys_for(self.app, 'edit', True)} to schedule it.")

    def action_target(self) -> None:
        commitment = self._selected()
        if commitment is None:
            self.notify("Move down to a commitment first (this line is a role heading).")
            return
        if commitment.frequency != Frequency.AD_HOC:
            self.notify(
                visible(
                    f"{commitment.title} is {commitment.frequency.label}; only ad hoc commitments"
                    " have a quarterly target."
                ),
                markup=False,
            )
            return

        def save(request: object) -> None:
            if not isinstance(request, TargetRequest):
                return

            def said(done: tuple[Commitment, Quarter]) -> None:
                changed, quarter = done
                target = changed.target_on(quarter.period.first)
                aim = f"aiming for {target} a quarter" if target else "no quarterly target"
                self.reload_saying(f"{changed.title}: {aim} from {quarter.label} on")

            in_background(
                self,
                lambda diary: diary.commitments.set_target(commitment.slug, request.count, request.from_day),
                said,
            )

        self.app.push_screen(TargetDialog(commitment, self.los.today()), save)

    def action_retire(self) -> None:
        commitment = self._selected()
        if commitment is None:
            return
        today = self.los.today()

        def answer(yes: bool | None) -> None:
            if yes:
                in_background(
                    self,
                    lambda diary: diary.commitments.retire(commitment.slug, today),
                    lambda gone: self.reload_saying(f"Retired {gone.title}."),
                )

        self.app.push_screen(
            Confirm(
                f"Retire {commitment.title} from {today:%d %B %Y}? Nothing will be expected from then on;"
                " what was logged stays."
            ),
            answer,
        )


def schedule_commitment(screen: DiaryScreen, slug: str) -> None:
    """Open the schedule form for `slug` and save what it returns, from the form's 'from' date on."""
    today = screen.los.today()

    def opened(commitment: Commitment) -> None:
        def save(request: ScheduleRequest | None) -> None:
            if request is None:
                return
            choice, found = request.choice, request.preview
            in_background(
                screen,
                lambda diary: diary.commitments.schedule(
                    slug,
                    found.rrule,
                    found.first_start,
                    choice.duration_minutes,
                    choice.location,
                    effective_from=choice.starting if commitment.is_scheduled else None,
                ),
                lambda saved: screen.reload_saying(f"{saved.title}: {found.description}"),
            )

        screen.app.push_screen(ScheduleForm(commitment, today, screen.los.tz), save)

    in_background(screen, lambda diary: diary.commitments.get(slug), opened)
