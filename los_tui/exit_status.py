"""Exit statuses shared by the command line and the app: 0 done, 2 bad input (or a diary that cannot open)."""

EXIT_OK = 0
EXIT_INPUT = 2
