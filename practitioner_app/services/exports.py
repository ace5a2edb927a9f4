"""Documents the practitioner exports as PDFs: the vault's data gathered, laid out by export/,
written whole or not at all, and the export audited.

An exported PDF is the practitioner's deliberate plaintext copy (SECURITY.md 14): it is written
owner-only through a temp file beside it that never outlives the write, and nothing else is.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from practitioner_app.domain import passphrase as passphrase_policy
from practitioner_app.domain.chronology import ChronologyRow
from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind, spec
from practitioner_app.domain.sharing import FormCopy, Recipient, version_of
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.export.body_map_pdf import body_map_appendix
from practitioner_app.export.chronology_pdf import (
    AlertLine,
    ChronologyCover,
    born,
    child_name,
    chronology_pdf,
)
from practitioner_app.export.form_pdf import FormAmendment, FormDocument
from practitioner_app.export.form_pdf import form_pdf as lay_out_form
from practitioner_app.export.growth_pdf import growth_appendix
from practitioner_app.export.pdf import Progress, Provenance
from practitioner_app.export.photographs_pdf import photographs_appendix
from practitioner_app.services import (
    alerts,
    body_maps,
    casework,
    forms,
    growth,
    photographs,
    records,
)
from practitioner_app.services.chronology import build
from practitioner_app.services.copies import copy_out
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import audit
from practitioner_app.vault.files import refuse_inside, refuse_link


@dataclass(frozen=True)
class ChronologyExport:
    path: Path
    rows: int
    pages: int
    size: int
    protected: bool
    # Set when the PDF was written but the vault's full disk had no room for its audit line.
    unaudited: str | None = None


def _pdf_password(password: str | None) -> None:
    if password is None:
        return
    verdict = passphrase_policy.assess(password)
    if not verdict.accepted:
        raise InvalidInput(f"The PDF password is not strong enough: {verdict.reason}", "password")


def check_password(password: str | None) -> None:
    """A PDF password must pass the passphrase policy (InvalidInput naming why not)."""
    _pdf_password(password)


def check_destination(ws: Workspace, destination: Path) -> None:
    """Where a PDF may be written: a file name, not a link, in a folder that exists, outside the
    vault's own folder (a PDF written over the key file would lose the vault)."""
    refuse_link(destination)
    refuse_inside(ws.vault.paths.root, destination)
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder; give a file name for the PDF.")
    if not destination.parent.is_dir():
        raise InvalidInput(
            f"The folder {destination.parent} does not exist; create it or choose another."
        )


def _row_words(row: ChronologyRow) -> str:
    """A chronology row named for a photograph's caption: "Observation, 06/10/2026 11:30"."""
    when = format_uk_date(row.date) + (f" {row.time}" if row.time else "")
    return f"{spec(row.record_kind).label}, {when}"


def chronology(
    ws: Workspace,
    child_id: str,
    destination: Path,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    significant_only: bool = False,
    include_drafts: bool = False,
    recipient: Recipient | None = None,
    password: str | None = None,
    progress: Progress | None = None,
    include_photographs: bool = False,
) -> ChronologyExport:
    """Write the child's chronology as a PDF and audit the export. Going to a `recipient`, the
    share is logged as the practitioner gave it; None means kept for oneself, not a share.
    `include_photographs`: the photographs of the entries listed end it, as an appendix (off
    unless asked: a photograph leaves the vault only when the practitioner means it to)."""
    if date_from and date_to and date_to < date_from:
        raise InvalidInput("The end date is before the start date; swap the dates.", "date_to")
    if recipient is not None:
        recipient.validate()
    check_destination(ws, destination)
    _pdf_password(password)
    if progress:
        progress(0, 1, "Gathering the chronology")
    rows = build(
        ws,
        child_id,
        date_from=date_from,
        date_to=date_to,
        significant_only=significant_only,
        include_drafts=include_drafts,
    )
    view = casework.overview(ws, child_id)
    today = uk_date(now_utc())
    parents = tuple(
        f"{person.name} ({person.relationship})"
        for person in view.household
        if person.parental_responsibility and person.is_current(today)
    )
    lead = next(
        (p for p in view.professionals if p.lead and p.is_current(today)),
        None,
    )
    with ws.unit_of_work() as session:
        seq, head = audit.head(session)
    profile = ws.profile
    # The alerts as of the chronology's last day: a court chronology to March shows what the
    # records showed in March.
    alerts_as_of = date_to or today
    cover = ChronologyCover(
        alerts_as_of=alerts_as_of,
        alerts=tuple(
            AlertLine(
                severity=explained.alert.severity.value,
                title=explained.title,
                message=explained.alert.message,
                evidence_dates=tuple(
                    sorted({item.day for item in explained.evidence if item.day is not None})
                ),
                next_steps=explained.alert.next_steps,
            )
            for explained in alerts.explain(ws, child_id, alerts_as_of)
        ),
        child=view.details,
        age_now=view.age,
        parental_responsibility=parents,
        lead_professional=f"{lead.name}, {lead.role}, {lead.agency}" if lead else None,
        date_from=date_from,
        date_to=date_to,
        significant_only=significant_only,
        include_drafts=include_drafts,
    )
    provenance = Provenance(
        title="Chronology",
        subject_name=child_name(view.details),
        subject_born=born(view.details),
        made_by=profile.signature,
        made_at=now_utc(),
        audit_seq=seq,
        audit_hash=head,
    )
    # Growth ends the chronology as an appendix when the child has measurements (issue 20).
    measured = growth.report(ws, child_id, include_drafts=include_drafts, until=date_to)
    appendix = growth_appendix(growth.document(ws, measured)) if measured.points else []
    printed = (
        photographs.printed(ws, [(row.record_kind, row.record_id, _row_words(row)) for row in rows])
        if include_photographs
        else []
    )
    appendix += photographs_appendix(printed)
    # And the body maps of the period, each mark where it was placed (issue 20).
    maps = body_maps.of_child(
        ws, child_id, include_drafts=include_drafts, until=date_to, since=date_from
    )
    appendix += body_map_appendix(maps)
    data, pages = chronology_pdf(
        cover, rows, provenance, password=password, progress=progress, appendix=appendix
    )
    what = "Chronology (PDF" + (
        ", including draft entries marked DRAFT)" if include_drafts else ")"
    )
    unaudited = copy_out(
        ws,
        destination,
        data,
        "PDF",
        lambda: log_export(
            ws,
            destination,
            recipient,
            child_ids=(child_id,),
            what=what,
            audit_kind=None,
            audit_id=None,
            document="chronology_pdf",
            children=[child_id],
            rows=len(rows),
            protected=password is not None,
            photographs=[p.record.id for p in printed],
        ),
    )
    return ChronologyExport(
        destination, len(rows), pages, len(data), password is not None, unaudited
    )


