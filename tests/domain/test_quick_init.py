"""quick_init fills a frozen dataclass in one step and changes nothing else about it."""

from __future__ import annotations

import dataclasses
from dataclasses import FrozenInstanceError, dataclass, field, replace
from datetime import UTC, datetime, timedelta

import pytest

from los_tui.domain.model import Occurrence, OccurrenceLog, Role, Status
from los_tui.domain.quick_init import quick_init

START = datetime(2026, 11, 3, 18, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Plain:
    """Occurrence's fields as `dataclasses` alone builds them: what quick_init must match."""

    commitment_slug: str
    title: str
    role: Role
    start: datetime
    end: datetime
    original_start: datetime | None = None
    status: Status | None = None
    location: str = ""
    all_day: bool = False
    log_id: int | None = None
    note: str = ""
    questions: str = ""
    series_uid: str = ""
    difference: str = ""
    difference_shared: bool = False
    version: int | None = None


def test_the_fields_and_their_defaults_are_the_dataclasses_own() -> None:
    assert [(f.name, f.default) for f in dataclasses.fields(Occurrence)] == [
        (f.name, f.default) for f in dataclasses.fields(Plain)
    ]
    arguments = ("board", "Board", Role.LMCS, START, START + timedelta(hours=2))
    quick, plain = Occurrence(*arguments), Plain(*arguments)
    assert vars(quick) == vars(plain)
    assert repr(quick) == repr(plain).replace("Plain(", "Occurrence(")
    named = Occurrence(
        commitment_slug="board", title="Board", role=Role.LMCS, start=START, end=START + timedelta(hours=2)
    )
    assert named == quick and hash(named) == hash(quick)
    assert replace(quick, status=Status.ATTENDED).status is Status.ATTENDED and quick.status is None
    assert quick != replace(quick, note="asked about supervision")


def test_an_instance_is_still_frozen_and_arguments_are_still_checked() -> None:
    log = OccurrenceLog(7, "board", START, None, Status.MISSED)
    with pytest.raises(FrozenInstanceError):
        log.note = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        OccurrenceLog(7, "board")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        OccurrenceLog(7, "board", START, None, colour="red")  # type: ignore[call-arg]
    assert {log, replace(log)} == {log}


def test_a_class_it_cannot_fill_the_same_way_is_refused() -> None:
    @dataclass
    class Thawed:
        name: str

    @dataclass(frozen=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True)
    class Listed:
        names: list[str] = field(default_factory=list)

    for cls in (Thawed, Checked, Listed):
        with pytest.raises(TypeError):
            quick_init(cls)
