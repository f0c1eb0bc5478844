"""Use cases: the one place the command line and the TUI both call, so they can never disagree."""
