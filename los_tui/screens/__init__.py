"""Screens and dialogs of the Textual app, one module per feature."""
