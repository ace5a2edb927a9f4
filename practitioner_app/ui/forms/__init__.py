"""Dialogs that record entries and people."""
