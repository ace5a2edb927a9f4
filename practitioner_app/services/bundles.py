"""Case bundles in and out of the vault (BUNDLE.md).

Import is one transaction: validated whole first, then every new record inserted in bulk, one audit
event for the import. A record whose bundle id is already a record's external reference is reported
as already present, so importing the same bundle twice adds nothing. Export writes the bundle ids
back out (the external reference, or the vault id), so export → import → export is stable.
"""

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from practitioner_app.domain import passphrase as passphrase_policy
from practitioner_app.domain.enums import AuditAction, ConcernStatus, EntryStatus, SourceKind
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.records import (
    ChildDetails,
    ChronologyEventDetails,
    ConcernDetails,
    InjuryDetails,
    ObservationDetails,
    ReferralDetails,
    SharingDetails,
    VisitDetails,
)
from practitioner_app.domain.times import as_utc, now_utc, start_of_uk_day, uk_date, uk_local
from practitioner_app.export import bundle as fmt
from practitioner_app.services import records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.base import new_id
from practitioner_app.store.bulk import insert_rows
from practitioner_app.store.people import (
    Child,
    HouseholdLink,
    HouseholdMember,
    Professional,
    ProfessionalLink,
)
from practitioner_app.vault import sealed
from practitioner_app.vault.files import atomic_write

# Bundle list name → (vault table model, entry kind or None for people records).
LISTS: dict[str, tuple[Any, str | None]] = {
    "children": (Child, None),
    "people": (HouseholdMember, None),
    "professionals": (Professional, None),
    "visits": (e.Visit, "visit"),
    "observations": (e.Observation, "observation"),
    "concerns": (e.Concern, "concern"),
    "events": (e.ChronologyEvent, "chronology_event"),
    "referrals": (e.Referral, "referral"),
    "sharing": (e.SharingRecord, "sharing_record"),
}


@dataclass(frozen=True)
class ImportReport:
    added: dict[str, int]
    already_present: dict[str, int]


def _moment(value: date | datetime) -> tuple[datetime, bool]:
    """A bundle time as (UTC instant, time known). A date alone is the start of that UK day."""
    if isinstance(value, datetime):
        return as_utc(value), True
    return start_of_uk_day(value), False


def _instant(value: date | datetime | None) -> datetime | None:
    return None if value is None else _moment(value)[0]


