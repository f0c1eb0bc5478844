"""Writing what the user asked for from a screen (the review's report, the assurance statement, an .ics)
to the file they named, whole or not at all, and where such files go by default."""

from __future__ import annotations

from pathlib import Path

from los_tui.db.errors import StoreError
from los_tui.db.files import check_destination, write_atomically
from los_tui.domain.assurance import AssuranceStatement
from los_tui.domain.parsing import InputError
from los_tui.domain.review import ReviewReport
from los_tui.exports.report import render_report, shape_for_name


def default_folder() -> Path:
    """Where a file the user writes goes unless they say otherwise: their documents folder, or their
    home folder if the system has none."""
    from platformdirs import user_documents_path

    documents = user_documents_path()
    return documents if documents.is_dir() else Path.home()


def checked_report_path(path: Path) -> Path:
    """`path`, refused now as `write_report` would refuse it (its ending, its folder, a diary there), so a
    dialog can keep what was typed and say why rather than close and lose it."""
    if shape_for_name(path.name) is None:
        raise InputError("file name", path.name, "end the name in .html, .md, .csv or .json")
    return _writable(path)


def checked_statement_path(path: Path) -> Path:
    """`path`, refused now as `write_assurance` would refuse it (see checked_report_path)."""
    if ASSURANCE_ENDINGS.get(path.suffix.lower()) is None:
        raise InputError("file name", path.name, "end the name in .html, .md, .json or .txt")
    return _writable(path)


def _writable(path: Path) -> Path:
    try:
        check_destination(path, "file")
    except StoreError as exc:
        raise InputError(exc.field or "file", str(path), exc.reason) from None
    return path


def write_report(report: ReviewReport, path: Path, include_notes: bool) -> Path:
    """The review report in the shape its file name asks for (.html, .md, .csv or .json)."""
    shape = shape_for_name(path.name)
    if shape is None:
        raise InputError("file name", path.name, "end the name in .html, .md, .csv or .json")
    return write_atomically(path, render_report(report, shape, include_notes).encode("utf-8"), "file")


# The assurance statement's shape by the file name's ending, as `los assurance --format` names them.
ASSURANCE_ENDINGS = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".txt": "table"}


def write_assurance(statement: AssuranceStatement, path: Path, tz: str) -> Path:
    """The assurance statement, rendered as `los assurance` renders it, in the shape its name asks for."""
    shape = ASSURANCE_ENDINGS.get(path.suffix.lower())
    if shape is None:
        raise InputError("file name", path.name, "end the name in .html, .md, .json or .txt")
    from los_tui.exports.assurance import render_assurance  # Jinja2 only when a statement is written

    return write_atomically(path, render_assurance(statement, shape, tz).encode("utf-8"), "file")


def write_file(path: Path, data: bytes) -> Path:
    return write_atomically(path, data, "file")
