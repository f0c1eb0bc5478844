"""The month: a 7x6 grid of days with the selected day's agenda beside it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from rich.text import Span, Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from los_tui.domain.model import Occurrence
from los_tui.screens.base import DiaryScreen, in_background, styled_as_mounted
from los_tui.screens.keys import bind, keys_for
from los_tui.widgets.footer import KeyFooter
from los_tui.widgets.header import FixedTitleHeader
from los_tui.widgets.literal import visible
from los_tui.widgets.month_grid import WEEKS, MonthGrid, first_visible_day
from los_tui.widgets.status import legend, moved_text, status_text, when_text

COMING_UP = 6  # meetings listed beside an empty day
BARE_PAINT_AFTER = 0.05  # seconds to wait for a month's meetings before showing its dates alone


class DayList(OptionList):
    """The selected day's meetings. Its size is fixed by the panel, so a day with more or fewer lines than
    the last needs no layout pass of the whole screen (Textual's asks one whenever the lines' count
    changes); a scrollbar coming or going still asks one (`show_vertical_scrollbar`)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class MonthScreen(DiaryScreen):
    # The month's name is the header's sub-title. Textual's repaints the whole screen when it changes,
    # though only the header shows it (and watches it): a month change then cost a full-screen render.
    sub_title: Reactive[str | None] = Reactive(None, compute=False, repaint=False)
    LETS_GO_OF_COPIES_WHEN_COVERED = False  # shown again by every Esc (see DiaryScreen)
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("day.before", "move_day(-1)", show=False),
        bind("day.after", "move_day(1)", show=False),
        bind("week.before", "move_day(-7)", show=False),
        bind("week.after", "move_day(7)", show=False),
        bind("period.previous", "move_month(-1)", "Prev month"),
        bind("period.next", "move_month(1)", "Next month"),
        bind("today", "today"),
        bind("open", "open_day"),
        bind("new", "new_entry", "New entry"),
        bind("back", "go_back", show=False),
    ]
    ABOUT = (
        "The month. The arrows move the day, {period.previous} and {period.next} the month, {today} back to "
        "today. {open} opens the day's meeting; on a day with several, {open} goes to the day's list, the "
        "arrows choose and {open} opens one. {new} records an ad hoc entry on the selected day."
    )

    def __init__(self) -> None:
        super().__init__()
        self.selected: date = date.today()  # replaced from the app's clock on mount
        self.by_day: dict[date, list[Occurrence]] = {}
        self.shown_month: date | None = None
        self._bare_paint: Timer | None = None
        self._day_list_shows: list[tuple[str, list[Span]]] | None = None
        self.listed: list[Occurrence] = []  # the meetings in the day's list, in its order
        self._legend_shows = ""
        # The meetings of the months around the one shown, by month, so paging through them paints at
        # once. Replaced on every reload: each change to the diary, here or elsewhere, leads to one.
        self.read_ahead: dict[date, list[Occurrence]] = {}

    def compose(self) -> ComposeResult:
        yield FixedTitleHeader()
        with Horizontal(id="month-body"):
            yield MonthGrid(id="month-grid")
            with Vertical(id="day-panel"):
                yield Label("", id="day-title")
                yield DayList(id="day-list")
                yield Static(legend(), id="legend")
        yield KeyFooter(keys_at_once=True)  # the grid, focused as it opens, adds no key of its own

    def on_mount(self) -> None:
        styled_as_mounted(self)
        self.selected = self.los.today()
        self.query_one(MonthGrid).focus()
        found = self.los.first_look(self.month)
        if found is None:
            self._paint()  # the dates at once; the meetings follow when the diary is open
        else:
            self._loaded(self.month, found)
            self.los.first_look_painted()
        # The grid's text carries colours taken from the theme (days outside the month): paint it again.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._paint())

    @property
    def month(self) -> date:
        return self.selected.replace(day=1)

    @property
    def is_loaded(self) -> bool:
        return self.shown_month == self.month

    def reload(self) -> None:
        month = self.month
        self._fetch(month, then=lambda months: self._reloaded(month, months))

    def _fetch(self, month: date, then: Callable[[dict[date, list[Occurrence]]], None]) -> None:
        """The meetings of `month` and the months either side, read in one query, by month."""
        around = [month + relativedelta(months=step) for step in (-1, 0, 1)]
        first = first_visible_day(around[0])
        last = first_visible_day(around[-1]) + timedelta(days=7 * WEEKS - 1)

        def by_month(found: list[Occurrence]) -> dict[date, list[Occurrence]]:
            zone = ZoneInfo(self.los.tz)
            months = {}
            for each in around:
                start = first_visible_day(each)
                end = start + timedelta(days=7 * WEEKS)
                months[each] = [o for o in found if start <= o.start.astimezone(zone).date() < end]
            return months

        in_background(self, lambda diary: by_month(diary.meetings.agenda(first, last)), then, group="month")

    def _reloaded(self, month: date, months: dict[date, list[Occurrence]]) -> None:
        self.read_ahead = months
        self._loaded(month, months[month])

    def _prefetch_around(self, month: date) -> None:
        if all(month + relativedelta(months=step) in self.read_ahead for step in (-1, 1)):
            return
        months_before = self.read_ahead

        def keep(months: dict[date, list[Occurrence]]) -> None:
            if self.read_ahead is months_before:  # not replaced by a reload meanwhile
                self.read_ahead = {**months, **self.read_ahead}

        self._fetch(month, then=keep)

    def _loaded(self, month: date, occurrences: list[Occurrence]) -> None:
        zone = ZoneInfo(self.los.tz)
        by_day: dict[date, list[Occurrence]] = defaultdict(list)
        for occurrence in occurrences:
            by_day[occurrence.start.astimezone(zone).date()].append(occurrence)
        self.by_day = dict(by_day)
        self.shown_month = month
        self._stop_bare_paint()
        self._paint()

    def _paint(self) -> None:
        # One refresh for the whole grid and list, not one per cell and class change.
        with self.app.batch_update():
            self._paint_now()

    def _paint_now(self) -> None:
        self.sub_title = f"{self.month:%B %Y}"
        now = self.los.now()
        tz = self.los.tz
        self.query_one(MonthGrid).show(
            self.month, self.selected, now.date(), self.by_day, now, tz, self.los.config.short_names
        )
        self.query_one("#day-title", Label).update(Text(f"{self.selected:%A %d %B}"), layout=False)
        self._fit_legend()
        self.listed = list(self.by_day.get(self.selected, []))
        prompts = []
        for occurrence in self.listed:
            prompts.append(self._prompt(occurrence, now, with_day=False))
        if not self.listed:
            # An empty day shows what is coming instead of an empty box; Enter opens any of them.
            self.listed = self._coming_after(self.selected)
            heading = Text("Nothing on. Coming up:", style="italic")
            if not self.listed:
                heading = Text("Nothing on, nor in the weeks shown after it.", style="italic")
            prompts = [heading, *(self._prompt(o, now, with_day=True) for o in self.listed)]
        shown = [(p.plain, p.spans) for p in prompts]
        if shown == self._day_list_shows:
            return  # refilling the list re-lays (and so repaints) the whole screen: most days are alike
        self._day_list_shows = shown
        day_list = self.query_one("#day-list", OptionList)
        offset = len(prompts) - len(self.listed)  # the heading of what is coming is not a meeting
        # Replaced in one step: emptied first, the list's size went to nothing and back, and each
        # change of its size asks Textual for a layout pass of the whole screen.
        day_list.set_options(
            Option(
                prompt,
                id=f"occurrence-{index - offset}" if index >= offset else None,
                disabled=index < offset,
            )
            for index, prompt in enumerate(prompts)
        )
        if self.listed:
            day_list.highlighted = offset

    def _fit_legend(self) -> None:
        legend_box = self.query_one("#legend", Static)
        key = legend(legend_box.content_size.width or 24)
        if key.plain != self._legend_shows:  # only when the width changed: updating it re-lays the panel
            self._legend_shows = key.plain
            legend_box.update(key)

    def _coming_after(self, day: date) -> list[Occurrence]:
        """The next few meetings after `day`, from the weeks shown and the month after (read ahead)."""
        zone = ZoneInfo(self.los.tz)
        known = [o for found in self.by_day.values() for o in found]
        known += self.read_ahead.get(self.month + relativedelta(months=1), [])
        after = {(o.commitment_slug, o.start): o for o in known if o.start.astimezone(zone).date() > day}
        return sorted(after.values(), key=lambda o: (o.start, o.title))[:COMING_UP]

    def _prompt(self, occurrence: Occurrence, now: datetime, with_day: bool) -> Text:
        tz = self.los.tz
        when = when_text(occurrence, tz, with_day=False)
        if with_day:  # with its month: what is coming up may be in the next one
            when = f"{occurrence.start.astimezone(ZoneInfo(tz)):%a %d %b} {when}"
        prompt = Text(when + " ")
        prompt.append_text(status_text(occurrence, now))
        prompt.append("\n")
        prompt.append(visible(occurrence.title))  # appended as plain text: a title is never markup
        prompt.append_text(moved_text(occurrence, tz))
        return prompt

    def select(self, day: date) -> None:
        self.selected = day
        month = day.replace(day=1)
        if month != self.shown_month and month in self.read_ahead:
            self._loaded(month, self.read_ahead[month])
            self._prefetch_around(month)
        elif month != self.shown_month:
            self.by_day = {}
            # The month's meetings usually arrive within milliseconds: paint once, with them. Only a slow
            # store (a lock held elsewhere) shows the bare dates first.
            self._stop_bare_paint()
            self._bare_paint = self.set_timer(BARE_PAINT_AFTER, self._paint)
            self.reload()
        else:
            self._paint()

    def _stop_bare_paint(self) -> None:
        if self._bare_paint is not None:
            self._bare_paint.stop()
            self._bare_paint = None

    def action_move_day(self, days: int) -> None:
        self.select(self.selected + timedelta(days=days))

    def action_move_month(self, months: int) -> None:
        self.select(self.selected + relativedelta(months=months))

    def action_today(self) -> None:
        self.select(self.los.today())

    def on_month_grid_day_clicked(self, event: MonthGrid.DayClicked) -> None:
        self.select(event.day)

    def action_open_day(self) -> None:
        found = self.by_day.get(self.selected, [])
        if not found:
            new = keys_for(self.app, "new", True)
            self.notify(f"Nothing on {self.selected:%d %B}; press {new} to record an entry.")
        elif len(found) == 1:
            self.los.open_meeting(found[0])
        else:
            day_list = self.query_one("#day-list", OptionList)
            day_list.highlighted = 0
            day_list.focus()
            open_key, back = keys_for(self.app, "open", True), keys_for(self.app, "back", True)
            self.notify(
                f"{len(found)} meetings on {self.selected:%d %B}: the arrows choose, {open_key} opens one, "
                f"{back} goes back to the days."
            )

    def action_go_back(self) -> None:
        self.query_one(MonthGrid).focus()  # from the day's list to the days: the month is home

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_back":  # only from the day's list
            return isinstance(self.focused, OptionList)
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        index = int(option_id.removeprefix("occurrence-")) if option_id.startswith("occurrence-") else -1
        if 0 <= index < len(self.listed):
            self.los.open_meeting(self.listed[index])

    def on_resize(self) -> None:
        # The legend's lines and what fits in a day depend on the width. The screen's Resize comes before
        # the grid's own, once the cells are laid out, so the days are fitted here for the first frame.
        self._fit_legend()
        self.query_one(MonthGrid).refit()

    def action_new_entry(self) -> None:
        self.los.new_entry(self.selected)
