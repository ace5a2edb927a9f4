"""Plain-English names of entry kinds and fields, shared by the screens and the PDFs."""

from datetime import datetime
from functools import lru_cache

from practitioner_app.case_caches import forget_at_lock
from practitioner_app.domain.kinds import KINDS, RecordKind
from practitioner_app.domain.times import uk_date

KIND_LABELS = {kind.value: spec.label for kind, spec in KINDS.items()}
FIELD_LABELS = {
    "child_id": "Child",
    "child_ids": "Children",
    "visit_id": "Seen at the visit",
    "visit_ids": "Visits",
    "observation_ids": "Observations",
    "concern_ids": "Concerns",
    "occurred_at": "Date and time",
    "time_known": "Time known",
    "kind": "Type",
    "outcome": "Outcome",
    "contact_type": "Mandated contact",
    "planned": "Planned",
    "child_seen": "Child seen",
    "child_seen_alone": "Seen alone",
    "present": "Who was present",
    "child_voice": "The child's voice",
    "notes": "Narrative",
    "category": "Category",
    "text": "Observation",
    "significant": "Significant",
    "weight_kg": "Weight (kg)",
    "length_cm": "Length or height (cm)",
    "head_circumference_cm": "Head circumference (cm)",
    "injury": "Injury",
    "level": "Level",
    "source": "Source",
    "summary": "Summary",
    "details": "Details",
    "concern_status": "Status when recorded",
    "closed_at": "Closed",
    "event": "What happened",
    "source_kind": "Type of source",
    "date_uncertain": "Date uncertain",
    "ended_at": "Ended",
    "significance": "Significance",
    "impact_on_child": "Impact on the child",
    "action": "Action",
    "to_agency": "Referred to",
    "form": "Form used",
    "sections": "Referral",
    "family_aware": "Family aware",
    "consent": "Consent",
    "reason_not_sought": "Why consent was not sought",
    "immediate_risk": "Immediate risk",
    "shared": "Shared",
    "with_whom": "With whom",
    "what": "What",
    "purpose": "Purpose",
    "lawful_basis": "Lawful basis",
    "reason": "Reason",
    # A mark on a body map (domain/body_marks.py).
    "observation_id": "Seen at the observation",
    "figure": "Body map",
    "side": "View",
    "x": "Position across",
    "y": "Position down",
    "region": "Site",
    "mark_kind": "What the mark is",
    "description": "Description",
    "width_cm": "Width (cm)",
    "shape": "Shape",
    "colours": "Colour(s)",
    "skin_broken": "Skin broken",
    "swelling": "Swelling",
    "explanation_given": "Explanation given",
    "explanation_by": "Explanation given by",
    "consistent_with_explanation": "Consistent with the explanation",
    "seen_by": "Who saw it",
    "referral_id": "Form shared",
    "form_final": "Final version shared",
}
# The same field name means different things on different kinds of entry.
KIND_FIELD_LABELS: dict[tuple[str, str], str] = {
    (RecordKind.VISIT, "kind"): "Type of visit",
    (RecordKind.CHRONOLOGY_EVENT, "kind"): "Type of event",
    (RecordKind.CONCERN, "category"): "Category of concern",
    (RecordKind.CONCERN, "outcome"): "Outcome",
    (RecordKind.SHARING_RECORD, "reason"): "Reason for the decision",
    (RecordKind.BODY_MARK, "length_cm"): "Length (cm)",
}


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, _words(kind))


def field_label(kind: str, field: str) -> str:
    # An amendment saying a photograph is wrong is recorded against "photograph.<its id>"
    # (domain/photographs.py AMENDMENT_PREFIX).
    if field.startswith("photograph."):
        return f"Photograph {field.removeprefix('photograph.')[:8]}"
    return KIND_FIELD_LABELS.get((kind, field)) or FIELD_LABELS.get(field) or _words(field)


# What is shown for provenance a source did not give (an imported record): never the importer's
# name or the day's midnight, which would be invented.
# Words a vocabulary value spells in lower case that people write otherwise (issue 17: "Fgm").
_AS_WRITTEN = {"fgm": "FGM", "gp": "GP", "nhs": "NHS", "bsl": "BSL", "mash": "MASH"}
# Whole values written otherwise than word by word.
_PHRASES = {"parent_child_interaction": "Parent–child interaction"}


def value_label(value: object) -> str:
    """A vocabulary value as people write it: 'was_not_brought' → 'Was not brought',
    'fgm' → 'FGM'. Accepts an enum member or its value."""
    raw = str(getattr(value, "value", value))
    if raw in _PHRASES:
        return _PHRASES[raw]
    words = raw.replace("_", " ").capitalize().split(" ")
    return " ".join(_AS_WRITTEN.get(word.casefold(), word) for word in words)


AUTHOR_NOT_RECORDED = "author not recorded by the source"
RECORDED_NOT_KNOWN = "recorded: not known"


@forget_at_lock
@lru_cache(maxsize=4096)  # a chronology signs thousands of rows with a handful of authors
def signature(name: str, role: str | None, agency: str | None, *, known: bool = True) -> str:
    """Who wrote something, as every screen and PDF prints it: "Asha Patel (Health visitor, …)";
    AUTHOR_NOT_RECORDED when the source did not say (`known` is the row's author_known)."""
    if not known:
        return AUTHOR_NOT_RECORDED
    details = ", ".join(part for part in (role, agency) if part)
    return f"{name} ({details})" if details else name


@forget_at_lock
@lru_cache(maxsize=4096)  # every entry of one import has the same line
def imported_line(imported_by: str, imported_at: datetime, imported_from: str) -> str:
    """ "imported by Asha Patel (…) on 03/05/2026 from Sam Lee (…)", the same on every screen and
    PDF that shows an imported record."""
    return f"imported by {imported_by} on {uk_date(imported_at):%d/%m/%Y} from {imported_from}"


def imported_note(
    imported_by: str | None, imported_at: datetime | None, imported_from: str | None
) -> str | None:
    """The imported line of a row's provenance columns, or None for a record written in this vault
    (imported_at is set on every imported row). A part the row lacks is said to be missing."""
    if imported_at is None:
        return None
    return imported_line(
        imported_by or "(importer not recorded)", imported_at, imported_from or "(source not named)"
    )
