"""`python -m los_tui` runs the `los` command."""

from los_tui.cli import run

run()
