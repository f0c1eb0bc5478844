"""The quarterly review as data, CSV, Markdown and a printable HTML report for the board or scrutiny.

The user's words (titles, notes) are escaped for each format: CSV cells that a spreadsheet would read
as a formula get a leading apostrophe (`spreadsheet_safe`; terminal safety is domain.safe_text),
Markdown punctuation is backslash-escaped, HTML is rendered from Jinja2 templates (exports/templates)
that escape every value.
Notes are left out unless asked for: they can hold case information not meant for a board paper.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from functools import cache
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from los_tui.domain.review import Counts, Outcome, Rating, ReviewItem, ReviewReport

COUNT_NAMES = ("expected", "attended", "delegated", "missed", "cancelled", "unlogged", "upcoming")
# A cell starting with one of these is a formula to Excel, LibreOffice or Sheets (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEATMAP_MARKS = {Rating.COMPLETE: "✓", Rating.ON_TRACK: "○", Rating.AT_RISK: "!", Rating.OVERDUE: "✗"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|&~])")


def _when(moment: datetime, tz: str) -> str:
    return moment.astimezone(ZoneInfo(tz)).isoformat(timespec="minutes")


def item_data(item: ReviewItem, tz: str, include_notes: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": item.commitment.slug,
        "title": item.commitment.title,
        "role": item.commitment.role.value,
        "when": item.description,
        "start": _when(item.start, tz),
        "end": _when(item.end, tz),
        "outcome": item.outcome.value,
    }
    if include_notes:
        data["note"] = item.note
    return data


def review_data(report: ReviewReport, include_notes: bool = False) -> dict[str, Any]:
    """The review as `los review --json` prints it: every commitment once, then what was missed and
    what is unlogged."""
    review = report.review
    return {
        "from": review.period.first.isoformat(),
        "to": review.period.last.isoformat(),
        "as_of": _when(review.as_of, report.tz),
        "commitments": [
            {
                "slug": row.commitment.slug,
                "title": row.commitment.title,
                "role": row.commitment.role.value,
                "frequency": row.commitment.frequency.value,
                **_counts(row.counts),
                "rag": row.rating.value,
            }
            for row in review.rows
        ],
        "missed": [item_data(i, report.tz, include_notes) for i in review.items_with(Outcome.MISSED)],
        "unlogged": [item_data(i, report.tz, include_notes) for i in review.items_with(Outcome.UNLOGGED)],
    }


def _counts(counts: Counts) -> dict[str, int]:
    return {name: getattr(counts, name) for name in COUNT_NAMES}


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, made plain text with a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _notes(items: tuple[ReviewItem, ...]) -> str:
    return "\n".join(f"{item.description}: {item.note}" for item in items if item.note)


def review_csv(report: ReviewReport, include_notes: bool = False) -> str:
    """One row per commitment, with the same columns as the JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["slug", "title", "role", "frequency", *COUNT_NAMES, "rag", *(["notes"] if include_notes else [])]
    )
    for row in report.review.rows:
        c = row.commitment
        cells: list[str | int] = [c.slug, c.title, c.role.value, c.frequency.value]
        cells += [getattr(row.counts, name) for name in COUNT_NAMES]
        cells.append(row.rating.value)
        if include_notes:
            cells.append(_notes(row.items))
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in cells])
    return out.getvalue()


