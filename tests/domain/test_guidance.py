"""The guidance a lead member works from: the seven factors, their questions, the induction steps and the
glossary are the London guidance's own words, one question per entry, none missed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from los_tui.domain.guidance import guidance, parse_factors
from los_tui.domain.parsing import InputError

SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "guidance" / "lead-member-guidance-2013.txt"
# What the scan of the PDF misread, put right in guidance.toml; every other character is the guidance's.
SCAN_ERRORS = {
    "safequarding": "safeguarding",
    "Safequarding": "Safeguarding",
    "reqular": "regular",
    "individuals”": "individuals’",
    "‘early help”": "‘early help’",
}
TITLES = [
    "Council leadership",
    "Culture",
    "Resourcing",
    "Workforce development",
    "Performance management and quality assurance",
    "Partnership working",
    "Outcomes for service users",
]


def normalised(text: str) -> str:
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)  # words the page broke across lines
    text = re.sub(r"^\s*[«+»•]\s*", "", text, flags=re.MULTILINE)  # bullets as the scan read them
    for wrong, right in SCAN_ERRORS.items():
        text = text.replace(wrong, right)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def source() -> str:
    return normalised(SOURCE.read_text(encoding="utf-8"))


def asking_sections() -> list[str]:
    """Each factor's "What you should be asking" text, as the guidance prints it."""
    text = SOURCE.read_text(encoding="utf-8")
    detail = text[text.index("4.1 How does your council measure up") :]
    detail = detail[: detail.index("what you should do: building")]
    parts = detail.split("What you should be asking")[1:]
    return [part.split("What good looks like")[0] for part in parts]


def test_the_seven_factors_are_the_guidance_s_in_its_order() -> None:
    assert [f.title for f in guidance().factors] == TITLES
    assert [f.number for f in guidance().factors] == list(range(1, 8))


def test_every_question_and_every_description_is_the_guidance_s_own_words(source: str) -> None:
    for factor in guidance().factors:
        assert factor.good_looks_like and factor.questions
        for paragraph in factor.good_looks_like:
            assert paragraph in source, paragraph
        for question in factor.questions:
            assert question.text in source, question.text


def test_each_question_is_one_question_and_none_is_missed() -> None:
    sections = asking_sections()
    assert len(sections) == 7
    for factor, section in zip(guidance().factors, sections, strict=True):
        # the guidance's paragraphs split at their question marks: as many entries as question marks
        assert len(factor.questions) == section.count("?"), factor.title
        for question in factor.questions:
            assert question.text.endswith("?") and question.text.count("?") == 1


def test_question_ids_are_unique_and_name_their_factor() -> None:
    ids = [q.id for f in guidance().factors for q in f.questions]
    assert len(ids) == len(set(ids)) == 107
    assert guidance().question("5.9").text == "What is our quality assurance process?"
    with pytest.raises(InputError, match=r"8\.1"):
        guidance().question("8.1")


def test_the_induction_runs_over_a_week_a_month_and_six_months(source: str) -> None:
    steps = guidance().induction
    assert [s.step for s in steps] == list(range(1, 13))
    assert {s.within_days for s in steps} == {7, 31, 183}
    assert [s.within_days for s in steps] == sorted(s.within_days for s in steps)


def test_the_local_test_of_assurance_has_the_guidance_s_six_points(source: str) -> None:
    points = guidance().self_assessment
    assert len(points) == 6
    for point in points:
        assert point.factors and set(point.factors) <= set(range(1, 8))
        # the scan splits one word ("C(larity") and the guidance repeats "and help" for "help": compare words
        assert " ".join(point.text.split()[3:12]) in source, point.text


def test_the_glossary_holds_appendix_d_and_every_abbreviation_the_protocol_uses() -> None:
    terms = guidance().glossary
    appendix_d = ["DCS", "DfE", "HWB", "JSNA", "LGA", "LMCS", "LSCB", "Ofsted"]
    protocol = ["PSW", "ASYE", "CiCC", "LADO", "CSCB", "MASH", "RAG"]
    assert set(appendix_d + protocol) <= set(terms)
    assert guidance().explain("cicc") == terms["CiCC"]
    with pytest.raises(InputError, match="XYZ"):
        guidance().explain("XYZ")


@pytest.mark.parametrize(("text", "expected"), [("3", (3,)), ("7,1,5", (1, 5, 7)), ("2, 2", (2,))])
def test_factor_lists_are_read_in_order(text: str, expected: tuple[int, ...]) -> None:
    assert parse_factors("factors", text) == expected


@pytest.mark.parametrize("text", ["", "0", "8", "1,,2", "²", "one", "1;2"])
def test_a_factor_list_that_is_not_one_to_seven_is_refused_naming_it(text: str) -> None:
    with pytest.raises(InputError, match="factor"):
        parse_factors("factors", text)
