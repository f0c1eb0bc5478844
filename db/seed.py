"""The seed protocol as data: reading db/seed_protocol.toml into commitments."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files

from los_tui.domain.model import Frequency, Role
from los_tui.domain.protocol import infer_frequency


@dataclass(frozen=True)
class SeedLine:
    slug: str
    role: Role
    title: str
    wording: str
    with_whom: str
    joint: str | None
    factors: tuple[int, ...] = ()  # the seven factors (los questions) the meeting gives sight of

    @property
    def frequency(self) -> Frequency:
        return infer_frequency(self.wording)


def seed_lines() -> list[SeedLine]:
    data = tomllib.loads(files("los_tui.db").joinpath("seed_protocol.toml").read_text(encoding="utf-8"))
    return [
        SeedLine(
            slug=item["slug"],
            role=Role(item["role"]),
            title=item["title"],
            wording=item["wording"],
            with_whom=item.get("with_whom", ""),
            joint=item.get("joint"),
            factors=tuple(item.get("factors", ())),
        )
        for item in data["commitment"]
    ]