class _Importer:
    """Holds the id maps and pending rows of one import; `run` does the whole thing."""

    def __init__(self, ws: Workspace, parsed: fmt.Bundle) -> None:
        self.ws = ws
        self.parsed = parsed
        self.now = now_utc()
        self.ids: dict[str, dict[str, str]] = {name: {} for name in LISTS}  # bundle id → vault id
        self.added: Counter[str] = Counter()
        self.present: Counter[str] = Counter()
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        # Links and injuries of entries: written before the entries themselves (see `run`).
        self.dependents: dict[Any, list[dict[str, Any]]] = {}
        default = parsed.exported_by
        self.default_author = (
            {
                "author_name": default.name,
                "author_role": default.role,
                "author_agency": default.agency,
            }
            if default
            else ws.authorship()
        )

    def _author(self, author: fmt.Author | None) -> dict[str, Any]:
        if author is None:
            return self.default_author
        return {
            "author_name": author.name,
            "author_role": author.role,
            "author_agency": author.agency,
        }

    def _rows_for(self, target: Any) -> list[dict[str, Any]]:
        return self.rows.setdefault(target, [])

    def _new(self, name: str, records_in: Iterable[Any], session: Session) -> list[Any]:
        """The records of one list not already in the vault; maps every bundle id to a vault id."""
        model = LISTS[name][0]
        batch = list(records_in)
        refs = [record.id for record in batch]
        existing: dict[str, str] = {}
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            rows = session.execute(
                select(model.external_ref, model.id).where(model.external_ref.in_(chunk))
            )
            existing.update((ref, vault_id) for ref, vault_id in rows)
        fresh = []
        for record in batch:
            if record.id in existing:
                self.ids[name][record.id] = existing[record.id]
                self.present[name] += 1
            else:
                self.ids[name][record.id] = new_id()
                self.added[name] += 1
                fresh.append(record)
        return fresh

    def _validate(self, name: str, index: int, details: Any) -> None:
        try:
            details.validate() if not isinstance(details, ChildDetails) else details.validate(
                uk_date(self.now)
            )
        except InvalidInput as problem:
            raise InvalidInput(
                f"The bundle was not imported: {name}[{index}]: {problem.message}"
            ) from None

    def run(self, session: Session) -> ImportReport:
        p = self.parsed
        self._children(session, p.children)
        self._people(session, p.people or [])
        self._professionals(session, p.professionals or [])
        for name, convert in (
            ("visits", self._visit),
            ("observations", self._observation),
            ("concerns", self._concern),
            ("events", self._event),
            ("referrals", self._referral),
            ("sharing", self._sharing),
        ):
            batch = getattr(p, name) or []
            positions = {record.id: index for index, record in enumerate(batch)}
            for record in self._new(name, batch, session):
                details, meta = convert(record)
                self._validate(name, positions[record.id], details)
                self._entry_rows(name, record.id, details, meta)
        # A final entry's links cannot be added after it (the integrity triggers refuse), so they go
        # first, with foreign-key checks deferred to the commit of this one transaction.
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        for table in (self.dependents, self.rows):
            for target, rows in table.items():
                insert_rows(session, getattr(target, "__table__", target), rows)
        report = ImportReport(dict(self.added), dict(self.present))
        self.ws.audit(
            session,
            AuditAction.IMPORT,
            "bundle",
            None,
            added=report.added,
            already_present=report.already_present,
        )
        return report

    # -- people ----------------------------------------------------------------------------------

    def _children(self, session: Session, children: list[fmt.Child]) -> None:
        positions = {child.id: index for index, child in enumerate(children)}
        for child in self._new("children", children, session):
            details = ChildDetails(
                given_name=child.given_name,
                family_name=child.family_name,
                date_of_birth=child.date_of_birth,
                expected_date=child.expected_date,
                other_names=tuple(child.other_names or ()),
                preferred_name=child.preferred_name,
                sex=child.sex or ChildDetails.sex,
                nhs_number=child.nhs_number,
                ethnicity=child.ethnicity,
                first_language=child.first_language,
                interpreter_needed=child.interpreter_needed,
                religion=child.religion,
                disability=child.disability,
                address=child.address,
                postcode=child.postcode,
                gp=child.gp,
                school=child.school,
                non_mobile=bool(child.non_mobile),
            )
            self._validate("children", positions[child.id], details)
            row = dataclasses.asdict(details)
            row["other_names"] = list(details.other_names)
            self._rows_for(Child).append(
                {
                    **row,
                    **self._common(self.ids["children"][child.id], child.id),
                    **self.default_author,
                }
            )

    def _common(self, vault_id: str, bundle_id: str) -> dict[str, Any]:
        return {
            "id": vault_id,
            "external_ref": bundle_id,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def _people(self, session: Session, people: list[fmt.Person]) -> None:
        for person in self._new("people", people, session):
            vault_id = self.ids["people"][person.id]
            self._rows_for(HouseholdMember).append(
                {
                    **self._common(vault_id, person.id),
                    **self.default_author,
                    "name": person.name,
                    "date_of_birth": person.date_of_birth,
                    "checks": person.checks,
                    "notes": person.notes,
                }
            )
            for child_id in dict.fromkeys(person.child_ids):
                self._rows_for(HouseholdLink).append(
                    {
                        "id": new_id(),
                        "member_id": vault_id,
                        "child_id": self.ids["children"][child_id],
                        "relationship": person.relationship,
                        "parental_responsibility": person.parental_responsibility,
                        "lives_with_child": person.lives_with_child,
                        "from_date": person.from_date,
                        "to_date": person.to_date,
                    }
                )

    def _professionals(self, session: Session, professionals: list[fmt.Professional]) -> None:
        for professional in self._new("professionals", professionals, session):
            vault_id = self.ids["professionals"][professional.id]
            self._rows_for(Professional).append(
                {
                    **self._common(vault_id, professional.id),
                    **self.default_author,
                    "name": professional.name,
                    "role": professional.role,
                    "agency": professional.agency,
                    "phone": professional.phone,
                    "email": professional.email,
                }
            )
            for child_id in dict.fromkeys(professional.child_ids):
                self._rows_for(ProfessionalLink).append(
                    {
                        "id": new_id(),
                        "professional_id": vault_id,
                        "child_id": self.ids["children"][child_id],
                        "lead": bool(professional.lead),
                        "from_date": professional.from_date,
                        "to_date": professional.to_date,
                    }
                )

    # -- entries ---------------------------------------------------------------------------------

    def _map(self, name: str, bundle_ids: Iterable[str] | None) -> tuple[str, ...]:
        return tuple(self.ids[name][ref] for ref in bundle_ids or ())

    def _visit(self, v: fmt.Visit) -> tuple[Any, dict[str, Any]]:
        details = VisitDetails(
            child_ids=self._map("children", v.child_ids),
            occurred_at=as_utc(v.occurred_at),
            kind=v.kind,
            outcome=v.outcome,
            contact_type=v.contact_type,
            planned=v.planned,
            child_seen=v.child_seen,
            child_seen_alone=v.child_seen_alone,
            present=tuple(v.present or ()),
            child_voice=v.child_voice,
            notes=v.notes,
        )
        author = self._author(v.author)
        return details, {
            "status": v.status or EntryStatus.FINAL,
            "recorded_at": v.recorded_at,
            "author": author,
            "agency": records.normalised_agency(v.agency or author["author_agency"]),
        }

    def _observation(self, o: fmt.Observation) -> tuple[Any, dict[str, Any]]:
        occurred_at, time_known = _moment(o.observed_at)
        measurement = o.measurement or fmt.Measurement()
        injury = o.injury
        details = ObservationDetails(
            child_id=self.ids["children"][o.child_id],
            occurred_at=occurred_at,
            category=o.category,
            text=o.text,
            significant=bool(o.significant),
            time_known=time_known,
            visit_id=self.ids["visits"][o.visit_id] if o.visit_id else None,
            weight_kg=measurement.weight_kg,
            length_cm=measurement.length_cm,
            head_circumference_cm=measurement.head_circumference_cm,
            injury=None
            if injury is None
            else InjuryDetails(
                body_regions=tuple(injury.body_regions),
                description=injury.description,
                explanation_given=injury.explanation_given,
                consistent_with_explanation=injury.consistent_with_explanation,
            ),
        )
        author = self._author(o.author)
        return details, {
            "status": o.status or EntryStatus.FINAL,
            "recorded_at": o.recorded_at,
            "author": author,
            "agency": records.normalised_agency(author["author_agency"]),
        }

    def _concern(self, c: fmt.Concern) -> tuple[Any, dict[str, Any]]:
        occurred_at, time_known = _moment(c.raised_at)
        details = ConcernDetails(
            child_id=self.ids["children"][c.child_id],
            occurred_at=occurred_at,
            category=c.category,
            level=c.level,
            source=c.source,
            summary=c.summary,
            details=c.details,
            concern_status=c.status,
            closed_at=_instant(c.closed_at),
            outcome=c.outcome,
            time_known=time_known,
            visit_ids=self._map("visits", c.visit_ids),
            observation_ids=self._map("observations", c.observation_ids),
        )
        return details, {
            "status": EntryStatus.FINAL,
            "recorded_at": None,
            "author": self.default_author,
            "agency": records.normalised_agency(c.source),
        }

    def _event(self, ev: fmt.Event) -> tuple[Any, dict[str, Any]]:
        occurred_at, time_known = _moment(ev.occurred_at)
        details = ChronologyEventDetails(
            child_id=self.ids["children"][ev.child_id],
            occurred_at=occurred_at,
            source=ev.source,
            kind=ev.kind,
            event=ev.event,
            source_kind=ev.source_kind or SourceKind.OTHER,
            time_known=time_known,
            date_uncertain=bool(ev.date_uncertain),
            ended_at=_instant(ev.ended_at),
            significance=ev.significance,
            impact_on_child=ev.impact_on_child,
            action=ev.action,
        )
        return details, {
            "status": EntryStatus.FINAL,
            "recorded_at": ev.recorded_at,
            "author": self.default_author,
            "agency": records.normalised_agency(ev.source),
        }

    def _referral(self, r: fmt.Referral) -> tuple[Any, dict[str, Any]]:
        consent = r.consent
        details = ReferralDetails(
            child_ids=self._map("children", r.child_ids),
            occurred_at=as_utc(r.created_at),
            to_agency=r.to_agency,
            form=r.form or "marf",
            sections=dict(r.sections),
            concern_ids=self._map("concerns", r.concern_ids),
            family_aware=consent.family_aware if consent else None,
            consent=consent.consent if consent else None,
            reason_not_sought=consent.reason_not_sought if consent else None,
            immediate_risk=r.immediate_risk,
            closed_at=_instant(r.closed_at),
        )
        return details, {
            "status": r.status,
            "recorded_at": None,
            "author": self.default_author,
            "agency": records.normalised_agency(self.default_author["author_agency"]),
        }

    def _sharing(self, s: fmt.Sharing) -> tuple[Any, dict[str, Any]]:
        details = SharingDetails(
            child_ids=self._map("children", s.child_ids),
            occurred_at=as_utc(s.at),
            shared=s.shared,
            with_whom=s.with_whom,
            what=s.what,
            purpose=s.purpose,
            consent=s.consent,
            lawful_basis=s.lawful_basis,
            reason=s.reason,
        )
        return details, {
            "status": EntryStatus.FINAL,
            "recorded_at": None,
            "author": self.default_author,
            "agency": records.normalised_agency(self.default_author["author_agency"]),
        }

    def _entry_rows(self, name: str, bundle_id: str, details: Any, meta: dict[str, Any]) -> None:
        model, kind = LISTS[name]
        assert kind is not None
        vault_id = self.ids[name][bundle_id]
        # Written by another agency at an unknown time: take it as written when it happened rather
        # than invent a late entry.
        recorded_at = as_utc(meta["recorded_at"]) if meta["recorded_at"] else details.occurred_at
        final = meta["status"] is EntryStatus.FINAL
        self._rows_for(model).append(
            {
                **records.column_values(kind, details),
                **self._common(vault_id, bundle_id),
                **meta["author"],
                "status": meta["status"],
                "recorded_at": recorded_at,
                "finalised_at": recorded_at if final else None,
                "agency": meta["agency"],
                "content_sha256": records.content_digest(records.canonical_fields(kind, details))
                if final
                else None,
            }
        )
        for field, (table, own, other) in records.LINKS.get(kind, {}).items():
            for value in dict.fromkeys(getattr(details, field)):
                self.dependents.setdefault(table, []).append({own: vault_id, other: value})
        if isinstance(details, ObservationDetails) and details.injury is not None:
            injury = details.injury
            self.dependents.setdefault(e.Injury, []).append(
                {
                    "id": new_id(),
                    "observation_id": vault_id,
                    "body_regions": list(injury.body_regions),
                    "description": injury.description,
                    "explanation_given": injury.explanation_given,
                    "consistent_with_explanation": injury.consistent_with_explanation,
                }
            )


def import_bundle(ws: Workspace, data: bytes, passphrase: str | None = None) -> ImportReport:
    """Validate the whole bundle, then add what is new in one transaction; all or nothing.
    An encrypted bundle needs the passphrase it was sealed with."""
    if sealed.is_sealed(data):
        if passphrase is None:
            raise InvalidInput("This bundle is encrypted; give the passphrase it was sent with.")
        data = sealed.unseal(data, passphrase)
    parsed = fmt.parse(data)
    with ws.unit_of_work() as session:
        return _Importer(ws, parsed).run(session)


# -- export ----------------------------------------------------------------------------------------


def _out_moment(value: datetime, time_known: bool) -> date | datetime:
    return uk_local(value) if time_known else uk_date(value)


def _out_author(row: Any) -> fmt.Author:
    return fmt.Author(name=row.author_name, role=row.author_role, agency=row.author_agency)


class _Exporter:
    def __init__(self, session: Session, child_ids: set[str]) -> None:
        self.session = session
        self.child_ids = child_ids
        self.bundle_id: dict[str, str] = {}  # vault id → bundle id, across every table

    def _ref(self, row: Any) -> str:
        self.bundle_id[row.id] = row.external_ref or row.id
        return self.bundle_id[row.id]

    def _linked(
        self, table: Table, own: str, other: str, owner_ids: Iterable[str]
    ) -> dict[str, list[str]]:
        """owner id → ids on the other side of a link table, for owners in `owner_ids`."""
        result: dict[str, list[str]] = {}
        owners = list(owner_ids)
        for start in range(0, len(owners), 500):
            chunk = owners[start : start + 500]
            for owner, value in self.session.execute(
                select(table.c[own], table.c[other]).where(table.c[own].in_(chunk))
            ):
                result.setdefault(owner, []).append(value)
        return result

    def _refs(self, vault_ids: Iterable[str]) -> list[str]:
        """Bundle ids of the linked records that are in this export, in a stable order."""
        return sorted(self.bundle_id[v] for v in vault_ids if v in self.bundle_id)

    def _entries_of(self, model: Any, via: tuple[Table, str] | None = None) -> list[Any]:
        if via is None:
            query = select(model).where(model.child_id.in_(self.child_ids))
        else:
            table, own = via
            query = select(model).where(
                model.id.in_(select(table.c[own]).where(table.c.child_id.in_(self.child_ids)))
            )
        rows = list(self.session.scalars(query))
        rows.sort(key=lambda row: (row.occurred_at, row.external_ref or row.id))
        return rows

    def _linked_people(
        self, link_model: Any, person_model: Any, key: str
    ) -> list[tuple[Any, list[Any]]]:
        """People linked to the exported children, each with their links, in a stable order."""
        by_person: dict[str, list[Any]] = {}
        for link in self.session.scalars(
            select(link_model).where(link_model.child_id.in_(self.child_ids))
        ):
            by_person.setdefault(getattr(link, key), []).append(link)
        people = self.session.scalars(select(person_model).where(person_model.id.in_(by_person)))
        ordered = sorted(people, key=lambda person: person.external_ref or person.id)
        return [(person, by_person[person.id]) for person in ordered]

    def run(self, exported_by: fmt.Author) -> fmt.Bundle:
        s = self.session
        children = sorted(
            s.scalars(select(Child).where(Child.id.in_(self.child_ids))),
            key=lambda c: c.external_ref or c.id,
        )
        out_children = [self._child(child) for child in children]

        out_people = []
        for member, links in self._linked_people(HouseholdLink, HouseholdMember, "member_id"):
            first = links[0]  # the format has one relationship per person, whichever child
            out_people.append(
                fmt.Person(
                    id=self._ref(member),
                    name=member.name,
                    date_of_birth=member.date_of_birth,
                    relationship=first.relationship,
                    child_ids=self._refs(link.child_id for link in links),
                    lives_with_child=first.lives_with_child,
                    parental_responsibility=first.parental_responsibility,
                    from_date=first.from_date,
                    to_date=first.to_date,
                    checks=member.checks,
                    notes=member.notes,
                )
            )
        out_pros = []
        for pro, links in self._linked_people(ProfessionalLink, Professional, "professional_id"):
            first = links[0]
            out_pros.append(
                fmt.Professional(
                    id=self._ref(pro),
                    name=pro.name,
                    role=pro.role,
                    agency=pro.agency,
                    phone=pro.phone,
                    email=pro.email,
                    child_ids=self._refs(link.child_id for link in links),
                    lead=first.lead,
                    from_date=first.from_date,
                    to_date=first.to_date,
                )
            )

        visits = self._entries_of(e.Visit, (e.visit_child, "visit_id"))
        visit_children = self._linked(e.visit_child, "visit_id", "child_id", (v.id for v in visits))
        out_visits = [self._visit(v, visit_children.get(v.id, [])) for v in visits]
        observations = self._entries_of(e.Observation)
        injuries = {
            i.observation_id: i
            for i in s.scalars(
                select(e.Injury).where(e.Injury.observation_id.in_([o.id for o in observations]))
            )
        }
        out_observations = [self._observation(o, injuries.get(o.id)) for o in observations]
        concerns = self._entries_of(e.Concern)
        out_concerns = [self._concern(c) for c in concerns]
        out_events = [self._event(ev) for ev in self._entries_of(e.ChronologyEvent)]
        referrals = self._entries_of(e.Referral, (e.referral_child, "referral_id"))
        out_referrals = [self._referral(r) for r in referrals]
        sharing = self._entries_of(e.SharingRecord, (e.sharing_child, "sharing_record_id"))
        sharing_children = self._linked(
            e.sharing_child, "sharing_record_id", "child_id", (x.id for x in sharing)
        )
        out_sharing = [self._sharing(x, sharing_children.get(x.id, [])) for x in sharing]

        return fmt.Bundle(
            format=fmt.FORMAT,
            version=fmt.VERSION,
            exported_at=uk_local(now_utc()),
            exported_by=exported_by,
            children=out_children,
            people=out_people,
            professionals=out_pros,
            visits=out_visits,
            observations=out_observations,
            concerns=out_concerns,
            events=out_events,
            referrals=out_referrals,
            sharing=out_sharing,
        )

    def _child(self, c: Child) -> fmt.Child:
        return fmt.Child(
            id=self._ref(c),
            given_name=c.given_name,
            family_name=c.family_name,
            other_names=list(c.other_names) or None,
            preferred_name=c.preferred_name,
            date_of_birth=c.date_of_birth,
            expected_date=c.expected_date,
            sex=c.sex,
            nhs_number=c.nhs_number,
            ethnicity=c.ethnicity,
            first_language=c.first_language,
            interpreter_needed=c.interpreter_needed,
            religion=c.religion,
            disability=c.disability,
            address=c.address,
            postcode=c.postcode,
            gp=c.gp,
            school=c.school,
            non_mobile=c.non_mobile,
        )

    def _visit(self, v: e.Visit, child_ids: list[str]) -> fmt.Visit:
        return fmt.Visit(
            id=self._ref(v),
            child_ids=self._refs(child_ids),
            occurred_at=uk_local(v.occurred_at),
            kind=v.kind,
            contact_type=v.contact_type,
            planned=v.planned,
            outcome=v.outcome,
            child_seen=v.child_seen,
            child_seen_alone=v.child_seen_alone,
            present=list(v.present) or None,
            child_voice=v.child_voice,
            notes=v.notes,
            # Stored normalised for the alert rules; only worth writing when it is not the author's.
            agency=v.agency if v.agency != records.normalised_agency(v.author_agency) else None,
            author=_out_author(v),
            recorded_at=uk_local(v.recorded_at),
            status=v.status,
        )

    def _observation(self, o: e.Observation, injury: e.Injury | None) -> fmt.Observation:
        measured = (o.weight_kg, o.length_cm, o.head_circumference_cm) != (None, None, None)
        return fmt.Observation(
            id=self._ref(o),
            child_id=self.bundle_id[o.child_id],
            visit_id=self.bundle_id.get(o.visit_id) if o.visit_id else None,
            observed_at=_out_moment(o.occurred_at, o.time_known),
            category=o.category,
            text=o.text,
            significant=o.significant,
            injury=None
            if injury is None
            else fmt.Injury(
                body_regions=list(injury.body_regions),
                description=injury.description,
                explanation_given=injury.explanation_given,
                consistent_with_explanation=injury.consistent_with_explanation,
            ),
            measurement=fmt.Measurement(
                weight_kg=o.weight_kg,
                length_cm=o.length_cm,
                head_circumference_cm=o.head_circumference_cm,
            )
            if measured
            else None,
            author=_out_author(o),
            recorded_at=uk_local(o.recorded_at),
            status=o.status,
        )

    def _concern(self, c: e.Concern) -> fmt.Concern:
        changes = list(
            self.session.scalars(
                select(e.ConcernStatusChange)
                .where(e.ConcernStatusChange.concern_id == c.id)
                .order_by(e.ConcernStatusChange.changed_at)
            )
        )
        status, closed_at, outcome = c.concern_status, c.closed_at, c.outcome
        if changes:
            latest = changes[-1]
            status, outcome = latest.new_status, latest.outcome or outcome
            closed_at = latest.changed_at if latest.new_status is ConcernStatus.CLOSED else None
        visit_ids = self._linked(e.concern_visit, "concern_id", "visit_id", [c.id]).get(c.id, [])
        observation_ids = self._linked(
            e.concern_observation, "concern_id", "observation_id", [c.id]
        ).get(c.id, [])
        return fmt.Concern(
            id=self._ref(c),
            child_id=self.bundle_id[c.child_id],
            raised_at=_out_moment(c.occurred_at, c.time_known),
            category=c.category,
            level=c.level,
            source=c.source,
            summary=c.summary,
            details=c.details,
            status=status,
            closed_at=uk_local(closed_at) if closed_at else None,
            outcome=outcome,
            visit_ids=self._refs(visit_ids) or None,
            observation_ids=self._refs(observation_ids) or None,
        )

    def _event(self, ev: e.ChronologyEvent) -> fmt.Event:
        return fmt.Event(
            id=self._ref(ev),
            child_id=self.bundle_id[ev.child_id],
            occurred_at=_out_moment(ev.occurred_at, ev.time_known),
            date_uncertain=ev.date_uncertain,
            ended_at=uk_local(ev.ended_at) if ev.ended_at else None,
            source=ev.source,
            source_kind=ev.source_kind,
            kind=ev.kind,
            event=ev.event,
            significance=ev.significance,
            impact_on_child=ev.impact_on_child,
            action=ev.action,
            recorded_at=uk_local(ev.recorded_at),
        )

    def _referral(self, r: e.Referral) -> fmt.Referral:
        children = self._linked(e.referral_child, "referral_id", "child_id", [r.id]).get(r.id, [])
        concerns = self._linked(e.referral_concern, "referral_id", "concern_id", [r.id]).get(
            r.id, []
        )
        consent = (
            fmt.ReferralConsent(
                family_aware=bool(r.family_aware),
                consent=r.consent,
                reason_not_sought=r.reason_not_sought,
            )
            if r.consent is not None
            else None
        )
        return fmt.Referral(
            id=self._ref(r),
            child_ids=self._refs(children),
            form=None if r.form == "marf" else r.form,
            to_agency=r.to_agency,
            status=r.status,
            created_at=uk_local(r.occurred_at),
            sections=dict(r.sections),
            concern_ids=self._refs(concerns) or None,
            consent=consent,
            immediate_risk=r.immediate_risk,
            closed_at=uk_local(r.closed_at) if r.closed_at else None,
        )

    def _sharing(self, x: e.SharingRecord, child_ids: list[str]) -> fmt.Sharing:
        return fmt.Sharing(
            id=self._ref(x),
            child_ids=self._refs(child_ids),
            at=uk_local(x.occurred_at),
            shared=x.shared,
            with_whom=x.with_whom,
            what=x.what,
            purpose=x.purpose,
            lawful_basis=x.lawful_basis,
            consent=x.consent,
            reason=x.reason,
        )


def write_bundle(
    ws: Workspace,
    destination: Path,
    child_ids: list[str] | None = None,
    passphrase: str | None = None,
) -> int:
    """Export to a file, written whole or not at all and owner-only; sealed with a passphrase
    (Argon2id + AES-256-GCM) when one is given. Audited once the file is written."""
    if passphrase is not None:
        verdict = passphrase_policy.assess(passphrase)
        if not verdict.accepted:
            raise InvalidInput(verdict.reason)
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder; give a file name for the bundle.")
    if not destination.parent.is_dir():
        raise InvalidInput(
            f"The folder {destination.parent} does not exist; create it or choose another."
        )
    data, chosen, counts = _export(ws, child_ids)
    if passphrase is not None:
        data = sealed.seal(data, passphrase)
    try:
        atomic_write(destination, data)
    except OSError as error:
        raise Problem(
            f"The bundle could not be written to {destination}: {error.strerror}."
        ) from None
    ws.audit_alone(
        AuditAction.EXPORT, children=chosen, counts=counts, encrypted=passphrase is not None
    )
    return len(data)


def read_bundle_file(path: Path) -> bytes:
    try:
        if path.stat().st_size > fmt.MAX_BUNDLE_BYTES:
            raise InvalidInput(
                f"{path.name} is larger than {fmt.MAX_BUNDLE_BYTES // (1024 * 1024)} MB; "
                "split the bundle by child and import the parts."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file at {path}; check the path.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder; give the bundle file itself.") from None


def _export(ws: Workspace, child_ids: list[str] | None) -> tuple[bytes, list[str], dict[str, int]]:
    with ws.unit_of_work() as session:
        chosen = set(child_ids) if child_ids else set(session.scalars(select(Child.id)))
        exported_by = fmt.Author(
            name=ws.profile.name, role=ws.profile.role, agency=ws.profile.agency
        )
        parsed = _Exporter(session, chosen).run(exported_by)
    counts = {name: len(getattr(parsed, name) or []) for name in LISTS}
    return fmt.serialise(parsed), sorted(chosen), counts


def export_bundle(ws: Workspace, child_ids: list[str] | None = None) -> bytes:
    """Every record about the given children (all children if none given) as a bundle; audited."""
    data, chosen, counts = _export(ws, child_ids)
    ws.audit_alone(AuditAction.EXPORT, children=chosen, counts=counts, encrypted=False)
    return data


def is_encrypted(data: bytes) -> bool:
    return sealed.is_sealed(data)
