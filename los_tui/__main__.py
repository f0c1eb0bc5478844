"""`python -m los_tui` runs the `los` command."""

from los_tui.main import run

run()
