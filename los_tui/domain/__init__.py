"""The diary's domain: commitments, schedules, occurrences and the rules over them (no UI, no storage)."""
