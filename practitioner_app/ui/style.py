"""Colours and styles shared by screens that must stay quick to import (the unlock screen)."""

ERROR_STYLE = "color: palette(bright-text); background: #b3261e; padding: 4px; border-radius: 3px;"
# The DEMO label is yellow on every screen, in light and dark palettes alike.
DEMO_STYLE = "background: #f2c94c; color: black; padding: 6px; font-weight: bold;"
