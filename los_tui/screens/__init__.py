"""The app's screens: month, agenda, occurrence, commitments, search, help and their dialogs."""
