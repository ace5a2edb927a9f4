"""Offline, encrypted record-keeping for health visitors and social workers."""

__version__ = "0.1.0"
