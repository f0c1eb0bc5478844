"""The annual line-of-sight statement as JSON, a terminal table, Markdown and one printable HTML page.

The differences a meeting made are the user's words written for reports, so they are always included;
notes never are (the statement carries none)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from los_tui.domain.assurance import AssuranceStatement
from los_tui.exports.report import markdown_text, render_template

ASSURANCE_SHAPES = ("table", "json", "md", "html")
CHART_WIDTH, CHART_HEIGHT, CHART_BAR = 560, 150, 16


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def assurance_data(statement: AssuranceStatement, tz: str) -> dict[str, Any]:
    """The statement as `los assurance --json` prints it."""
    zone = ZoneInfo(tz)
    return {
        "from": statement.period.first.isoformat(),
        "to": statement.period.last.isoformat(),
        "as_of": statement.as_of.astimezone(zone).isoformat(timespec="minutes"),
        "factors": [
            {
                "factor": f.factor.number,
                "title": f.factor.title,
                "meetings": f.meetings,
                "questions_asked": f.questions_asked,
                "answered": f.answered,
                "gap": f.gap,
                "by_month": [
                    {"month": f"{month.first:%Y-%m}", "meetings": meetings, "questions": asked}
                    for month, (meetings, asked) in zip(statement.months, f.by_month, strict=True)
                ],
                "commitments": list(f.commitments),
            }
            for f in statement.factors
        ],
        "commitments": [
            {
                "slug": a.commitment.slug,
                "title": a.commitment.title,
                "role": a.commitment.role.value,
                "expected": a.expected,
                "attended": a.attended,
                "rate": None if a.rate is None else round(a.rate, 4),
            }
            for a in statement.commitments
        ],
        "actions": {
            "raised": statement.actions.raised,
            "done": statement.actions.done,
            "open": statement.actions.open,
            "overdue": statement.actions.overdue,
        },
        "differences": [
            {
                "commitment": d.commitment_slug,
                "title": d.title,
                "start": d.start.astimezone(zone).isoformat(timespec="minutes"),
                "difference": d.text,
            }
            for d in statement.differences
        ],
        "self_assessment": [
            {
                "item": p.point.item,
                "text": p.point.text,
                "factors": list(p.point.factors),
                "meetings": p.meetings,
                "questions_asked": p.questions_asked,
                "evidenced": p.evidenced,
            }
            for p in statement.self_assessment
        ],
    }


def _period_line(statement: AssuranceStatement, tz: str) -> str:
    as_of = statement.as_of.astimezone(ZoneInfo(tz))
    return (
        f"{statement.period.first:%d %B %Y} to {statement.period.last:%d %B %Y}, as of {as_of:%d %B %Y %H:%M}"
    )


def assurance_table(statement: AssuranceStatement, tz: str) -> str:
    """The statement for a terminal: the factors, the gaps, the actions, then the differences."""
    lines = [f"Line-of-sight assurance: {_period_line(statement, tz)}", ""]
    lines.append(f"{'Factor':<48} {'Meetings':>8} {'Asked':>6} {'Answered':>8}  Gap")
    for f in statement.factors:
        title = f"{f.factor.number} {f.factor.title}"
        gap = "GAP" if f.gap else ""
        lines.append(f"{title:<48} {f.meetings:>8} {f.questions_asked:>6} {f.answered:>8}  {gap}")
    a = statement.actions
    lines += ["", f"Actions: {a.raised} raised, {a.done} done, {a.open} open, {a.overdue} overdue"]
    lines += ["", "What difference the meetings made:"]
    for d in statement.differences:
        lines.append(f"  {d.start.astimezone(ZoneInfo(tz)):%d %b %Y} {d.title}: {' '.join(d.text.split())}")
    if not statement.differences:
        lines.append("  None recorded.")
    return "\n".join(lines) + "\n"


def assurance_markdown(statement: AssuranceStatement, tz: str) -> str:
    lines = [
        "# Line-of-sight assurance statement",
        "",
        _period_line(statement, tz),
        "",
        "## The seven factors",
        "",
    ]
    lines += ["| Factor | Meetings | Questions asked | Answered | Gap |", "| --- | --- | --- | --- | --- |"]
    for f in statement.factors:
        gap = "**gap**" if f.gap else ""
        lines.append(
            f"| {f.factor.number} {markdown_text(f.factor.title)} | {f.meetings} | {f.questions_asked} "
            f"| {f.answered} | {gap} |"
        )
    a = statement.actions
    lines += ["", "## Actions", "", f"{a.raised} raised, {a.done} done, {a.open} open, {a.overdue} overdue."]
    lines += ["", "## What difference the meetings made", ""]
    for d in statement.differences:
        when = d.start.astimezone(ZoneInfo(tz))
        lines.append(f"- {when:%d %b %Y}, {markdown_text(d.title)}: {markdown_text(d.text)}")
    if not statement.differences:
        lines.append("None recorded.")
    lines += ["", "## Local test of assurance", ""]
    for p in statement.self_assessment:
        mark = "x" if p.evidenced else " "
        lines.append(
            f"- [{mark}] {markdown_text(p.point.text)} ({p.meetings} meetings, {p.questions_asked} questions)"
        )
    return "\n".join(lines) + "\n"


def _chart(statement: AssuranceStatement) -> dict[str, Any]:
    """Bars of expected and attended meetings by month, laid out for an inline SVG (no scripts)."""
    most = max((expected for expected, _ in statement.attendance_by_month), default=0) or 1
    step = CHART_WIDTH / max(len(statement.months), 1)
    scale = (CHART_HEIGHT - 30) / most
    bars = []
    for index, (month, (expected, attended)) in enumerate(
        zip(statement.months, statement.attendance_by_month, strict=True)
    ):
        x = index * step + 4
        bars.append(
            {
                "label": f"{month.first:%b}",
                "x": round(x, 1),
                "expected": expected,
                "attended": attended,
                "expected_height": round(expected * scale, 1),
                "attended_height": round(attended * scale, 1),
                "text_x": round(x + CHART_BAR, 1),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "base": CHART_HEIGHT - 18,
        "bar": CHART_BAR,
        "bars": bars,
    }


def assurance_html(statement: AssuranceStatement, tz: str) -> str:
    """One printable page for a scrutiny committee: coverage by factor and month, attendance by month,
    the actions, the differences made and the gaps."""
    return render_template(
        "assurance.html.j2",
        period=_period_line(statement, tz),
        year_label=f"{statement.period.first:%Y}/{statement.period.last:%y}",
        months=[f"{m.first:%b}" for m in statement.months],
        factors=statement.factors,
        gaps=statement.gaps,
        commitments=[
            {
                "title": a.commitment.title,
                "role": a.commitment.role.value.upper(),
                "expected": a.expected,
                "attended": a.attended,
                "rate": _rate(a.rate),
            }
            for a in statement.commitments
            if a.expected
        ],
        actions=statement.actions,
        differences=[
            {"when": f"{d.start.astimezone(ZoneInfo(tz)):%d %b %Y}", "title": d.title, "text": d.text}
            for d in statement.differences
        ],
        points=statement.self_assessment,
        chart=_chart(statement),
    )


def render_assurance(statement: AssuranceStatement, shape: str, tz: str) -> str:
    if shape == "json":
        import json

        return json.dumps(assurance_data(statement, tz), indent=2, ensure_ascii=False) + "\n"
    if shape == "md":
        return assurance_markdown(statement, tz)
    if shape == "html":
        return assurance_html(statement, tz)
    return assurance_table(statement, tz)
