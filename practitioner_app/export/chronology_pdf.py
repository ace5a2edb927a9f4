"""The chronology as a PDF for case conferences and court (DOMAIN.md "The chronology").

A4 landscape: a cover block (who the child is, who holds parental responsibility, the lead
professional, the period and filters, entries by source agency), a legend, then one table row per
entry with where each fact came from and when it was written.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from practitioner_app.domain.chronology import ChronologyRow
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.labels import AUTHOR_NOT_RECORDED, RECORDED_NOT_KNOWN, value_label
from practitioner_app.domain.nhs_number import formatted as format_nhs_number
from practitioner_app.domain.records import ChildDetails
from practitioner_app.domain.times import format_uk_date, format_uk_datetime, now_utc, uk_date
from practitioner_app.export import pdf, scripts
from practitioner_app.export.pdf import Cell, Progress, Provenance, text
from practitioner_app.export.pdf_tables import Continued, continues, repeated

PAGE = landscape(A4)
COLUMNS = (
    # Date and age are plain text, which does not wrap: "to 30/04/2026" and "17y 11m" must fit.
    ("Date", 64),
    ("Age", 42),
    ("Event", 258),
    ("Source", 95),
    ("Significance and impact", 100),
    ("Action / outcome", 98),
    ("Recorded by / at", 116),
)
# Date and age are plain-text cells (see _date_cell), set in the table's own font.
PLAIN_CELLS = (
    ("FONT", (0, 1), (1, -1), pdf.REGULAR, 8, 10),
    ("TOPPADDING", (0, 1), (1, -1), 3.5),
)
LEGEND = (
    ("c.", "the date is uncertain: it is given as the source gave it."),
    ("Age", "the child's age on the date of the event."),
    ("LATE ENTRY", "written more than 24 hours after the event."),
    (
        "AMENDED",
        "corrected after it was made final. The original is printed first, untouched; each "
        "amendment follows with who made it, when and why.",
    ),
    ("DRAFT", "not yet made final by its author, so it may still change."),
    (
        "imported by … from …",
        "the entry came from another practitioner's records: who imported it, when, and from "
        "whom. Its author and times are as that source gave them.",
    ),
    (
        RECORDED_NOT_KNOWN,
        "the source did not say when the entry was written, so it is not marked late or on time.",
    ),
    (AUTHOR_NOT_RECORDED, "the source did not say who wrote the entry."),
    ("Red bar", "an entry of high significance."),
)
# "imported by … on … from …" under the recorded-by text: smaller, so it stays a footnote.
IMPORTED_STYLE = ParagraphStyle(
    "imported", fontName=pdf.ITALIC, fontSize=6.5, leading=8, textColor=colors.HexColor("#444444")
)
ROWS_PER_PAGE = 7  # for the progress estimate only
HUGE_ENTRY = 6_000  # characters: about two pages of the event column
PIECE = 2_500  # characters of a very long entry per table row


@dataclass(frozen=True)
class AlertLine:
    """One safeguarding alert as the chronology prints it."""

    severity: str  # "critical", "warning", "info"
    title: str
    message: str
    evidence_dates: tuple[date, ...]
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChronologyCover:
    """What the cover block says about the child and about this chronology."""

    child: ChildDetails
    age_now: str
    parental_responsibility: tuple[str, ...]  # "Name (relationship)"
    lead_professional: str | None  # "Name, role, agency"
    date_from: date | None
    date_to: date | None
    significant_only: bool
    include_drafts: bool
    alerts_as_of: date | None = None  # None: no alerts section
    alerts: tuple[AlertLine, ...] = ()


def child_name(child: ChildDetails) -> str:
    return f"{child.given_name} {child.family_name}"


def born(child: ChildDetails) -> str:
    if child.date_of_birth is not None:
        return f"Born {format_uk_date(child.date_of_birth)}"
    if child.expected_date is not None:
        return f"Unborn, expected {format_uk_date(child.expected_date)}"
    return ""


def _yes_no(value: bool | None) -> str:
    return "Not recorded" if value is None else ("Yes" if value else "No")


def _or_not_recorded(value: str | None) -> str:
    return text(value) if value else "<i>Not recorded</i>"


def _child_block(cover: ChronologyCover) -> list[tuple[str, str]]:
    child = cover.child
    dob = (
        f"{format_uk_date(child.date_of_birth)} (now {cover.age_now})"
        if child.date_of_birth
        else f"Unborn; expected {format_uk_date(child.expected_date)}"
        if child.expected_date
        else "Not recorded"
    )
    address = ", ".join(part for part in (child.address, child.postcode) if part)
    language = child.first_language or ""
    if child.interpreter_needed:
        language = f"{language} (interpreter needed)".strip()
    pairs = [
        ("Name", text(child_name(child))),
        *([("Preferred name", text(child.preferred_name))] if child.preferred_name else []),
        ("Other names", text(", ".join(child.other_names)) if child.other_names else "None"),
        ("Date of birth", text(dob)),
        (
            "NHS number",
            text(format_nhs_number(child.nhs_number)) if child.nhs_number else "Not recorded",
        ),
        ("Sex", text(value_label(child.sex))),
        ("Address", _or_not_recorded(address)),
        ("First language", _or_not_recorded(language)),
        ("GP", _or_not_recorded(child.gp)),
        ("School or setting", _or_not_recorded(child.school)),
    ]
    if child.communication:
        pairs.insert(
            pairs.index(("GP", _or_not_recorded(child.gp))),
            ("Communicates by", text(child.communication)),
        )
    # With its dates: a court reads injuries against when the baby could move.
    mobility = child.mobility(uk_date(now_utc()))
    if mobility:
        pairs.append(("Mobility", text(mobility)))
    return pairs


def _period(cover: ChronologyCover, rows: Sequence[ChronologyRow]) -> str:
    if cover.date_from is None and cover.date_to is None:
        if not rows:
            return "Everything recorded (nothing yet)"
        return f"Everything recorded: {format_uk_date(rows[0].date)} to {format_uk_date(rows[-1].date)}"
    start = format_uk_date(cover.date_from) if cover.date_from else "the first entry"
    end = format_uk_date(cover.date_to) if cover.date_to else "the latest entry"
    return f"{start} to {end}"


def _filters(cover: ChronologyCover) -> str:
    parts = [
        "Significant entries only"
        if cover.significant_only
        else "All entries, routine and significant",
        "drafts included and marked DRAFT" if cover.include_drafts else "final entries only",
    ]
    return "; ".join(parts)


def agency_counts(rows: Sequence[ChronologyRow]) -> list[tuple[str, int]]:
    """Entries by source agency, most first; agencies written differently but alike count once."""
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for row in rows:
        agency = (row.agency or row.source or "Not recorded").strip() or "Not recorded"
        key = agency.casefold()
        names.setdefault(key, agency)
        counts[key] = counts.get(key, 0) + 1
    return sorted(((names[k], n) for k, n in counts.items()), key=lambda item: (-item[1], item[0]))


def _cover(cover: ChronologyCover, rows: Sequence[ChronologyRow]) -> list[Flowable]:
    s = pdf.styles()
    half = (PAGE[0] - 2 * pdf.MARGIN) / 2 - 6 * mm
    about_case = [
        (
            "Parental responsibility",
            "<br/>".join(text(p) for p in cover.parental_responsibility)
            or "<i>No one is recorded as holding parental responsibility</i>",
        ),
        (
            "Lead professional",
            text(cover.lead_professional)
            if cover.lead_professional
            else "<i>No lead professional is recorded</i>",
        ),
        ("Period covered", text(_period(cover, rows))),
        ("Entries shown", text(_filters(cover))),
    ]
    left = _child_block(cover)
    # One row per pair of lines rather than two nested tables: a row can split across pages, so
    # no amount of text in the cover can make it too tall to print.
    lines = max(len(left), len(about_case))
    left += [("", "")] * (lines - len(left))
    about_case += [("", "")] * (lines - len(about_case))
    blocks = pdf.key_values(
        [(*a, *b) for a, b in zip(left, about_case, strict=True)],
        (32 * mm, half - 32 * mm, 40 * mm, half - 40 * mm),
    )
    by_agency = pdf.key_values(
        [("Entries by source", f"{len(rows)} in all")]
        + [("", f"{text(name)}: {n}") for name, n in agency_counts(rows)],
        (32 * mm, 2 * half - 32 * mm),
    )
    legend = pdf.para(
        "<b>Reading this chronology.</b> "
        + " ".join(f"<b>{text(key)}</b>: {text(meaning)}" for key, meaning in LEGEND),
        s.note,
    )
    return [
        pdf.para(f"Chronology for {text(child_name(cover.child))}", s.title),
        Spacer(1, 3 * mm),
        *_alerts(cover),
        blocks,
        Spacer(1, 2 * mm),
        by_agency,
        Spacer(1, 3 * mm),
        legend,
        Spacer(1, 4 * mm),
    ]


ALERT_COLUMNS = (
    ("Severity", 62),
    ("Alert", 130),
    ("What the records show", 402),
    ("Evidence dates", 171),
)
SEVERITY_COLOUR = {"critical": "#B3261E", "warning": "#8A5300", "info": "#2F4F6F"}


def _alerts(cover: ChronologyCover) -> list[Flowable]:
    """The "Alerts as of <date>" section the chronology opens with: prompts, not findings."""
    if cover.alerts_as_of is None:
        return []
    s = pdf.styles()
    heading = pdf.para(f"Alerts as of {format_uk_date(cover.alerts_as_of)}", s.heading)
    note = pdf.para(
        "Patterns that serious case reviews keep finding missed, checked in this vault's records "
        "up to that date. Each is a prompt to professional judgement, not a finding.",
        s.note,
    )
    if not cover.alerts:
        return [heading, note, pdf.para("No alerts.", s.body), Spacer(1, 4 * mm)]
    lines: list[list[Flowable | str]] = []
    for alert in cover.alerts:
        what = text(alert.message)
        if alert.next_steps:
            what += f"<br/><b>Next steps:</b> {text('; '.join(alert.next_steps))}."
        dates = ", ".join(format_uk_date(day) for day in alert.evidence_dates)
        lines.append(
            [
                pdf.para(
                    f'<font color="{SEVERITY_COLOUR.get(alert.severity, "#000000")}">'
                    f"<b>{text(alert.severity.upper())}</b></font>",
                    s.cell,
                ),
                pdf.para(text(alert.title), s.cell_bold),
                pdf.para(what, s.cell),
                pdf.para(text(dates or "—"), s.cell),
            ]
        )
    table = pdf.long_table(
        [title for title, _ in ALERT_COLUMNS], lines, [w for _, w in ALERT_COLUMNS]
    )
    return [heading, note, Spacer(1, 2 * mm), table, Spacer(1, 5 * mm)]


def _date_cell(row: ChronologyRow) -> str:
    """Plain text, not a Paragraph: the app writes it, so there is nothing to escape or wrap, and
    a plain cell costs a fraction of a Paragraph to lay out."""
    day = format_uk_date(row.date)
    if row.date_uncertain:
        day = f"c. {day}"
    if row.end_date is not None and row.end_date != row.date:
        day = f"{day}\nto {format_uk_date(row.end_date)}"
    if row.time:
        day = f"{day}\n{row.time}"
    return day


def _event_cell(row: ChronologyRow, event: str, first: bool, last: bool) -> str:
    parts = []
    if first and row.status == EntryStatus.DRAFT:
        parts.append("<b>DRAFT</b> ")
    parts.append(text(event))
    for note in row.amendments if last else ():
        when = f"{format_uk_datetime(note.at)} " if note.at_known else ""
        # What the source did not say, and an import other than the entry's own (an amendment
        # imported with its entry would only repeat the entry's imported line).
        about = [] if note.at_known else [RECORDED_NOT_KNOWN]
        if note.imported and note.imported != row.imported:
            about.append(note.imported)
        aside = f" <i>({text('; '.join(about))})</i>" if about else ""
        parts.append(
            f"<br/><b>AMENDED</b> {when}by {text(note.by)}{aside}. "
            f"<i>{text(note.field)}</i> now reads: "
            f"“{text(note.new_value)}”. Reason: {text(note.reason)}"
        )
    return "".join(parts)


def _significance_cell(row: ChronologyRow, impact: str, first: bool) -> str:
    parts = []
    if first and row.significance:
        parts.append(f"<b>{text(row.significance.capitalize())}</b>")
    if impact:
        parts.append(text(impact))
    return "<br/>".join(parts)


def _source_cell(row: ChronologyRow, source: str, last: bool) -> str:
    if last and row.source_kind and row.source_kind != "other":
        kind = text(value_label(row.source_kind))
        return f"{text(source)}<br/><i>{kind}</i>"
    return text(source)


def _recorded_cell(row: ChronologyRow) -> list[Flowable]:
    """Who wrote the entry and when (or that the source did not say), its marks, then where an
    imported entry came from in smaller type: it is long, and the same on many rows."""
    when = format_uk_datetime(row.recorded_at) if row.recorded_at_known else RECORDED_NOT_KNOWN
    parts = [text(row.recorded_by), text(when)]
    marks = [
        mark
        for mark, present in (
            ("LATE ENTRY", row.late),
            ("AMENDED", row.amended),
            ("DRAFT", row.status == EntryStatus.DRAFT),
        )
        if present
    ]
    if marks:
        parts.append(f"<b>{' · '.join(marks)}</b>")
    cell: list[Flowable] = [pdf.para("<br/>".join(parts), pdf.styles().cell)]
    if row.imported:
        cell.append(pdf.para(text(row.imported), IMPORTED_STYLE))
    return cell


def pieces(value: str | None) -> list[str]:
    """Long text cut into pieces of at most PIECE characters: at a line break if there is one in
    the second half of the piece, else between words, else (one word longer than that) between
    characters, never inside a date, a number or a character with its marks. Nothing is lost:
    the pieces joined are the text."""
    rest = value or ""
    found = []
    while len(rest) > PIECE:
        cut = _cut(rest)
        found.append(rest[:cut])
        rest = rest[cut:]
    found.append(rest)
    return found


def _cut(rest: str) -> int:
    line = rest.rfind("\n", PIECE // 2, PIECE)
    if line > 0:
        return line + 1
    space = max(rest.rfind(" ", PIECE // 2, PIECE), rest.rfind("\t", PIECE // 2, PIECE))
    if space > 0:
        return space + 1
    cut = PIECE
    while cut > PIECE // 2 and not scripts.may_cut_before(rest, cut):
        cut -= 1
    return cut if cut > PIECE // 2 else PIECE


def _continued() -> Flowable:
    return pdf.para("<i>(continued)</i>", pdf.styles().cell)


def table_rows(row: ChronologyRow) -> list[list[Cell]]:
    """The table rows of one entry: one, or for a very long entry one per piece of its text.

    Each page break inside a table row re-measures all the text still to come in that row, so a
    fifty-page entry in one row costs fifty times itself; in pieces, each costs only itself."""
    cell = pdf.styles().cell
    events, sources = pieces(row.event), pieces(row.source)
    impacts, actions = pieces(row.impact), pieces(row.action)
    count = max(len(events), len(sources), len(impacts), len(actions))
    lines: list[list[Cell]] = []
    for i in range(count):
        first, last = i == 0, i == count - 1

        def part(found: list[str], i: int = i) -> str:
            return found[i] if i < len(found) else ""

        day = Continued(_date_cell(row), marked=row.significance == "high")
        event = pdf.para(_event_cell(row, part(events), first, last), cell)
        lines.append(
            [
                day if first else repeated(day),
                pdf.plain(row.age) if first else "",
                [continues(event if first else _continued(), _continued)]
                + ([] if first else [event]),
                pdf.para(_source_cell(row, part(sources), last), cell),
                pdf.para(_significance_cell(row, part(impacts), first), cell),
                pdf.para(text(part(actions)), cell),
                _recorded_cell(row) if first else "",
            ]
        )
    return lines


def _size(row: ChronologyRow) -> int:
    return sum(len(part or "") for part in (row.event, row.source, row.impact, row.action)) + sum(
        len(note.new_value) + len(note.reason) for note in row.amendments
    )


def _tables(rows: Sequence[ChronologyRow]) -> list[Flowable]:
    """The rows as one table, except that an entry of many pages gets a table of its own.

    Each page break inside a table re-measures every row still to come, so a fifty-page entry in
    the middle of two thousand rows would cost fifty times the rest; alone, it costs only itself.
    The table after it starts mid-page with the column headings again."""
    groups: list[list[ChronologyRow]] = [[]]
    for row in rows:
        if _size(row) > HUGE_ENTRY:
            groups.extend([[row], []])
        else:
            groups[-1].append(row)
    return [
        pdf.streamed_table(
            [title for title, _ in COLUMNS],
            # A generator: each entry's cells are made when its page is laid out.
            (line for row in group for line in table_rows(row)),
            [width for _, width in COLUMNS],
            PLAIN_CELLS,
        )
        for group in groups
        if group
    ]


def chronology_pdf(
    cover: ChronologyCover,
    rows: Sequence[ChronologyRow],
    provenance: Provenance,
    *,
    password: str | None = None,
    progress: Progress | None = None,
    appendix: Sequence[Flowable] = (),
) -> tuple[bytes, int]:
    """The chronology document's bytes and page count; `appendix` (the growth charts) ends it."""
    s = pdf.styles()
    story: list[Flowable] = _cover(cover, rows)
    if rows:
        story.extend(_tables(rows))
    else:
        story.append(pdf.para("No entries in this period.", s.body))
    story.extend(appendix)
    return pdf.render(
        story,
        provenance,
        pagesize=PAGE,
        subject="Chronology of significant events, for a child protection case conference or court",
        password=password,
        progress=progress,
        expected_pages=1 + len(rows) // ROWS_PER_PAGE,
    )
