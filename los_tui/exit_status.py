"""Exit statuses shared by the command line and the app: 0 done, 2 bad input (or a diary that cannot open),
141 output stopped because its reader went away."""

EXIT_OK = 0
EXIT_INPUT = 2
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE: what the shell reports for a tool whose reader went away
