"""config.toml's [short_names]: what a month cell calls a commitment; a bad one is named, never guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from los_tui.config import load_config
from los_tui.domain.parsing import InputError


def test_short_names_are_read_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[short_names]\nlmcs-improvement-board = " Board "\n', encoding="utf-8")
    assert load_config(config).short_names == {"lmcs-improvement-board": "Board"}


@pytest.mark.parametrize("value", ['""', "3", '"' + "x" * 21 + '"'])
def test_a_short_name_that_is_empty_too_long_or_not_text_is_refused_by_name(
    tmp_path: Path, value: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[short_names]\nlmcs-improvement-board = {value}\n", encoding="utf-8")
    with pytest.raises(InputError, match="short_names"):
        load_config(config)
