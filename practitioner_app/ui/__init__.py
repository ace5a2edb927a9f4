"""The desktop app (PySide6). The only package that imports Qt; it reaches the vault only through services."""

APP_TITLE = "Practitioner Records"
