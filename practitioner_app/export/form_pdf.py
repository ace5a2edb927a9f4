"""A structured form (the MARF, the early help assessment) as a PDF, laid out from its definition.

A4 portrait: the form's title, its state (DRAFT or final) and who it goes to; an immediate-risk
warning when there is one; then every section in order, numbered, each answer under its label.
Nothing is silently blank: an answer not given prints "No information available". A final form
prints each answer as it was finalised, then its amendments beneath it (when, who, why).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from practitioner_app.domain import forms
from practitioner_app.domain.enums import Consent
from practitioner_app.domain.labels import RECORDED_NOT_KNOWN, value_label
from practitioner_app.domain.records import ChildDetails, ReferralDetails
from practitioner_app.domain.times import format_uk_date, format_uk_datetime
from practitioner_app.export import pdf
from practitioner_app.export.chronology_pdf import pieces
from practitioner_app.export.pdf import Progress, Provenance, text
from practitioner_app.export.pdf_tables import Block

PAGE = A4
WIDTH = PAGE[0] - 2 * pdf.MARGIN
WARNING = colors.HexColor("#B3261E")
WARNING_FILL = colors.HexColor("#FBEAEA")
AMENDMENT_FILL = colors.HexColor("#FFF6D6")
CONSENT_WORDS = {
    Consent.GIVEN: "Given",
    Consent.REFUSED: "Refused",
    Consent.NOT_SOUGHT: "Not sought",
}


@dataclass(frozen=True)
class FormAmendment:
    field: str  # "sections.<answer key>" or a column name
    new_value: str
    reason: str
    by: str
    at: datetime
    at_known: bool  # False: the source did not say when; `at` is then a stand-in
    imported: str | None  # "imported by … on … from …", None when written in this vault


@dataclass(frozen=True)
class FormDocument:
    """Everything the PDF says, gathered by the service."""

    definition: forms.FormDefinition
    details: ReferralDetails
    child: ChildDetails
    final: bool
    author: str
    started: datetime
    finalised_at: datetime | None
    linked_concerns: tuple[str, ...]  # "dd/mm/yyyy — Neglect (high), open: summary"
    amendments: tuple[FormAmendment, ...]
    imported: str | None  # "imported by … on … from …", None when written in this vault


def _moment(value: datetime) -> str:
    return format_uk_datetime(value)


def _styles() -> dict[str, ParagraphStyle]:
    s = pdf.styles()
    return {
        "label": ParagraphStyle(
            "label", parent=s.body, fontName=pdf.BOLD, fontSize=8.5, leading=11, spaceBefore=4
        ),
        # A hanging indent, so a wrapped line of a list (concerns, household) reads as one item.
        "value": ParagraphStyle(
            "value", parent=s.body, leftIndent=7 * mm, firstLineIndent=-3 * mm, spaceAfter=1
        ),
        "missing": ParagraphStyle(
            "missing", parent=s.note, fontSize=9, leading=12, leftIndent=4 * mm
        ),
        "section": ParagraphStyle(
            "section",
            parent=s.heading,
            textColor=colors.white,
            backColor=pdf.HEADER_FILL,
            borderPadding=4,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "help": s.note,
        "warning": ParagraphStyle(
            "warning", parent=s.body, fontName=pdf.BOLD, textColor=WARNING, fontSize=10, leading=13
        ),
        "small": s.small,
        "title": s.title,
    }


def _lines(value: str) -> list[str]:
    """Text as lines, long lines in pieces (chronology_pdf.pieces), so a page break never has to
    re-measure pages of text still to come."""
    # Only line feeds break lines: str.splitlines() also breaks at NEL, FS and the like, which
    # would drop them instead of showing them as [U+XXXX].
    return [piece for line in value.replace("\r\n", "\n").split("\n") for piece in pieces(line)]


def _paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """Text as one paragraph per line or piece of a long line."""
    return [_line(piece, style) for piece in _lines(value)]


def _line(piece: str, style: ParagraphStyle) -> Flowable:
    return pdf.para(text(piece) if piece.strip() else "&nbsp;", style)


def _missing(st: dict[str, ParagraphStyle]) -> Flowable:
    return pdf.para(forms.NO_INFORMATION, st["missing"])


def _answer_text(answer: forms.Answer, document: FormDocument) -> str | None:
    """The answer as words, or None when it was not given."""
    value = forms.answer_value(document.details, answer)
    if not forms.answered(value):
        return None
    if answer.kind is forms.AnswerKind.YES_NO:
        return "Yes" if value else "No"
    if answer.kind is forms.AnswerKind.CONSENT:
        assert isinstance(value, Consent)
        return CONSENT_WORDS[value]
    if answer.kind is forms.AnswerKind.DATE:
        day = forms.parse_date(str(value))
        return format_uk_date(day) if day else None
    if answer.kind is forms.AnswerKind.CONCERNS:
        return "\n".join(document.linked_concerns) or None
    if answer.kind is forms.AnswerKind.CHOICE:
        return answer.option_label(value)
    return str(value)


def _actions_table(value: str) -> Table:
    s = pdf.styles()
    rows = [
        [
            pdf.para(text(a.action), s.cell),
            pdf.para(text(a.who), s.cell),
            pdf.para(text(a.by_when), s.cell),
        ]
        for a in forms.parse_actions(value)
    ]
    table = pdf.long_table(
        ("Action", "Who", "By when"), rows, (WIDTH * 0.58, WIDTH * 0.24, WIDTH * 0.18 - 4 * mm)
    )
    table.hAlign = "RIGHT"
    return table


def _amendments(
    field: str, document: FormDocument, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    found: list[Flowable] = []
    for note in document.amendments:
        if note.field != field:
            continue
        when = f"{_moment(note.at)} " if note.at_known else ""
        # What the source did not say, and an import other than the form's own (an amendment
        # imported with the form would only repeat the heading's provenance).
        about = [] if note.at_known else [RECORDED_NOT_KNOWN]
        if note.imported and note.imported != document.imported:
            about.append(note.imported)
        aside = f" <i>({text('; '.join(about))})</i>" if about else ""
        # The reason and the new text in paragraphs of one line each, rows that can split across
        # pages: an amendment of any length prints (a reason of 1,500 words is 4 pages).
        reason = _lines(note.reason)
        lines = [
            pdf.para(
                f"<b>AMENDED</b> {text(when)}by {text(note.by)}{aside}. Reason: {text(reason[0])}",
                st["small"],
            ),
            *(_line(piece, st["small"]) for piece in reason[1:]),
            *_paragraphs(note.new_value or "(emptied)", st["small"]),
        ]
        box = Block(
            [[line] for line in lines], colWidths=[WIDTH - 8 * mm], hAlign="RIGHT", splitInRow=1
        )
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), AMENDMENT_FILL),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        found += [Spacer(1, 2), box]
    return found


def _section(number: int, section: forms.Section, document: FormDocument) -> list[Flowable]:
    st = _styles()
    heading = pdf.para(f"{number}. {text(section.title)}", st["section"])
    body: list[Flowable] = []
    live = [a for a in section.answers if forms.applies(a, document.details)]
    # A section's on-screen warning ("phone first") speaks to the writer, not the reader: the
    # PDF states the risk once, at the top.
    for answer in live:
        field = answer.key if answer.column else f"sections.{answer.key}"
        # The notes under a yes/no or consent answer share its key: label them as notes.
        body.append(pdf.para(text(answer.label), st["label"]))
        value = _answer_text(answer, document)
        if value is None:
            body.append(_missing(st))
        elif answer.kind is forms.AnswerKind.ACTIONS:
            body.append(_actions_table(value))
        else:
            body += _paragraphs(value, st["value"])
        body += _amendments(field, document, st)
    # Keep the heading with the start of what it heads.
    return [KeepTogether([heading, *body[:2]]), *body[2:]]


def _heading(document: FormDocument) -> list[Flowable]:
    st = _styles()
    definition, details = document.definition, document.details
    child = document.child
    if document.final:
        assert document.finalised_at is not None
        state = f"FINAL — finalised {_moment(document.finalised_at)}"
    else:
        state = "DRAFT — not finalised; it may still change"
    lines = [
        ("Child", text(f"{child.given_name} {child.family_name}")),
        (definition.sent_to_label, text(details.to_agency)),
        ("Completed by", text(document.author)),
        ("Started", text(_moment(document.started))),
        ("Status", f"<b>{text(state)}</b>"),
    ]
    if document.imported:
        lines.append(("Provenance", text(document.imported)))
    story: list[Flowable] = [
        pdf.para(text(definition.title), st["title"]),
        Spacer(1, 4),
        pdf.key_values(lines, (32 * mm, WIDTH - 32 * mm)),
    ]
    if details.immediate_risk:
        story += [
            Spacer(1, 6),
            pdf.para(
                "IMMEDIATE RISK: the referrer says this child is at immediate risk of significant harm.",
                st["warning"],
            ),
        ]
    return story


def _other_answers(document: FormDocument) -> list[Flowable]:
    """Answers an imported form carried that this definition does not name: kept and printed,
    never dropped."""
    known = set(document.definition.text_keys)
    extra = {
        k: v for k, v in document.details.sections.items() if k not in known and v and v.strip()
    }
    if not extra:
        return []
    st = _styles()
    story: list[Flowable] = [pdf.para("Other information on the form", st["section"])]
    for key, value in sorted(extra.items()):
        story.append(pdf.para(text(value_label(key)), st["label"]))
        story += _paragraphs(value, st["value"])
    return story


def form_pdf(
    document: FormDocument,
    provenance: Provenance,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    appendix: Sequence[Flowable] = (),
) -> tuple[bytes, int]:
    """The form's bytes and page count; `appendix` (the body maps) ends it."""
    story = _heading(document)
    for number, section in enumerate(document.definition.sections, start=1):
        story += _section(number, section, document)
    story += _other_answers(document)
    story.extend(appendix)
    size = sum(len(v or "") for v in document.details.sections.values())
    return pdf.render(
        story,
        provenance,
        pagesize=PAGE,
        subject=f"{document.definition.title}, for sharing with {document.details.to_agency}",
        password=password,
        progress=progress,
        expected_pages=2 + size // 4000,
    )


def section_titles(definition: forms.FormDefinition) -> Sequence[str]:
    return [f"{n}. {s.title}" for n, s in enumerate(definition.sections, start=1)]
