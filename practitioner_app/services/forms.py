"""Structured forms (the MARF, the early help assessment): start one filled in from the record,
save the draft, finalise it, amend a final form one answer at a time.

A form is a referral record with `form` naming its definition (domain/forms/). Finalising checks
every required answer first. Finalising is not sending: the share (what, with whom, why, on what
basis, with what consent — the seventh golden rule) is logged when the practitioner exports the
form to someone and says so (services/exports.py, issue 17).
"""

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from practitioner_app.domain import forms
from practitioner_app.domain.enums import ConcernStatus, EntryStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ReferralDetails
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.services import records
from practitioner_app.services.form_prefill import (
    PREFILL,
    concern_text,
    open_concerns,
)
from practitioner_app.services.people import child_summary
from practitioner_app.services.views import ChildSummary, EntryView
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.amendments import AmendmentRepository
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.concerns import ConcernRepository
from practitioner_app.store.repositories.entries import (
    ReferralRepository,
    SharingRepository,
)


@dataclass(frozen=True)
class LinkedConcern:
    id: str
    raised: date
    text: str  # "Neglect (high), open: summary"


@dataclass(frozen=True)
class FormView:
    """A form as the screens and the PDF show it."""

    entry: EntryView
    definition: forms.FormDefinition
    details: ReferralDetails
    child: ChildSummary
    progress: tuple[forms.SectionProgress, ...]
    gaps: tuple[forms.Gap, ...]
    concerns: tuple[LinkedConcern, ...]  # those linked, and the child's other concerns to offer

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def final(self) -> bool:
        return self.entry.status == EntryStatus.FINAL.value

    @property
    def complete_sections(self) -> int:
        return sum(p.complete for p in self.progress)


@dataclass(frozen=True)
class FormCopySent:
    """One copy of a form that went to someone, as the sharing log has it."""

    with_whom: str
    occurred_at: datetime
    final: bool  # the final version went; False: a draft


@dataclass(frozen=True)
class FormSummary:
    """One line of a child's list of forms; `copies` are who each copy went to, oldest first,
    from the sharing log (empty: not shared yet)."""

    id: str
    form: str
    title: str
    status: EntryStatus
    to_agency: str
    occurred_at: datetime
    recorded_at: datetime
    author: str
    complete_sections: int
    sections: int
    amended: bool
    copies: tuple[FormCopySent, ...] = ()


def _prefilled(
    ws: Workspace, session: Session, definition: forms.FormDefinition, child_id: str
) -> dict[str, str]:
    sections = {}
    for answer in definition.answers:
        if answer.prefill:
            text = PREFILL[answer.prefill](ws, session, child_id)
            if text:
                sections[answer.key] = text
    return sections


def prefill_text(ws: Workspace, child_id: str, form: str, answer_key: str) -> str:
    """What the record says now for one pre-filled answer: "fill from the record again"."""
    definition = forms.definition(form)
    answer = next((a for a in definition.answers if a.key == answer_key and a.prefill), None)
    if answer is None or answer.prefill is None:
        raise InvalidInput(f"The record does not fill in '{answer_key}'; write it yourself.")
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        return PREFILL[answer.prefill](ws, session, child_id)


# -- the form's life -------------------------------------------------------------------------------


def start(ws: Workspace, child_id: str, form: str, *, to_agency: str | None = None) -> FormView:
    """A new draft of the form for the child, filled in from what the record already holds and
    linked to the child's open concerns."""
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        return start_in(ws, session, child_id, form, to_agency=to_agency)


def start_in(
    ws: Workspace,
    session: Session,
    child_id: str,
    form: str,
    *,
    to_agency: str | None = None,
    carried: Mapping[str, str] | None = None,
) -> FormView:
    """`start` inside a unit of work. `carried` (answer key → text) goes first in its answer,
    before whatever the record fills in there (an alert's evidence, say)."""
    definition = forms.definition(form)
    sections = _prefilled(ws, session, definition, child_id)
    for key, text in (carried or {}).items():
        sections[key] = "\n\n".join(part for part in (text, sections.get(key)) if part)
    details = ReferralDetails(
        child_ids=(child_id,),
        occurred_at=now_utc(),
        to_agency=(to_agency or definition.default_to).strip(),
        form=definition.key,
        sections=sections,
        concern_ids=tuple(c.id for c in open_concerns(session, child_id))
        if any(a.kind is forms.AnswerKind.CONCERNS for a in definition.answers)
        else (),
    )
    entry = records.create_in(ws, session, details)
    return _form_view(session, entry, child_id)


def newest_draft_in(session: Session, child_id: str, form: str) -> e.Referral | None:
    """The child's most recent draft of this form, if any."""
    return next(
        (
            r
            for r in ReferralRepository(session).for_child(child_id, newest_first=True)
            if r.form == form and r.status is EntryStatus.DRAFT
        ),
        None,
    )


def carry_into_in(
    ws: Workspace,
    session: Session,
    entry: e.Referral,
    carried: Mapping[str, str],
    lists: Iterable[str] = ("concerns",),
) -> FormView:
    """A draft with each of `carried`'s answers added: an empty answer takes it whole. An answer
    already written keeps every word; if it is one of `lists` (answers that list items, one a
    line) it gains, at its end, the carried lines it does not have yet, so an injury behind an
    alert is among the concerns referred even when the draft already listed an older concern.
    Prose the practitioner wrote (the reason) is left as written."""
    details = _details(session, entry)
    child_id = details.child_ids[0]
    changed: dict[str, str] = {}
    for key, text in carried.items():
        if not text:
            continue
        written = (details.sections.get(key) or "").strip()
        if not written:
            changed[key] = text
            continue
        if key not in lists:
            continue
        have = {line.strip() for line in written.splitlines()}
        missing = [line for line in text.splitlines() if line.strip() and line.strip() not in have]
        if missing:
            changed[key] = written + "\n\n" + "\n".join(missing)
    if not changed:
        return _form_view(session, entry, child_id)
    details = dataclasses.replace(details, sections={**details.sections, **changed})
    return _form_view(
        session, records.edit_draft_in(ws, session, entry.id, _clean(details)), child_id
    )


