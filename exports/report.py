"""The quarterly review as data, CSV, Markdown and a printable HTML report for the board or scrutiny.

The user's words (titles, notes) are escaped for each format: CSV cells that a spreadsheet would read
as a formula are neutralised, Markdown punctuation is backslash-escaped, HTML is entity-escaped.
Notes are left out unless asked for: they can hold case information not meant for a board paper.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import datetime
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from los_tui.domain.model import Role
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


def neutralise(cell: str) -> str:
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
        writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in cells])
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


_HTML_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; text-align: left; }
td.n { text-align: right; }
.rag { color: #fff; font-weight: bold; }
.green { background: #2e7d32; } .amber { background: #f9a825; color: #111; } .red { background: #c62828; }
.heat td { width: 1.6em; text-align: center; }
.complete { background: #2e7d32; color: #fff; } .on_track { background: #a5d6a7; }
.at_risk { background: #f9a825; } .overdue { background: #c62828; color: #fff; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_items(items: list[ReviewItem], include_notes: bool) -> str:
    if not items:
        return "<p>None.</p>"
    parts = ["<ul>"]
    for item in items:
        c = item.commitment
        note = f"<br><em>Note:</em> {_e(item.note)}" if include_notes and item.note else ""
        parts.append(f"<li>{_e(item.description)}: {_e(c.title)} ({_e(c.role.value.upper())}){note}</li>")
    parts.append("</ul>")
    return "".join(parts)


def _html_counts_table(report: ReviewReport, role: Role) -> str:
    head = "".join(f"<th>{_e(n.capitalize())}</th>" for n in COUNT_NAMES)
    rows = []
    for r in report.review.rows_for(role):
        counts = "".join(f'<td class="n">{v}</td>' for v in _counts(r.counts).values())
        rows.append(
            f"<tr><td>{_e(r.commitment.title)}</td><td>{_e(r.commitment.frequency.label)}</td>{counts}"
            f'<td class="rag {r.rating.colour}">{_e(r.rating.label)}</td></tr>'
        )
    return (
        f"<table><tr><th>Commitment</th><th>Frequency</th>{head}<th>Rating</th></tr>{''.join(rows)}</table>"
    )


def review_html(report: ReviewReport, include_notes: bool = False) -> str:
    """A self-contained page (styles inline, nothing fetched) that prints cleanly."""
    review = report.review
    totals = "".join(f'<td class="n">{v}</td>' for v in _counts(review.totals).values())
    sections = [
        f"<h1>Line of sight review: {_e(report.title)}</h1>",
        f"<p>{_e(_period_line(report))}</p>",
        "<h2>Totals</h2>",
        "<table><tr>"
        + "".join(f"<th>{_e(n.capitalize())}</th>" for n in COUNT_NAMES)
        + f"</tr><tr>{totals}</tr></table>",
    ]
    for role in report.roles:
        sections += [f"<h2>{_e(role.label)}</h2>", _html_counts_table(report, role)]
    sections += ["<h2>Missed</h2>", _html_items(review.items_with(Outcome.MISSED), include_notes)]
    sections += ["<h2>Not logged</h2>", _html_items(review.items_with(Outcome.UNLOGGED), include_notes)]
    heatmap = report.heatmap
    months = "".join(f"<th>{m.first:%b}</th>" for m in heatmap.months)
    rows = "".join(
        f"<tr><td>{_e(row.commitment.title)}</td>"
        + "".join(
            f'<td class="{c.value}" title="{_e(c.label)}">{HEATMAP_MARKS[c]}</td>' if c else "<td></td>"
            for c in row.cells
        )
        + "</tr>"
        for row in heatmap.rows
    )
    legend = " ".join(
        f'<span class="{r.value}">&nbsp;{HEATMAP_MARKS[r]}&nbsp;</span> {_e(r.label)}' for r in Rating
    )
    sections += [
        "<h2>The year at a glance</h2>",
        f'<table class="heat"><tr><th>Commitment</th>{months}</tr>{rows}</table>',
        f"<p>{legend}; blank where nothing was due.</p>",
    ]
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Line of sight review: {_e(report.title)}</title>\n<style>{_HTML_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
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
