"""Growth: the child's measurements on UK-WHO charts, the checks a new measurement must pass
before it is saved, and the growth PDF.

Every chart is built once here (domain/growth/chart.py) and drawn as it is by the window and the
PDFs. Drafts are plotted (marked DRAFT in their readout), and a measurement corrected by an
amendment is plotted at its corrected value.
"""

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from practitioner_app.domain.enums import Sex
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.growth.ages import Gestation, gestation_of
from practitioner_app.domain.growth.chart import (
    GrowthChart,
    GrowthChild,
    GrowthPoint,
    Measurement,
    build_chart,
    points_of,
    what_the_chart_needs,
)
from practitioner_app.domain.growth.plausibility import check_plausible
from practitioner_app.domain.growth.reference import Measure
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.domain.sharing import Recipient
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.export.chronology_pdf import born, child_name
from practitioner_app.export.growth_pdf import GrowthDocument, growth_pdf
from practitioner_app.export.pdf import Provenance
from practitioner_app.services.casework import child_details
from practitioner_app.services.copies import copy_out
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import audit
from practitioner_app.store.people import Child
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.growth import GrowthRepository

# The charts a report holds, in the red book's order; weight is always drawn.
MEASURES = (Measure.WEIGHT, Measure.HEIGHT, Measure.HEAD, Measure.BMI)


@dataclass(frozen=True)
class GrowthReport:
    """A child's growth: what the charts need (`notice`), the charts, and every point."""

    child_id: str
    child_name: str
    born: str  # as printed: "03/05/2025" or "due 03/05/2025"
    sex: Sex
    date_of_birth: date | None
    gestation: Gestation | None
    notice: str | None  # the sentence saying what the chart needs; None when it can be drawn
    charts: tuple[GrowthChart, ...]
    points: tuple[GrowthPoint, ...]  # all measures, in date order


def _growth_child(child: Child) -> GrowthChild:
    return GrowthChild(
        child.sex, child.date_of_birth, gestation_of(child.gestation_weeks, child.gestation_days)
    )


def check_measurement(session: Session, details: ObservationDetails, *, confirmed: bool) -> None:
    """Before an observation with a measurement is saved: refuse one dated before the child's
    birth (InvalidInput), and ask about an implausible one (ImplausibleMeasurement) unless the
    practitioner has `confirmed` it."""
    if (details.weight_kg, details.length_cm, details.head_circumference_cm) == (None,) * 3:
        return
    child = ChildRepository(session).get(details.child_id)
    if child is None:
        return  # the links check names the missing child
    on = uk_date(details.occurred_at)
    if child.date_of_birth is not None and on < child.date_of_birth:
        raise InvalidInput(
            f"The measurement is dated {on:%d/%m/%Y}, before the child's date of birth "
            f"({child.date_of_birth:%d/%m/%Y}); check the date.",
            "occurred_at",
        )
    if not confirmed:
        check_plausible(
            _growth_child(child),
            Measurement(
                "new", on, details.weight_kg, details.length_cm, details.head_circumference_cm
            ),
        )


def report(
    ws: Workspace, child_id: str, *, include_drafts: bool = True, until: date | None = None
) -> GrowthReport:
    """The child's growth charts and points (InvalidInput if there is no such child). A document
    with its own limits (a chronology to a date, without drafts) passes them on: `until` keeps
    measurements on or before that UK date, and drafts are left out unless `include_drafts`."""
    with ws.unit_of_work() as session:
        child = ChildRepository(session).get(child_id)
        if child is None:
            raise InvalidInput(f"There is no child with id {child_id}; check the id.")
        details = child_details(child)
        growing = _growth_child(child)
        measured = [
            Measurement(
                m.id,
                uk_date(m.occurred_at),
                m.weight_kg,
                m.length_cm,
                m.head_circumference_cm,
                m.draft,
            )
            for m in GrowthRepository(session).measurements(child_id)
            if (include_drafts or not m.draft)
            and (until is None or uk_date(m.occurred_at) <= until)
        ]
    notice = what_the_chart_needs(growing)
    points: list[GrowthPoint] = []
    charts: list[GrowthChart] = []
    for measure in MEASURES:
        chart = build_chart(growing, measured, measure)
        notice = notice or chart.notice
        if measure is Measure.WEIGHT or chart.marks:
            charts.append(chart)
        # Listed even when the chart cannot be drawn (no sex recorded: no centile), so what was
        # measured is never hidden; only a measurement dated before birth stops the list.
        if growing.date_of_birth is not None:
            with contextlib.suppress(InvalidInput):
                points += points_of(growing, measured, measure)
    return GrowthReport(
        child_id,
        child_name(details),
        born(details),
        growing.sex,
        growing.date_of_birth,
        growing.gestation,
        notice,
        tuple(charts),
        tuple(sorted(points, key=lambda p: (p.on, MEASURES.index(p.measure)))),
    )


def document(ws: Workspace, growth: GrowthReport) -> GrowthDocument:
    return GrowthDocument(
        child_name=growth.child_name,
        born=growth.born,
        sex=growth.sex.value,
        gestation=str(growth.gestation) if growth.gestation else "not recorded",
        notice=growth.notice,
        charts=growth.charts,
        points=growth.points,
    )


@dataclass(frozen=True)
class GrowthExport:
    path: Path
    pages: int
    size: int
    points: int
    unaudited: str | None = None  # the sentence when the vault's disk had no room to audit it


def export_pdf(
    ws: Workspace,
    child_id: str,
    destination: Path,
    *,
    recipient: Recipient | None = None,
    password: str | None = None,
) -> GrowthExport:
    """Write the child's growth charts as a PDF (vector charts, the points listed) and audit it.
    Going to a `recipient`, the share is logged as the practitioner gave it (issue 17: every PDF
    asks); None means kept for oneself, not a share."""
    from practitioner_app.services import exports  # the shared PDF checks and atomic write

    if recipient is not None:
        recipient.validate()
    exports.check_destination(ws, destination)
    exports.check_password(password)
    growth = report(ws, child_id)
    with ws.unit_of_work() as session:
        seq, head = audit.head(session)
    provenance = Provenance(
        title="Growth charts",
        subject_name=growth.child_name,
        subject_born=growth.born,
        made_by=ws.profile.signature,
        made_at=now_utc(),
        audit_seq=seq,
        audit_hash=head,
    )
    data, pages = growth_pdf(document(ws, growth), provenance, password=password)
    unaudited = copy_out(
        ws,
        destination,
        data,
        "PDF",
        lambda: exports.log_export(
            ws,
            destination,
            recipient,
            child_ids=(child_id,),
            what="Growth charts (PDF)",
            audit_kind=None,
            audit_id=None,
            document="growth_pdf",
            children=[child_id],
            rows=len(growth.points),
            protected=password is not None,
        ),
    )
    return GrowthExport(destination, pages, len(data), len(growth.points), unaudited)
