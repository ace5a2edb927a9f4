"""The DRAFT marking a draft's PDF carries on every page (issue 17): a large pale diagonal word
behind the content, so a printed or forwarded page can never pass for the final version. Kept
apart from pdf.py's page furniture, which calls it, so layout and fonts can change around it."""

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

DRAFT_WORD = "DRAFT"
# Pale enough to read the page through, strong enough to survive a photocopy.
DRAFT_COLOUR = colors.Color(0.75, 0.1, 0.1, alpha=0.18)


def draw_draft_mark(canvas: Canvas, pagesize: tuple[float, float], font: str) -> None:
    """Draw DRAFT across the middle of the page at 45 degrees, in `font` (a registered name)."""
    width, height = pagesize
    canvas.saveState()
    canvas.setFillColor(DRAFT_COLOUR)
    canvas.setFont(font, min(width, height) / 4.2)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -min(width, height) / 14, DRAFT_WORD)
    canvas.restoreState()
