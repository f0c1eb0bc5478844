"""Line-of-sight evidence: which factors a commitment gives sight of, the questions asked at meetings, the
brief before a meeting, actions followed across meetings, and the annual assurance statement."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from los_tui.domain.agenda import occurrence_from_log
from los_tui.domain.assurance import AssuranceStatement, assurance_statement
from los_tui.domain.assurance import Difference as MadeDifference
from los_tui.domain.brief import Brief, OpenAction, brief
from los_tui.domain.evidence_records import AskedQuestion, RaisedAction
from los_tui.domain.follow_up import FollowedAction, follow_up
from los_tui.domain.guidance import Question, guidance, parse_factors
from los_tui.domain.model import Action, Commitment, Frequency, Occurrence, Role, Status
from los_tui.domain.parsing import InputError, check_text
from los_tui.domain.periods import Period
from los_tui.domain.recording import meeting_label
from los_tui.domain.recurrence import window_for_days
from los_tui.services.meetings import Meetings
from los_tui.services.review import Review

MAX_ANSWER = 10_000
INDUCTION = "lmcs-induction"
INDUCTION_TITLE = "Induction as Lead Member"
LOOK_BACK_YEARS = 2  # how far back the brief looks for last time's meeting and its open actions


class Evidence:
    def __init__(self, meetings: Meetings, review: Review) -> None:
        self.meetings = meetings
        self.review = review
        self.store = meetings.store
        self.zone = meetings.zone

    def induct(self, start_day: date) -> list[Action]:
        """A new lead member's induction (appendix A of the guidance): an entry on the day they took up
        post and each step as an action due within its week, month or six months. Once only."""
        from los_tui.domain.guidance import guidance

        with self.store.writing() as write:
            if write.slug_taken(INDUCTION):
                return []
            write.add_commitment(
                INDUCTION,
                INDUCTION_TITLE,
                Role.LMCS,
                Frequency.AD_HOC,
                "The induction steps of the London guidance for lead members (2013), appendix A.",
            )
            start = datetime.combine(start_day, time(0), self.zone)
            log = write.add_adhoc(INDUCTION, start, all_day=True, status=Status.ATTENDED, note="")
            entry = occurrence_from_log(write.commitment(INDUCTION), log, self.meetings.tz)
            return [
                write.add_action(
                    entry, f"{step.step}. {step.text}", "", start_day + timedelta(days=step.within_days)
                )[1]
                for step in guidance().induction
            ]

    def set_factors(self, slug: str, factors: str) -> Commitment:
        numbers = parse_factors("factors", factors)
        with self.store.writing() as write:
            return write.set_factors(slug, numbers)

    def meeting(self, slug: str, when: datetime, has_time: bool) -> Occurrence:
        found = self.meetings.find(slug, when, has_time)
        if found is None:
            raise InputError("on", when.date().isoformat(), f"{slug} has no meeting then")
        return found

    def ask(
        self, occurrence: Occurrence, question_id: str, answer: str | None
    ) -> tuple[Occurrence, Question]:
        """A question of the guidance asked at the meeting; an answer, if given, is kept with it."""
        question = guidance().question(question_id.strip())
        if answer is not None:
            check_text("answer", answer, MAX_ANSWER, private=True)
        # A question counts in the assurance statement as sight of its factor: only at a meeting held.
        when = meeting_label(occurrence.start, ZoneInfo(self.meetings.tz))
        if occurrence.status is Status.CANCELLED:
            raise InputError("on", when, "that meeting was cancelled: a question is asked at a meeting held")
        if answer and occurrence.start > self.store.clock():
            raise InputError(
                "answer",
                f"<{len(answer)} characters>",
                f"the meeting on {when} has not started yet: its answer can be kept once it has",
            )
        with self.store.writing() as write:
            return write.ask(occurrence, question.id, answer), question

    def asked_at(self, occurrence: Occurrence) -> list[AskedQuestion]:
        if occurrence.log_id is None:
            return []
        with self.store.reading() as read:
            return read.asked_at(occurrence.log_id)

    def actions(self, open_only: bool = False, overdue_on: date | None = None) -> list[RaisedAction]:
        """Every action across meetings; `overdue_on` keeps the open ones due before that day."""
        with self.store.reading() as read:
            found = read.raised_actions()
        if open_only or overdue_on is not None:
            found = [a for a in found if not a.action.done]
        if overdue_on is not None:
            found = [a for a in found if a.action.due is not None and a.action.due < overdue_on]
        return sorted(
            found,
            key=lambda a: (
                a.action.done,
                a.action.due is None,
                a.action.due or date.max,
                a.raised_on,
                a.action.id,
            ),
        )

    def follow_up(self, today: date, include_done: bool = False) -> list[FollowedAction]:
        """What the actions screen lists: the open actions (and with `include_done` the done ones too)
        across every meeting, overdue first, then by owner."""
        with self.store.reading() as read:
            titles = {c.slug: c.title for c in read.commitments(include_retired=True)}
        return follow_up(self.actions(open_only=not include_done), titles, today)

    def meeting_of(self, action: Action) -> Occurrence:
        """The meeting `action` arose at, as the diary holds it now."""
        with self.store.reading() as read:
            log = read.log(action.log_id)
            found = [] if log is None else read.commitments(include_retired=True, slugs=[log.commitment_slug])
        if log is None or not found:
            raise InputError("action", str(action.id), "its meeting is no longer in the diary")
        return occurrence_from_log(found[0], log, self.meetings.tz)

    def next_meeting(self, slug: str, now: datetime) -> Occurrence:
        today = now.astimezone(self.zone).date()
        for occurrence in self.meetings.agenda(today, today + timedelta(days=400), slugs=[slug]):
            if occurrence.end > now:
                return occurrence
        raise InputError(
            "commitment", slug, "has no meeting in the next year; give the date of the one you mean"
        )

    def prep(self, slug: str, meeting: Occurrence, now: datetime) -> Brief:
        """The brief for `meeting`: last time, what is still open from earlier meetings of this
        commitment and of its joint line, and questions from its factors not asked in the last year."""
        with self.store.reading() as read:
            found = read.commitments(include_retired=True, slugs=[slug])
        if not found:
            raise InputError("commitment", slug, "no commitment has that slug (see `los commitments`)")
        commitment = found[0]
        slugs = [slug] + ([commitment.joint_slug] if commitment.joint_slug else [])
        start_day = meeting.start.astimezone(self.zone).date()
        earlier = self.meetings.agenda(
            start_day.replace(year=start_day.year - LOOK_BACK_YEARS), start_day, slugs=slugs
        )
        earlier = [o for o in earlier if o.start < meeting.start]
        with self.store.reading() as read:
            raised = read.raised_actions(slugs)
            window = window_for_days(start_day - timedelta(days=366), start_day, self.meetings.tz)
            asked = read.asked_questions(*window)
        log_starts = {o.log_id: o.start for o in earlier if o.log_id is not None}
        open_actions = [
            OpenAction(
                a.action,
                log_starts.get(a.action.log_id, meeting.start - timedelta(seconds=1)),
                a.commitment_slug,
            )
            for a in raised
            if a.raised_on < start_day or a.action.log_id in log_starts
        ]
        differences = {o.log_id: o.difference for o in earlier if o.log_id is not None}
        return brief(commitment, commitment.factors, meeting, earlier, differences, open_actions, asked, now)

    def assurance(self, period: Period, as_of: datetime, roles: tuple[Role, ...]) -> AssuranceStatement:
        report = self.review.load(period, as_of, roles)
        commitments = [row.commitment for row in report.review.rows]
        slugs = {c.slug for c in commitments}
        window = window_for_days(period.first, period.last, self.meetings.tz)
        with self.store.reading() as read:
            asked = [q for q in read.asked_questions(*window) if q.commitment_slug in slugs]
            raised = read.raised_actions(sorted(slugs))
        held = [o for o in self.meetings.agenda(period.first, period.last) if o.commitment_slug in slugs]
        differences = [
            MadeDifference(o.commitment_slug, o.title, o.start, o.difference)
            for o in held
            if o.difference.strip()
        ]
        return assurance_statement(
            report.review,
            {c.slug: c.factors for c in commitments},
            asked,
            raised,
            differences,
            self.meetings.tz,
            held,
        )
