"""Screens and dialogs of the Textual app."""
