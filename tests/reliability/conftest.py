"""Reliability tests: crashes, concurrent writers, disk faults and fuzzing (docs/RELIABILITY.md gives their
figures). Marked `reliability`; the long ones are also marked `slow`."""
