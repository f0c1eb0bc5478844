"""The schedule form: builds the RRULE from plain choices and previews the next six dates as you edit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from los_tui.domain.model import Commitment
from los_tui.domain.parsing import InputError, parse_date, parse_positive_int
from los_tui.domain.rule_builder import (
    LAST_DAY_OF_MONTH,
    MAX_INTERVAL,
    WEEKDAYS,
    RuleChoice,
    SchedulePreview,
    Unit,
    choice_from_schedule,
    first_choice,
    preview,
)
from los_tui.screens.errors import in_words
from los_tui.screens.keys import bind, keys_for
from los_tui.widgets.field import Field
from los_tui.widgets.literal import literal

UNITS: list[tuple[str, str]] = [("weeks", "week"), ("months", "month"), ("years", "year")]
ON: list[tuple[str, str]] = [("a weekday, e.g. 2nd Tuesday", "weekday"), ("a day of the month", "day")]
WHICH: list[tuple[str, str]] = [
    ("first", "1"),
    ("second", "2"),
    ("third", "3"),
    ("fourth", "4"),
    ("last", "-1"),
]
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ScheduleRequest:
    choice: RuleChoice
    preview: SchedulePreview


def _time(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise InputError("time", text, "not a time in the form HH:MM") from None


class ScheduleForm(ModalScreen[ScheduleRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("form.save", "save"),
        bind("back", "cancel", "Cancel"),
    ]

    def __init__(self, commitment: Commitment, today: date, tz: str) -> None:
        super().__init__()
        self.commitment = commitment
        self.tz = tz
        current = commitment.current_schedule
        self.is_change = current is not None
        self.today = today
        self.initial = (
            choice_from_schedule(current, today)
            if current is not None
            else first_choice(commitment.frequency, today)
        )
        self.result: SchedulePreview | None = None

    def compose(self) -> ComposeResult:
        c = self.initial
        with Vertical(classes="dialog", id="schedule-form"):
            heading = literal(
                f"Change the whole series: {self.commitment.title}"
                if self.is_change
                else f"Schedule: {self.commitment.title}",
                style="bold",
            )
            yield Static(heading)
            if self.is_change:
                yield Static("Meetings before the 'from' date keep their old dates.")
            with VerticalScroll(id="schedule-fields"):
                with Horizontal(classes="field"):
                    yield Label("Every")
                    yield Field(str(c.interval), id="interval", compact=True, type="integer")
                    yield Select(UNITS, value=c.unit, allow_blank=False, id="unit", compact=True)
                with Horizontal(classes="field", id="month-row"):
                    yield Label("In")
                    yield Select(
                        [(m, str(i + 1)) for i, m in enumerate(MONTHS)],
                        value=str(c.month),
                        allow_blank=False,
                        id="month",
                        compact=True,
                    )
                with Horizontal(classes="field", id="on-row"):
                    yield Label("On")
                    yield Select(
                        ON,
                        value="weekday" if c.by_weekday else "day",
                        allow_blank=False,
                        id="on",
                        compact=True,
                    )
                with Horizontal(classes="field", id="which-row"):
                    yield Label("Which")
                    yield Select(WHICH, value=str(c.ordinal), allow_blank=False, id="which", compact=True)
                with Horizontal(classes="field", id="weekday-row"):
                    yield Label("Weekday")
                    yield Select(
                        list(zip(DAY_NAMES, WEEKDAYS, strict=True)),
                        value=c.weekday,
                        allow_blank=False,
                        id="weekday",
                        compact=True,
                    )
                with Horizontal(classes="field", id="day-row"):
                    yield Label("Day")
                    yield Field(str(c.day_of_month), id="day", compact=True, type="integer")
                with Horizontal(classes="field"):
                    yield Label("Time")
                    yield Field(f"{c.at:%H:%M}", id="time", compact=True)
                with Horizontal(classes="field"):
                    yield Label("Minutes")
                    yield Field(str(c.duration_minutes), id="duration", compact=True, type="integer")
                with Horizontal(classes="field"):
                    yield Label("Where")
                    yield Field(c.location, id="location", compact=True)
                with Horizontal(classes="field"):
                    yield Label("From")
                    yield Field(c.starting.isoformat(), id="from", compact=True)
            yield Static(id="schedule-preview")
            with Horizontal(classes="buttons"):
                yield Button(f"Save ({keys_for(self.app, 'form.save', True)})", id="save", variant="primary")
                yield Button(f"Cancel ({keys_for(self.app, 'back', True)})", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#interval", Input).focus()
        self.refresh_preview()

    def _value(self, selector: str) -> str:
        return str(self.query_one(selector, Select).value)

    def read(self) -> RuleChoice:
        unit: Unit = self._value("#unit")  # type: ignore[assignment]
        by_weekday = self._value("#on") == "weekday"
        return RuleChoice(
            unit=unit,
            interval=parse_positive_int("every", self.query_one("#interval", Input).value, MAX_INTERVAL),
            by_weekday=by_weekday,
            ordinal=int(self._value("#which")),
            weekday=self._value("#weekday"),
            day_of_month=(
                1
                if by_weekday or unit == "week"
                else parse_positive_int("day", self.query_one("#day", Input).value, LAST_DAY_OF_MONTH)
            ),
            month=int(self._value("#month")),
            at=_time(self.query_one("#time", Input).value),
            duration_minutes=parse_positive_int("minutes", self.query_one("#duration", Input).value, 24 * 60),
            location=self.query_one("#location", Input).value.strip(),
            starting=parse_date("from", self.query_one("#from", Input).value),
        )

    def refresh_preview(self) -> None:
        unit = self._value("#unit")
        by_weekday = self._value("#on") == "weekday"
        self.query_one("#month-row").display = unit == "year"
        self.query_one("#on-row").display = unit != "week"
        self.query_one("#which-row").display = unit != "week" and by_weekday
        self.query_one("#weekday-row").display = unit == "week" or by_weekday
        self.query_one("#day-row").display = unit != "week" and not by_weekday
        box = self.query_one("#schedule-preview", Static)
        try:
            found = preview(self.read(), self.tz, today=self.today)
        except InputError as exc:
            self.result = None
            box.update(literal(in_words(exc), style="bold red"))
            return
        self.result = found
        text = literal(found.description, style="bold")
        text.append("\nNext: " + ", ".join(f"{d:%a %d %b %Y}" for d in found.next_dates))
        box.update(text)

    def on_input_changed(self, _event: Input.Changed) -> None:
        self.refresh_preview()

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.refresh_preview()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.refresh_preview()
        if self.result is not None:
            self.dismiss(ScheduleRequest(self.read(), self.result))

    def action_cancel(self) -> None:
        self.dismiss(None)
