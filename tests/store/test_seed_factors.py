"""Each protocol line says which of the seven factors of effective safeguarding it gives sight of, and why."""

from __future__ import annotations

import re
from importlib.resources import files

from los_tui.db.seed import seed_lines
from los_tui.domain.guidance import guidance


def test_every_protocol_line_gives_sight_of_at_least_one_factor() -> None:
    lines = seed_lines()
    assert len(lines) == 34
    for line in lines:
        assert line.factors, line.slug
        assert set(line.factors) <= {f.number for f in guidance().factors}, line.slug


def test_joint_lines_give_sight_of_the_same_factors() -> None:
    by_slug = {line.slug: line for line in seed_lines()}
    for line in by_slug.values():
        if line.joint:
            assert by_slug[line.joint].factors == line.factors, line.slug


def test_every_factor_is_seen_through_some_protocol_line() -> None:
    seen = {factor for line in seed_lines() for factor in line.factors}
    assert seen == set(range(1, 8))


def test_each_line_s_factors_say_why() -> None:
    text = files("los_tui.db").joinpath("seed_protocol.toml").read_text(encoding="utf-8")
    factor_lines = [line for line in text.splitlines() if line.startswith("factors =")]
    assert len(factor_lines) == 34
    assert all(re.match(r"factors = \[[1-7](, [1-7])*\]  # \w", line) for line in factor_lines)
