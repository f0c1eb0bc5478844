"""Domain tests: commitments, schedules, occurrences and the review as plain Python, with no screen and no
database. Marked `domain`; the fixtures they share live in tests/conftest.py."""
