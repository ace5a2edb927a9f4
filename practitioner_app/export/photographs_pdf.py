"""The photographs appendix of a PDF (issue 20): each photograph of the entries the document lists,
as kept (location and device data already removed), with what it is of, when it was taken, who
attached it and its SHA-256, so a reader can match the printed picture to the vault's record.

The picture goes to ReportLab from memory (a JPEG is embedded as it is, a PNG re-compressed);
nothing is written to disk but the PDF itself.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Paragraph, Spacer

from practitioner_app.domain.photographs import PhotographRecord, size_of
from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.export import pdf

# The largest a picture is printed: fits an A4 landscape page under the appendix title, with
# its caption below.
MAX_WIDTH = 160 * mm
MAX_HEIGHT = 85 * mm


@dataclass(frozen=True)
class PrintedPhotograph:
    """A photograph to print: its record, its bytes, and the entry it is of, in words
    ("Observation, 06/10/2026 11:30")."""

    record: PhotographRecord
    data: bytes
    of: str


def _fitted(data: bytes) -> tuple[float, float]:
    """The printed size in points: as large as fits, but never more than 0.5 mm a pixel, so a
    small picture stays small rather than blurred."""
    width, height = size_of(data)
    scale = min(MAX_WIDTH / width, MAX_HEIGHT / height, 0.5 * mm)
    return width * scale, height * scale


def _one(photo: PrintedPhotograph, number: int) -> Flowable:
    s = pdf.styles()
    record = photo.record
    width, height = _fitted(photo.data)
    taken = format_uk_datetime(record.captured_at) if record.captured_at else "not known"
    removed = [
        words
        for flag, words in (
            (record.location_removed, "location"),
            (record.device_removed, "camera make and model"),
        )
        if flag
    ]
    lines: list[tuple[str, str]] = [
        ("Of", pdf.text(photo.of)),
        ("Taken", pdf.text(taken)),
        (
            "Attached",
            pdf.text(f"{format_uk_datetime(record.attached_at)} by {record.attached_by}"),
        ),
        ("SHA-256", pdf.text(record.sha256)),
        ("Status", pdf.text("Final" if record.final else "DRAFT (not final)")),
    ]
    if removed:
        lines.append(("Removed", pdf.text("Removed before it was kept: " + ", ".join(removed))))
    if record.imported:
        lines.append(("Provenance", pdf.text(record.imported)))
    return KeepTogether(
        [
            Paragraph(f"Photograph {number}", s.heading),
            Image(io.BytesIO(photo.data), width=width, height=height, hAlign="LEFT"),
            Spacer(1, 2 * mm),
            pdf.key_values(lines, (28 * mm, 200 * mm)),
            Spacer(1, 6 * mm),
        ]
    )


def photographs_appendix(photos: Sequence[PrintedPhotograph]) -> list[Flowable]:
    """The appendix, on a new page; nothing when there are no photographs."""
    if not photos:
        return []
    s = pdf.styles()
    story: list[Flowable] = [
        PageBreak(),
        Paragraph("Appendix: photographs", s.title),
        pdf.para(
            pdf.text(
                "Each photograph as kept in the vault, with location and camera details removed. "
                "The SHA-256 identifies the kept file: the same photograph exported from the "
                "vault has the same SHA-256."
            ),
            s.note,
        ),
        Spacer(1, 3 * mm),
    ]
    story += [_one(photo, number) for number, photo in enumerate(photos, start=1)]
    return story
