"""The diary the command line and the screens hold: it opens the store and gives each subject's use
cases as an attribute (`diary.commitments`, `diary.meetings`, `diary.actions`, `diary.review`,
`diary.calendar`), and does what belongs to the diary as a whole (set-up, backups, watching for change).
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from los_tui.db import expansions
from los_tui.db.paths import DiaryLocation
from los_tui.db.standing import Standing
from los_tui.db.store import Clock, DiaryDamaged, DiaryStore, Health, open_store, restore_diary
from los_tui.domain.model import DEFAULT_TZ, Role
from los_tui.domain.parsing import InputError
from los_tui.services.actions import Actions
from los_tui.services.commitments import Commitments
from los_tui.services.evidence import Evidence
from los_tui.services.ical import CalendarFiles
from los_tui.services.meetings import LogResult, Meetings
from los_tui.services.review import Review

__all__ = [
    "ROLE_CHOICES",
    "Clock",
    "Diary",
    "DiaryDamaged",
    "Health",
    "LogResult",
    "restore_diary",
    "roles_of",
]

ROLE_CHOICES = ("lmcs", "dcs", "both")


def roles_of(choice: str) -> list[Role]:
    if choice not in ROLE_CHOICES:
        raise InputError("role", choice, f"must be one of: {', '.join(ROLE_CHOICES)}")
    return [Role.LMCS, Role.DCS] if choice == "both" else [Role(choice)]


class Diary:
    """One open diary. Each write is one transaction: it all lands, or none of it does."""

    def __init__(self, store: DiaryStore) -> None:
        self.store = store
        self.path = store.path
        self.tz = store.tz
        self.zone = ZoneInfo(store.tz)
        self.health = store.health
        self.commitments = Commitments(store)
        self.meetings = Meetings(store)
        self.actions = Actions(store)
        self.review = Review(self.meetings)
        self.calendar = CalendarFiles(store, self.commitments, self.meetings)
        self.evidence = Evidence(self.meetings, self.review)

    @classmethod
    def open(
        cls,
        path: DiaryLocation,
        clock: Clock,
        tz: str = DEFAULT_TZ,
        create: bool = True,
        allow_damaged: bool = False,
        migrate: bool = False,
    ) -> Diary:
        """Open the diary at `path`, a file or a server database (see db.store.open_store: checks,
        migrations, the daily backup), with the schedules' expansions an earlier run kept (db.expansions:
        beside a diary file, in the user's cache folder for a server's)."""
        opened = cls(open_store(path, clock, tz, create=create, allow_damaged=allow_damaged, migrate=migrate))
        expansions.recall(opened.path)
        return opened

    @property
    def clock(self) -> Clock:
        return self.store.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:  # tests move "now"; every service reads it from the store
        self.store.clock = clock

    @property
    def standing(self) -> Standing:
        """What the connected role may do: on a server, an assistant or a viewer reads no private text."""
        return self.store.standing

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def close(self) -> None:
        expansions.keep(self.path)
        self.store.close()

    def damaged_text_notice(self) -> str | None:
        """What to tell the user once text with damaged bytes was read (Store.damaged_text_notice)."""
        return self.store.damaged_text_notice()

    def data_version(self) -> int:
        """Changes whenever another connection commits: the TUI polls it to refresh (Store.data_version)."""
        return self.store.data_version()

    def backup(self, destination: Path | None = None) -> Path:
        """A checked copy; by default into the diary's backups folder."""
        return self.store.backup(destination)

    def role_choice(self) -> str | None:
        """Which roles the diary was set up for ("lmcs", "dcs", "both"), or None before `init`."""
        with self.store.reading() as read:
            return read.setting("role")

    def init(self, choice: str) -> int:
        """Load the seed protocol's lines for the role(s); lines already present are left as they are."""
        from los_tui.db.seed import seed_lines

        wanted = roles_of(choice)
        added: set[str] = set()
        with self.store.writing() as write:
            for line in seed_lines():
                if line.role in wanted and not write.slug_taken(line.slug):
                    write.add_commitment(
                        line.slug,
                        line.title,
                        line.role,
                        line.frequency,
                        line.wording,
                        line.with_whom,
                        line.factors,
                    )
                    added.add(line.slug)
            for line in seed_lines():
                if line.slug in added and line.joint and write.slug_taken(line.joint):
                    write.pair(line.slug, line.joint)
            previous = write.read.setting("role")
            roles = set(wanted) | (set(roles_of(previous)) if previous else set())
            write.set_setting("role", "both" if len(roles) == 2 else next(iter(roles)).value)
        return len(added)
