"""Command-line tests: `los` run in-process (the `los` and `seeded` fixtures) or as a child process, its
output read back by real parsers. Marked `cli`."""
