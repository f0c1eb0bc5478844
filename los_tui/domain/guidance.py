"""The London guidance for lead members as data: the seven factors of effective safeguarding, with what good
looks like and the questions to ask under each, the induction steps, the Local Test of Assurance's points,
and the glossary of abbreviations. Read once from guidance.toml, which says where each part comes from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from los_tui.domain.parsing import InputError

FACTOR_NUMBERS = range(1, 8)


@dataclass(frozen=True)
class Question:
    id: str  # "factor.n", e.g. "5.9", stable: questions asked at meetings refer to it
    factor: int
    text: str


@dataclass(frozen=True)
class Factor:
    number: int
    title: str
    good_looks_like: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class InductionStep:
    step: int
    within_days: int  # from the day the lead member takes up post
    text: str


@dataclass(frozen=True)
class AssurancePoint:
    item: int
    factors: tuple[int, ...]  # the factors whose meetings and questions evidence it
    text: str


@dataclass(frozen=True)
class Guidance:
    factors: tuple[Factor, ...]
    induction: tuple[InductionStep, ...]
    self_assessment: tuple[AssurancePoint, ...]
    glossary: dict[str, str]

    def factor(self, number: int) -> Factor:
        return self.factors[number - 1]

    def question(self, question_id: str) -> Question:
        for factor in self.factors:
            for question in factor.questions:
                if question.id == question_id:
                    return question
        raise InputError(
            "question", question_id, "is not a question of the guidance (`los questions` lists them)"
        )

    def explain(self, term: str) -> str:
        """The meaning of an abbreviation, matched without regard to case (`cicc`, `CiCC`)."""
        for known, meaning in self.glossary.items():
            if known.casefold() == term.strip().casefold():
                return meaning
        raise InputError("term", term, "is not in the glossary (`los glossary` lists every term)")


@cache
def guidance() -> Guidance:
    data = tomllib.loads(files("los_tui.domain").joinpath("guidance.toml").read_text(encoding="utf-8"))
    factors = tuple(
        Factor(
            number=entry["number"],
            title=entry["title"],
            good_looks_like=tuple(entry["good_looks_like"]),
            questions=tuple(
                Question(f"{entry['number']}.{n}", entry["number"], text)
                for n, text in enumerate(entry["questions"], start=1)
            ),
        )
        for entry in data["factor"]
    )
    return Guidance(
        factors=factors,
        induction=tuple(InductionStep(e["step"], e["within_days"], e["text"]) for e in data["induction"]),
        self_assessment=tuple(
            AssurancePoint(e["item"], tuple(e["factors"]), e["text"]) for e in data["self_assessment"]
        ),
        glossary=dict(sorted(data["glossary"].items(), key=lambda item: item[0].casefold())),
    )


def parse_factors(field: str, value: str) -> tuple[int, ...]:
    """`3` or `1,5,7`: factor numbers, each 1 to 7, in order, no repeats."""
    numbers: list[int] = []
    for part in value.split(","):
        text = part.strip()
        if not (text.isascii() and text.isdigit()) or int(text) not in FACTOR_NUMBERS:
            raise InputError(field, value, "must be factor numbers from 1 to 7, separated by commas (1,5,7)")
        if int(text) not in numbers:
            numbers.append(int(text))
    return tuple(sorted(numbers))