@dataclass(frozen=True)
class FormExport:
    path: Path
    pages: int
    size: int
    protected: bool
    unaudited: str | None = None  # the sentence when the vault's disk had no room to audit it


def form_pdf(
    ws: Workspace,
    form_id: str,
    destination: Path,
    *,
    recipient: Recipient | None,
    password: str | None = None,
    progress: Progress | None = None,
) -> FormExport:
    """Write a form as a PDF and audit the export. Going to a `recipient`, the share is logged
    with their name, purpose, lawful basis and consent as the practitioner gave them and which
    version went (draft or final); None means kept for oneself, not a share. Whether it goes to
    someone is always the caller's choice (no default). A draft is marked DRAFT on every page."""
    check_destination(ws, destination)
    _pdf_password(password)
    if recipient is not None:
        recipient.validate()
    if progress:
        progress(0, 1, "Gathering the form")
    view = forms.get(ws, form_id)
    child = casework.overview(ws, view.child.id).details
    linked = set(view.details.concern_ids)
    document = FormDocument(
        definition=view.definition,
        details=view.details,
        child=child,
        final=view.final,
        author=view.entry.author,
        started=view.entry.occurred_at,
        finalised_at=view.entry.finalised_at,
        linked_concerns=tuple(
            f"{format_uk_date(c.raised)} — {c.text}" for c in view.concerns if c.id in linked
        ),
        amendments=tuple(
            FormAmendment(
                a.field,
                a.new_value or "",
                a.reason,
                a.author,
                a.recorded_at,
                a.recorded_at_known,
                a.imported,
            )
            for a in view.entry.amendments
        ),
        imported=view.entry.imported,
    )
    with ws.unit_of_work() as session:
        seq, head = audit.head(session)
    profile = ws.profile
    provenance = Provenance(
        title=view.definition.short_title[:1].upper()
        + view.definition.short_title[1:]
        + ("" if view.final else " — DRAFT"),
        subject_name=child_name(child),
        subject_born=born(child),
        made_by=profile.signature,
        made_at=now_utc(),
        audit_seq=seq,
        audit_hash=head,
        draft=not view.final,
    )
    maps = body_maps.for_referral(
        ws, view.child.id, view.details.concern_ids, view.entry.occurred_at, drafts=not view.final
    )
    data, pages = lay_out_form(
        document,
        provenance,
        password=password,
        progress=progress,
        appendix=body_map_appendix(maps),
    )
    unaudited = copy_out(
        ws,
        destination,
        data,
        "PDF",
        lambda: log_export(
            ws,
            destination,
            recipient,
            child_ids=view.details.child_ids,
            what=f"{view.definition.what_is_shared}, {version_of(view.final)} (PDF)",
            audit_kind=RecordKind.REFERRAL,
            audit_id=form_id,
            document=f"{view.definition.key}_pdf",
            protected=password is not None,
            form=FormCopy(form_id, view.final),
        ),
    )
    return FormExport(destination, pages, len(data), password is not None, unaudited)


def log_export(
    ws: Workspace,
    destination: Path,
    recipient: Recipient | None,
    *,
    child_ids: tuple[str, ...],
    what: str,
    audit_kind: str | None,
    audit_id: str | None,
    form: FormCopy | None = None,
    **audited: object,
) -> str | None:
    """Audit the export and, when it goes to someone, log the share, in one unit of work.

    Returns None once audited. A copy kept for oneself on a full vault disk stays, with the
    sentence saying the audit trail does not record it (Workspace.audit_copy_made); a share that
    cannot be logged does not stay (the sharing log must hold every share that was made)."""
    if recipient is None:
        return ws.audit_copy_made(
            AuditAction.EXPORT,
            record_kind=audit_kind,
            record_id=audit_id,
            shared=False,
            **audited,
        )
    try:
        with ws.unit_of_work() as session:
            share = recipient.share(child_ids, what, now_utc(), form)
            entry = records.create_in(ws, session, share)
            records.finalise_in(ws, session, RecordKind.SHARING_RECORD, entry.id)
            ws.audit(session, AuditAction.EXPORT, audit_kind, audit_id, shared=True, **audited)
    except BaseException:
        # A copy that left the vault without its entry in the sharing log must not stay behind.
        destination.unlink(missing_ok=True)
        raise
    return None
