"""The app's screens, one module per feature: month, agenda, occurrence, commitments, search, help, review,
the calendar-file dialogs, and the small dialogs they share."""
