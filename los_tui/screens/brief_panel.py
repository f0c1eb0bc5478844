"""The brief on the meeting screen, as `los prep` gives it: last time, the actions still open from earlier
meetings, and bank questions worth asking (with those already asked at this meeting and what was said)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, Static

from los_tui.domain.brief import Brief, OpenAction
from los_tui.domain.evidence_records import AskedQuestion
from los_tui.domain.guidance import Question, guidance
from los_tui.screens.keys import keys_for
from los_tui.widgets.laid_out import LaidOutStatic, LaidOutVertical
from los_tui.widgets.literal import literal
from los_tui.widgets.sized_table import Row, SizedTable

# Fixed widths: the header never re-flows as rows arrive; the text column takes what is left.
OPEN_COLUMNS = (("Done", 4), ("Owner", 12), ("Due", 10), ("Raised", 10))
QUESTION_COLUMNS = (("Asked", 5), ("No.", 4))

T = TypeVar("T")


class BriefPanel(LaidOutVertical):
    """Shown under the meeting's own texts; the screen fetches the brief and says what a key does."""

    DEFAULT_CSS = """
    BriefPanel { height: auto; margin-top: 1; }
    BriefPanel #brief-heading { text-style: bold underline; }
    BriefPanel #last-time { height: auto; margin-bottom: 1; }
    BriefPanel DataTable { height: auto; max-height: 12; }
    """

    def __init__(self) -> None:
        super().__init__(id="brief")
        self.open_actions: list[OpenAction] = []
        self.questions: list[Question] = []
        self.answers: dict[str, str] = {}  # question id -> answer, for those asked at this meeting
        self._open_widths: list[int] = []  # each column's width, for the rows' wrapped heights
        self._question_widths: list[int] = []
        self._fitted_to = 0  # the terminal's width the columns were made for
        self._from_the_top = False  # the next rows shown are another meeting's: the cursor starts at row 0

    def compose(self) -> ComposeResult:
        yield Label("Before this meeting: the brief", id="brief-heading")
        yield LaidOutStatic("Reading the brief...", id="last-time")
        yield Static(id="open-actions-label")
        yield SizedTable(id="open-actions", cursor_type="row", zebra_stripes=True)
        yield Static(id="suggested-label")
        yield SizedTable(id="suggested", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        app = self.app
        self.query_one("#open-actions-label", Static).update(
            Text(
                "Still open from earlier meetings "
                f"({keys_for(app, 'action.done', True)} marks the selected one done)"
            )
        )
        self.query_one("#suggested-label", Static).update(
            Text(
                f"Questions worth asking ({keys_for(app, 'question.raise', True)} copies into Questions to "
                f"raise, {keys_for(app, 'question.asked', True)} marks asked and notes the answer)"
            )
        )
        self.fit_columns(app.size.width)

    def fit_columns(self, width: int) -> None:
        """Columns that fit a terminal `width` wide: the text columns take what the others leave. Done
        again only when the width has changed (a resize, or the kept screen opened at another size): the
        rows then go in again, wrapped to the new widths, and each table's cursor stays where it was."""
        if width == self._fitted_to:
            return
        self._fitted_to = width
        room = max(40, width - 6)
        used = sum(w + 2 for _, w in OPEN_COLUMNS)
        open_columns = [OPEN_COLUMNS[0], ("Action", max(16, room - used - 2)), *OPEN_COLUMNS[1:]]
        used = sum(w + 2 for _, w in QUESTION_COLUMNS)
        question_columns = [*QUESTION_COLUMNS, ("Question", max(20, room - used - 2))]
        open_table = self.query_one("#open-actions", SizedTable)
        question_table = self.query_one("#suggested", SizedTable)
        # None: the table is empty yet (the brief not read), nothing to put back.
        cursors = [table.cursor_row if table.row_count else None for table in (open_table, question_table)]
        for table, columns in ((open_table, open_columns), (question_table, question_columns)):
            table.clear(columns=True)
            for label, column_width in columns:
                table.add_column(Text(label), width=column_width)
        self._open_widths = [w for _, w in open_columns]
        self._question_widths = [w for _, w in question_columns]
        shows = (self._show_open_actions, self._show_questions)
        for table, show, row in zip((open_table, question_table), shows, cursors, strict=True):
            if row is not None:
                show()
                table.move_cursor(row=row, animate=False)

    def forget(self) -> None:
        """Another meeting's brief comes next: its rows take their own order, from the top, though the
        last meeting's stay on screen until they are replaced (see `clear`)."""
        self.open_actions, self.questions, self.answers = [], [], {}
        self._from_the_top = True

    def clear(self) -> None:
        """Empty until the next meeting's brief arrives (the screen is kept and refilled)."""
        self.forget()
        self.query_one("#last-time", Static).update("Reading the brief...")
        self.query_one("#open-actions", SizedTable).fill(())
        self.query_one("#suggested", SizedTable).fill(())

    def show(
        self, brief: Brief, asked_here: list[AskedQuestion], tz: str, private_text_kept: bool = False
    ) -> None:
        self.query_one("#last-time", Static).update(last_time(brief, tz, private_text_kept))
        self.open_actions = list(brief.open_actions)
        self.answers = {q.question_id: q.answer for q in asked_here}
        bank = guidance()
        asked = [bank.question(q.question_id) for q in asked_here]
        fresh = asked + [q for q in brief.suggested if q.id not in self.answers]
        # Read again for the same meeting (after a question is asked here, or a change elsewhere): rows
        # keep their places, so the selection never jumps; a question asked here stays, marked asked.
        kept = [q for q in self.questions if q in fresh]
        self.questions = kept + [q for q in fresh if q not in kept]
        if self._from_the_top:
            self._from_the_top = False
            for table in self.query(DataTable):
                table.move_cursor(row=0)
        self._show_open_actions()
        self._show_questions()

    def _show_open_actions(self) -> None:
        table = self.query_one("#open-actions", SizedTable)
        row = table.cursor_row
        rows: list[Row] = []
        for raised in self.open_actions:
            action = raised.action
            cells = (
                Text("[x]" if action.done else "[ ]"),
                literal(action.text, style="dim strike" if action.done else ""),
                literal(action.owner),
                Text(action.due.isoformat() if action.due else ""),
                Text(f"{raised.raised_at:%d %b %y}"),
            )
            # The whole action, wrapped: cut off, it could read as something else.
            rows.append((cells, str(action.id), self._wrapped_height(cells, self._open_widths)))
        if not self.open_actions:
            none = (Text(""), Text("None: nothing is left open from earlier meetings", style="dim"))
            rows.append((none, None, self._wrapped_height(none, self._open_widths)))
        table.fill(rows)
        if self.open_actions:
            table.move_cursor(row=min(row, len(self.open_actions) - 1))

    def _show_questions(self) -> None:
        table = self.query_one("#suggested", SizedTable)
        row = table.cursor_row
        rows: list[Row] = []
        for question in self.questions:
            cell = literal(question.text)
            answer = self.answers.get(question.id)
            if answer:
                cell.append("\nAnswer: ", style="bold").append_text(literal(answer, style="italic"))
            cells = (Text("yes" if question.id in self.answers else ""), Text(question.id), cell)
            # The whole question, wrapped: it is read out at the meeting.
            rows.append((cells, question.id, self._wrapped_height(cells, self._question_widths)))
        if not self.questions:
            none = (
                Text(""),
                Text(""),
                Text("None: no factors set, or all asked in the last year", style="dim"),
            )
            rows.append((none, None, self._wrapped_height(none, self._question_widths)))
        table.fill(rows)
        if self.questions:
            table.move_cursor(row=min(row, len(self.questions) - 1))

    def _wrapped_height(self, cells: tuple[Text, ...], widths: list[int]) -> int:
        """The lines a row takes with each cell wrapped to its column's width. DataTable measures a row of
        no given height by rendering every cell of it, several times what wrapping the text costs; a cell
        of one line that fits (a date, an owner, most actions) is not wrapped at all."""
        console = self.app.console
        return max(
            1 if cell.cell_len <= width and "\n" not in cell.plain else len(cell.wrap(console, width))
            for cell, width in zip(cells, widths, strict=False)
        )

    def selected_open_action(self) -> OpenAction | None:
        return _selected(self.query_one("#open-actions", DataTable), self.open_actions)

    def selected_question(self) -> Question | None:
        return _selected(self.query_one("#suggested", DataTable), self.questions)

    def action_changed(self, updated: OpenAction) -> None:
        self.open_actions = [updated if a.action.id == updated.action.id else a for a in self.open_actions]
        self._show_open_actions()

    def asked(self, question: Question, answer: str) -> None:
        self.answers[question.id] = answer
        self._show_questions()


def _selected(table: DataTable[object], rows: list[T]) -> T | None:
    if not rows or not 0 <= table.cursor_row < len(rows):
        return None
    return rows[table.cursor_row]


def last_time(brief: Brief, tz: str, private_text_kept: bool = False) -> Text:
    """Last time's meeting, its status, note and difference made: the user's own brief, so the note too.
    For a role the server keeps private text from, what it is not shown is said to be not shown: "none
    written" told a PA the Lead Member had written nothing."""
    last = brief.last
    if last is None:
        return Text("Last time: no earlier meeting of this commitment has anything logged.", style="dim")
    when: datetime = last.start.astimezone(ZoneInfo(tz))
    text = Text("Last time: ", style="bold")
    text.append(f"{when:%a %d %b %Y}, {last.status_label.lower()}")
    if last.commitment_slug != brief.commitment.slug:
        text.append_text(literal(f" ({last.title}, the joint line)"))
    for label, said in (("Note", last.note), ("Difference made", brief.last_difference)):
        text.append(f"\n{label}: ", style="bold")
        if said.strip():
            text.append_text(literal(said))
        elif private_text_kept:  # a difference marked shared is read; anything else is not
            text.append("not shown to your role (private text)", style="dim")
        else:
            text.append("none written", style="dim")
    return text
