"""TUI tests: the real Textual app driven with Pilot, and snapshots at 80x24 and 120x40 (shared helpers in
tests/tui_support.py). Marked `tui`."""