def _check_answers(details: ReferralDetails, kept: set[str]) -> forms.FormDefinition:
    """Refuse answers the form does not have, except those it already held (an imported form
    may carry sections of another partnership's form: kept, and printed, never dropped)."""
    definition = forms.definition(details.form)
    forms.check_choices_and_dates(definition, details)
    unknown = set(details.sections) - set(definition.text_keys) - kept
    if unknown:
        raise InvalidInput(
            f"The {definition.short_title} has no answer called {sorted(unknown)[0]!r}; "
            "check the section names.",
            sorted(unknown)[0],
        )
    return definition


def _clean(details: ReferralDetails) -> ReferralDetails:
    """Blank answers are dropped, so an emptied section prints "No information available"."""
    sections = {k: v for k, v in details.sections.items() if v is not None and v.strip()}
    reason = details.reason_not_sought
    return dataclasses.replace(
        details,
        sections=sections,
        reason_not_sought=reason if reason and reason.strip() else None,
    )


def save(ws: Workspace, form_id: str, details: ReferralDetails) -> FormView:
    """Save the draft as it stands; a draft may be incomplete."""
    details = _clean(details)
    with ws.unit_of_work() as session:
        stored = _details(session, ReferralRepository(session).fetch(form_id))
        if details.form != stored.form:
            raise InvalidInput("A form cannot change into another kind of form; start a new one.")
        _check_answers(details, set(stored.sections))
        entry = records.edit_draft_in(ws, session, form_id, details)
        return _form_view(session, entry, details.child_ids[0])


def finalise(ws: Workspace, form_id: str) -> FormView:
    """Make the form final once every required answer is given. Making it final is not sending
    it: a share is logged only when the practitioner exports it to someone (services/exports)."""
    with ws.unit_of_work() as session:
        entry = ReferralRepository(session).fetch(form_id)
        details = _details(session, entry)
        definition = forms.definition(details.form)
        if entry.status is EntryStatus.FINAL:
            raise InvalidInput(f"This {definition.short_title} is already final.")
        forms.check_complete(definition, details)
        records.finalise_in(ws, session, RecordKind.REFERRAL, form_id)
        return _form_view(session, entry, details.child_ids[0])


def get(ws: Workspace, form_id: str) -> FormView:
    with ws.unit_of_work() as session:
        entry = ReferralRepository(session).fetch(form_id)
        details = _details(session, entry)
        return _form_view(session, entry, details.child_ids[0])


def for_child(ws: Workspace, child_id: str) -> list[FormSummary]:
    """The child's forms, newest first."""
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        found = ReferralRepository(session).for_child(child_id, newest_first=True)
        amended = AmendmentRepository(session).amended_ids(
            RecordKind.REFERRAL, [r.id for r in found]
        )
        copies: dict[str, list[FormCopySent]] = {}
        for share in SharingRepository(session).copies_of_forms([r.id for r in found]):
            assert share.referral_id is not None  # the query asks for copies of forms
            copies.setdefault(share.referral_id, []).append(
                FormCopySent(share.with_whom, share.occurred_at, bool(share.form_final))
            )
        result = []
        for r in found:
            definition = forms.FORMS.get(r.form, forms.MARF)
            progress = forms.progress(definition, _details(session, r))
            result.append(
                FormSummary(
                    id=r.id,
                    form=definition.key,
                    title=definition.title,
                    status=r.status,
                    to_agency=r.to_agency,
                    occurred_at=r.occurred_at,
                    recorded_at=r.recorded_at,
                    author=r.signature,
                    complete_sections=sum(p.complete for p in progress),
                    sections=len(progress),
                    amended=r.id in amended,
                    copies=tuple(copies.get(r.id, ())),
                )
            )
        return result


def _details(session: Session, entry: e.Referral) -> ReferralDetails:
    values = records.fields_of(session, RecordKind.REFERRAL, entry)
    values["child_ids"] = tuple(values["child_ids"])
    values["concern_ids"] = tuple(values["concern_ids"])
    values["sections"] = dict(values["sections"] or {})
    return ReferralDetails(**values)


def _form_view(session: Session, entry: e.Entry, child_id: str) -> FormView:
    assert isinstance(entry, e.Referral)
    details = _details(session, entry)
    definition = forms.FORMS.get(details.form, forms.MARF)
    concern_repository = ConcernRepository(session)
    statuses = concern_repository.statuses_now(child_id)
    linked = set(details.concern_ids)
    concerns = concern_repository.for_child(child_id)
    offered = [
        c for c in concerns if c.id in linked or statuses.get(c.id) is not ConcernStatus.CLOSED
    ]
    child = ChildRepository(session).fetch(child_id)
    return FormView(
        entry=records.view_of(session, RecordKind.REFERRAL, entry),
        definition=definition,
        details=details,
        child=child_summary(child),
        progress=forms.progress(definition, details),
        gaps=tuple(forms.gaps(definition, details)),
        concerns=tuple(
            LinkedConcern(c.id, uk_date(c.occurred_at), concern_text(c, statuses.get(c.id)))
            for c in offered
        ),
    )
