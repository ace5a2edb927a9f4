"""User text set inside the app's own sentences on screen, isolated when it needs it.

Qt lays a label out with the Unicode bidi algorithm over the whole string, so a right-to-left
override typed or pasted into a name and never closed (U+202E) reverses every word of the app's
after it, and an Arabic name pulls the punctuation after it into its own direction. Wrapped in
FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE (UAX #9, X5c and X6a), the user's text is laid
out on its own and everything it opened ends with it. Text with no right-to-left letter and no
direction character comes back unchanged.
"""

import re

# Right-to-left letters (Hebrew to Arabic Extended, presentation forms) and every explicit
# direction character: marks, embeddings, overrides, isolates.
_NEEDS_ISOLATING = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# The user's own isolates would close ours early, letting what follows them leak out.
_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def isolated(text: str) -> str:
    """`text` ready to be set inside an app sentence: isolated if it needs it, else as it is."""
    if not _NEEDS_ISOLATING.search(text):
        return text
    return f"\u2068{text.translate(_ISOLATES)}\u2069"


def signed(name: str, role: str | None, agency: str | None) -> str:
    """domain.labels.signature for a screen: each part the practitioner typed isolated."""
    details = ", ".join(isolated(part) for part in (role, agency) if part)
    return f"{isolated(name)} ({details})" if details else isolated(name)