def markdown_text(text: str) -> str:
    """User text made literal in Markdown: punctuation escaped, kept on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _markdown_items(items: list[ReviewItem], include_notes: bool) -> list[str]:
    if not items:
        return ["None."]
    lines = []
    for item in items:
        c = item.commitment
        lines.append(
            f"- {markdown_text(item.description)}: {markdown_text(c.title)} ({c.role.value.upper()})"
        )
        if include_notes and item.note:
            lines.append(f"  - Note: {markdown_text(item.note)}")
    return lines


def _period_line(report: ReviewReport) -> str:
    review = report.review
    as_of = review.as_of.astimezone(ZoneInfo(report.tz))
    return f"{review.period.first:%d %B %Y} to {review.period.last:%d %B %Y}, as of {as_of:%d %B %Y %H:%M}"


def review_markdown(report: ReviewReport, include_notes: bool = False) -> str:
    review = report.review
    lines = [f"# Line of sight review: {report.title}", "", _period_line(report), "", "## Totals", ""]
    lines += _markdown_table(
        [n.capitalize() for n in COUNT_NAMES], [[str(v) for v in _counts(review.totals).values()]]
    )
    for role in report.roles:
        lines += ["", f"## {role.label}", ""]
        lines += _markdown_table(
            ["Commitment", "Frequency", *[n.capitalize() for n in COUNT_NAMES], "Rating"],
            [
                [markdown_text(r.commitment.title), r.commitment.frequency.label]
                + [str(v) for v in _counts(r.counts).values()]
                + [r.rating.label]
                for r in review.rows_for(role)
            ],
        )
    lines += ["", "## Missed", "", *_markdown_items(review.items_with(Outcome.MISSED), include_notes)]
    lines += ["", "## Not logged", "", *_markdown_items(review.items_with(Outcome.UNLOGGED), include_notes)]
    heatmap = report.heatmap
    lines += ["", "## The year at a glance", ""]
    lines += _markdown_table(
        ["Commitment", *[f"{m.first:%b}" for m in heatmap.months]],
        [
            [markdown_text(row.commitment.title), *[HEATMAP_MARKS[c] if c else "" for c in row.cells]]
            for row in heatmap.rows
        ],
    )
    legend = ", ".join(f"{mark} {rating.label.lower()}" for rating, mark in HEATMAP_MARKS.items())
    lines += ["", f"Each month: {legend}; blank where nothing was due."]
    return "\n".join(lines) + "\n"


def render_template(name: str, **context: Any) -> str:
    """A page from exports/templates, every value HTML-escaped unless the template says otherwise.

    Jinja2 is imported here, on the first HTML report, so no other command pays for loading it."""
    page: str = _environment().get_template(name).render(**context)
    return page


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("los_tui.exports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _html_item(item: ReviewItem, include_notes: bool) -> dict[str, str]:
    c = item.commitment
    note = item.note if include_notes and item.note else ""
    return {"when": item.description, "title": c.title, "role": c.role.value.upper(), "note": note}


def review_html(report: ReviewReport, include_notes: bool = False) -> str:
    """A self-contained page (styles inline, nothing fetched) that prints on A4 without a split row."""
    review = report.review
    heatmap = report.heatmap
    return render_template(
        "review.html.j2",
        title=report.title,
        period=_period_line(report),
        count_names=COUNT_NAMES,
        totals=list(_counts(review.totals).values()),
        roles=[
            {
                "label": role.label,
                "rows": [
                    {
                        "title": r.commitment.title,
                        "frequency": r.commitment.frequency.label,
                        "counts": list(_counts(r.counts).values()),
                        "colour": r.rating.colour,
                        "rating": r.rating.label,
                    }
                    for r in review.rows_for(role)
                ],
            }
            for role in report.roles
        ],
        lists=[
            ("Missed", [_html_item(i, include_notes) for i in review.items_with(Outcome.MISSED)]),
            ("Not logged", [_html_item(i, include_notes) for i in review.items_with(Outcome.UNLOGGED)]),
        ],
        months=[f"{m.first:%b}" for m in heatmap.months],
        heat_rows=[
            {
                "title": row.commitment.title,
                "cells": [
                    {"value": c.value, "label": c.label, "mark": HEATMAP_MARKS[c]} if c else None
                    for c in row.cells
                ],
            }
            for row in heatmap.rows
        ],
        legend=[{"value": r.value, "label": r.label, "mark": HEATMAP_MARKS[r]} for r in Rating],
    )


REPORT_SHAPES = ("json", "csv", "md", "html")
SHAPES_WITH_HEATMAP = ("md", "html")


def shape_for_name(name: str) -> str | None:
    """The report shape a file name asks for by its extension (report.HTML is html), or None."""
    shape = PurePath(name).suffix.lower().lstrip(".")
    return shape if shape in REPORT_SHAPES else None


def render_report(report: ReviewReport, shape: str, include_notes: bool = False) -> str:
    """The review as a file of the given shape: json, csv, md or html."""
    if shape == "json":
        return json.dumps(review_data(report, include_notes), indent=2, ensure_ascii=False) + "\n"
    if shape == "csv":
        return review_csv(report, include_notes)
    if shape == "md":
        return review_markdown(report, include_notes)
    if shape == "html":
        return review_html(report, include_notes)
    raise ValueError(f"no report shape {shape!r}")
