"""The quarter's review printed from a real browser: A4 pages, no table cut mid-row or split from its
heading, no heading left at the foot of a page. Chromium prints the HTML `los review` writes to PDF and
pypdf reads the pages back.

Skipped where no Chromium is installed, except in CI (CI=true), where a missing browser fails."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from diary_testing import Result

MONTHLY = "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"
QUARTERLY = "FREQ=MONTHLY;INTERVAL=3;BYDAY=WE;BYSETPOS=1"
MONTHLY_LINES = [
    "lmcs-improvement-board",
    "dcs-improvement-board",
    "lmcs-performance-data",
    "dcs-performance-data",
    "lmcs-high-risk-cases",
    "lmcs-leader-portfolio-review",
    "dcs-case-audit",
    "dcs-psw-meeting",
    "dcs-practice-development-group",
    "dcs-how-is-it-for-you",
]
QUARTERLY_LINES = [
    "lmcs-psw-practice-audit",
    "lmcs-pulse-survey",
    "dcs-pulse-survey",
    "dcs-extended-management-meeting",
    "dcs-performance-review-meetings",
]
# Each table of the report: the heading over it and the title in its last row.
TABLES = {
    "Lead Member (LMCS)": "Serious Case and Learning Reviews update",
    "Director (DCS)": "Staff conference",
    "The year at a glance": "Staff conference",
}
HEADINGS = ["Totals", "Lead Member (LMCS)", "Director (DCS)", "Missed", "Not logged", "The year at a glance"]


def browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    if os.environ.get("CI"):
        pytest.fail("CI must check printing in a real browser: install chromium (see .ci/run)")
    pytest.skip("no Chromium on this machine to print the report with")


def print_to_pdf(page: Path, pdf: Path, profile: Path) -> None:
    command = [
        str(browser()),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert pdf.exists() and pdf.stat().st_size > 0, "Chromium printed nothing"


def page_texts(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page.extract_text())).strip()
        for page in PdfReader(pdf).pages
    ]


@pytest.fixture
def busy_quarter(seeded: Callable[..., Result]) -> Callable[..., Result]:
    """Fifteen lines of both roles scheduled, two board meetings logged: a real quarter's report."""
    for slug in MONTHLY_LINES:
        assert seeded("schedule", slug, "--rrule", MONTHLY, "--start", "2026-01-13T10:00").code == 0
    for slug in QUARTERLY_LINES:
        assert seeded("schedule", slug, "--rrule", QUARTERLY, "--start", "2026-01-07T14:00").code == 0
    assert seeded("log", MONTHLY_LINES[0], "--on", "2026-07-14", "--status", "attended").code == 0
    assert seeded("log", MONTHLY_LINES[0], "--on", "2026-08-11", "--status", "apologies").code == 0
    return seeded


@pytest.fixture
def printed(busy_quarter: Callable[..., Result], tmp_path: Path) -> list[str]:
    page = tmp_path / "q3.html"
    done = busy_quarter("review", "--quarter", "2026-Q3", "--format", "html", "-o", str(page))
    assert done.code == 0, done.err
    pdf = tmp_path / "q3.pdf"
    print_to_pdf(page, pdf, tmp_path / "profile")
    return page_texts(pdf)


def test_the_quarter_prints_on_at_most_three_a4_pages(printed: list[str]) -> None:
    assert 1 <= len(printed) <= 3


def test_no_table_is_split_from_its_heading_or_cut_across_pages(printed: list[str]) -> None:
    document = "\f".join(printed)
    for heading, last_row in TABLES.items():
        start = document.index(heading)
        end = document.index(last_row, start)
        assert "\f" not in document[start:end], f"the table under {heading!r} runs over a page"


def test_no_page_ends_on_a_heading(printed: list[str]) -> None:
    for number, text in enumerate(printed, start=1):
        for heading in HEADINGS:
            assert not text.endswith(heading), f"page {number} ends on the heading {heading!r}"


ASSURANCE_HEADINGS = [
    "The seven factors of effective safeguarding, month by month",
    "Attendance by month",
    "Commitments",
    "Actions",
    "What difference the meetings made",
    "Gaps",
    "Local test of assurance",
]


@pytest.fixture
def printed_assurance(busy_quarter: Callable[..., Result], tmp_path: Path) -> list[str]:
    board = MONTHLY_LINES[0]
    difference = "Agreed a caseload cap for the assessment team"
    assert (
        busy_quarter(
            "log", board, "--on", "2026-09-08", "--status", "attended", "--difference", difference
        ).code
        == 0
    )
    assert (
        busy_quarter("ask", board, "--on", "2026-09-08", "--question", "5.9", "--answer", "Quarterly").code
        == 0
    )
    page = tmp_path / "assurance.html"
    done = busy_quarter("assurance", "--year", "2026/27", "--format", "html", "-o", str(page))
    assert done.code == 0, done.err
    pdf = tmp_path / "assurance.pdf"
    print_to_pdf(page, pdf, tmp_path / "profile")
    return page_texts(pdf)


def test_the_assurance_statement_prints_with_its_factor_grid_whole_and_no_stranded_heading(
    printed_assurance: list[str],
) -> None:
    assert 1 <= len(printed_assurance) <= 3
    document = "\f".join(printed_assurance)
    start = document.index("The seven factors of effective safeguarding, month by month")
    end = document.index("7 Outcomes for service users", start)
    assert "\f" not in document[start:end], "the factor grid runs over a page"
    for number, text in enumerate(printed_assurance, start=1):
        for heading in ASSURANCE_HEADINGS:
            assert not text.endswith(heading), f"page {number} ends on the heading {heading!r}"
