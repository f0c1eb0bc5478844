"""`los questions` and `los glossary`: the guidance a lead member asks from, without opening the diary."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result


def test_questions_as_json_give_each_factor_with_its_own_questions(los: Callable[..., Result]) -> None:
    result = los("questions", "--json")
    assert result.code == 0, result.err
    factors = json.loads(result.out)
    assert [f["factor"] for f in factors] == list(range(1, 8))
    assert set(factors[0]) == {"factor", "title", "good_looks_like", "questions"}
    assert factors[4]["title"] == "Performance management and quality assurance"
    assert factors[4]["questions"][8] == {"id": "5.9", "text": "What is our quality assurance process?"}
    assert sum(len(f["questions"]) for f in factors) == 107


def test_one_factor_and_its_questions_as_text(los: Callable[..., Result]) -> None:
    result = los("questions", "--factor", "6")
    assert result.code == 0, result.err
    assert result.out.startswith("6 Partnership working")
    assert "6.5" in result.out and "How well attended are strategic and operational" in result.out
    assert "Culture" not in result.out


@pytest.mark.parametrize("value", ["9", "0", "", "²", "six"])
def test_a_factor_that_is_not_one_to_seven_is_refused(los: Callable[..., Result], value: str) -> None:
    result = los("questions", "--factor", value)
    assert result.code == 2 and result.out == ""
    assert "--factor" in result.err and result.err.count("\n") == 1


def test_the_glossary_explains_a_term_in_any_case(los: Callable[..., Result]) -> None:
    result = los("glossary", "lado")
    assert result.code == 0 and result.out.startswith("LADO  Local Authority Designated Officer")
    everything = json.loads(los("glossary", "--json").out)
    assert everything["PSW"] == "Principal Social Worker" and "ASYE" in everything


@pytest.mark.parametrize("term", ["XYZ", " "])
def test_an_unknown_term_is_refused_naming_it(los: Callable[..., Result], term: str) -> None:
    result = los("glossary", term)
    assert result.code == 2 and "term" in result.err.lower() and result.err.count("\n") == 1


def test_reading_the_guidance_creates_no_diary(los: Callable[..., Result], db_path: Path) -> None:
    assert los("questions").code == 0 and los("glossary").code == 0
    assert not db_path.exists()
