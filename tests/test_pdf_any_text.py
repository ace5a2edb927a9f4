"""No text a user can write stops a PDF (issue 18): long answers, long amendment reasons, long
names, text with no spaces, thousands of line breaks, every script mixed with numbers and
brackets, marks without a base, joiners, variation selectors and emoji. Hypothesis throws such
text into every field of the chronology, the MARF and the early help assessment; each PDF is
made whole and read back with pypdf, and every marker woven through the text comes back."""

import io
import re
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from practitioner_app.domain import forms
from practitioner_app.domain.chronology import AmendmentNote
from practitioner_app.domain.records import ChildDetails, ReferralDetails
from practitioner_app.export.chronology_pdf import ChronologyCover, chronology_pdf
from practitioner_app.export.form_pdf import FormAmendment, FormDocument, form_pdf
from tests.names import FAMILY_NAMES
from tests.test_pdf_scripts import PROVENANCE, row

AT = datetime(2025, 4, 16, 12, 0, tzinfo=UTC)
HARD = [
    *FAMILY_NAMES.values(),
    "\u0301",  # a combining mark with no base
    "a\u200db",  # a zero-width joiner
    "✌\ufe0f",  # a variation selector
    "👨\u200d👩\u200d👧",  # an emoji sequence
    "(محمد 12/03/2025 [علي])",  # right to left with numbers and brackets
    "\u202eevil\u202c",
    "16/04/2025",
    "\t",
]
MARKER = re.compile(r"M(\d{4})Z")

# Pieces of text: words from every script, runs with no space, line breaks by the thousand.
pieces = st.one_of(
    st.lists(st.sampled_from(HARD), min_size=1, max_size=30).map(" ".join),
    st.integers(1, 8_000).map(lambda n: "x" * n),
    st.integers(1, 2_000).map(lambda n: "\n" * n),
    st.integers(1, 300).map(lambda n: " ".join(["word"] * n)),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
)


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, int]:
    """A text and the number of markers (M0000Z, M0001Z, ...) woven into it, one per piece."""
    parts = draw(st.lists(pieces, min_size=1, max_size=6))
    return " ".join(f"{part} M{n:04d}Z" for n, part in enumerate(parts)), len(parts)


def markers(data: bytes) -> list[int]:
    reader = PdfReader(io.BytesIO(data))
    return sorted(int(m) for page in reader.pages for m in MARKER.findall(page.extract_text()))


CHILD = ChildDetails(given_name="Maya", family_name="Okafor", date_of_birth=date(2020, 1, 1))
FAST = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(texts(), st.sampled_from(["event", "source", "impact", "action", "reason", "name"]))
def test_any_text_in_any_chronology_field_prints_whole(text: tuple[str, int], field: str) -> None:
    value, count = text
    child = CHILD
    if field == "name":
        child = ChildDetails(given_name=value, family_name="Okafor", date_of_birth=date(2020, 1, 1))
        entry = row(0, "Seen.")
    elif field == "reason":
        note = AmendmentNote("What happened", value, value, "Asha", AT, True, None)
        entry = row(0, "Seen.", amended=True, amendments=(note,))
    else:
        entry = row(0, "Seen.") if field != "event" else row(0, value)
        if field != "event":
            entry = row(0, "Seen.", **{field: value})
    cover = ChronologyCover(child, "5y", (value,), value, None, None, False, False)
    data, pages = chronology_pdf(cover, [row(1, "Before."), entry, row(2, "After.")], PROVENANCE)
    assert len(PdfReader(io.BytesIO(data)).pages) == pages
    found = markers(data)
    # Every marker at least once (the cover repeats the text; an amendment prints it twice).
    assert set(found) == set(range(count))


@FAST
@given(texts(), st.sampled_from([forms.MARF, forms.EARLY_HELP]), st.booleans())
def test_any_answer_or_amendment_in_a_form_prints_whole(
    text: tuple[str, int], definition: forms.FormDefinition, amended: bool
) -> None:
    value, count = text
    keys = [
        a.key
        for a in definition.answers
        if not a.column and a.kind not in (forms.AnswerKind.ACTIONS, forms.AnswerKind.DATE)
    ]
    details = ReferralDetails(
        child_ids=("c1",),
        occurred_at=AT,
        to_agency=value,
        form=definition.key,
        # Three answers (the first, a middle one, the last) stand for all: each is laid out alike.
        sections=dict.fromkeys({keys[0], keys[len(keys) // 2], keys[-1]}, value),
    )
    amendments = (
        (FormAmendment(f"sections.{keys[0]}", value, value, "Asha", AT, True, None),)
        if amended
        else ()
    )
    document = FormDocument(
        definition=definition,
        details=details,
        child=ChildDetails(given_name=value[:2000], family_name="Okafor"),
        final=amended,
        author="Asha Patel",
        started=AT,
        finalised_at=AT if amended else None,
        linked_concerns=(value,),
        amendments=amendments,
        imported=None,
    )
    data, pages = form_pdf(document, PROVENANCE)
    assert len(PdfReader(io.BytesIO(data)).pages) == pages
    assert set(markers(data)) == set(range(count))


def test_a_row_cut_by_a_page_break_then_too_tall_for_a_page_still_prints() -> None:
    """The example the test above found once the table was laid out a page at a time (issue 19):
    a source cut at a page break, whose rest is still more than a page. The rest was given the
    whole row's height, so no page could take it (LayoutError)."""
    names = "অমিত কুমার রায় پریسا رضایی"
    parts = [" ".join(["word"] * 159), names, "\n" * 604, "x" * 1579, names, "\n" * 228]
    value = " ".join(f"{part} M{n:04d}Z" for n, part in enumerate(parts))
    entry = row(0, "Seen.", source=value)
    cover = ChronologyCover(CHILD, "5y", (), None, None, None, False, False)
    data, pages = chronology_pdf(cover, [row(1, "Before."), entry, row(2, "After.")], PROVENANCE)
    assert len(PdfReader(io.BytesIO(data)).pages) == pages
    assert set(markers(data)) == set(range(len(parts)))
