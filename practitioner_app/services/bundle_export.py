"""Reading a set of children's records out of the vault as a case bundle, format 2
(resources/BUNDLE-FORMAT-2.md).

Each bundle record is filled from the vault rows by field name (`_record`); only what the format
says differently is written out here: the provenance every record carries (its own UUID, the vault
it was first written in, its author and recorded-at as first written, or null where its source
did not say), the moment an entry happened, the shapes the format nests (consent, measurement,
injury), and the history that travels with the records (status changes, amendments, choices).
"""

import base64
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from practitioner_app.domain.kinds import KINDS, RecordKind
from practitioner_app.domain.times import now_utc, uk_date, uk_local
from practitioner_app.export import bundle as fmt
from practitioner_app.services.records import normalised_agency
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.bundles import BundleRepository
from practitioner_app.store.repositories.entry_content import EntryContentRepository
from practitioner_app.store.repositories.photographs import PhotographRepository

M = TypeVar("M", bound=BaseModel)


def _record(model: type[M], *rows: Any, **values: Any) -> M:
    """A bundle record of type `model`: each field given in `values`, else read from the first
    row that has an attribute of that name. Times are written in UK local time."""
    for name in model.model_fields:
        if name in values:
            continue
        for row in rows:
            if hasattr(row, name):
                value = getattr(row, name)
                values[name] = uk_local(value) if isinstance(value, datetime) else value
                break
    return model.model_validate(values)


def _moment(value: datetime, time_known: bool) -> date | datetime:
    return uk_local(value) if time_known else uk_date(value)


def _author(row: Any) -> fmt.Author | None:
    if not row.author_known:
        return None
    return fmt.Author(name=row.author_name, role=row.author_role, agency=row.author_agency)


class Exporter:
    """The records about `child_ids` and their history, each under its own id."""

    def __init__(self, session: Session, child_ids: set[str], vault_id: str) -> None:
        self.repo = BundleRepository(session)
        self.entries = EntryContentRepository(session)
        self.child_ids = child_ids
        self.vault_id = vault_id
        self.exported: set[str] = set()  # ids of the records written so far, across every list
        self.also_about: set[str] = set()  # other children named by these children's entries

    def _ref(self, row: Any) -> str:
        self.exported.add(row.id)
        return str(row.id)

    def _refs(self, vault_ids: Iterable[str]) -> list[str]:
        """Ids of the linked records that are in this export, in a stable order."""
        return sorted(v for v in vault_ids if v in self.exported)

    def _provenance(self, row: Any) -> dict[str, Any]:
        """Id, origin, author and recorded-at as first written (null where not known)."""
        recorded = getattr(row, "recorded_at", row.created_at)
        # Rows with no recorded_at (children, people, choices) were created by the import
        # itself when their source did not say when they were written (bundle_import_state._common).
        known = getattr(row, "recorded_at_known", row.created_at != row.imported_at)
        return {
            "id": self._ref(row),
            "vault_id": row.origin_vault or self.vault_id,
            "author": _author(row),
            "recorded_at": uk_local(recorded) if known else None,
        }

    def _entry(self, row: e.Entry, status_field: str = "status") -> dict[str, Any]:
        return {
            **self._provenance(row),
            status_field: row.status,
            "finalised_at": uk_local(row.finalised_at) if row.finalised_at else None,
        }

    def _links(self, kind: RecordKind, field: str, rows: Sequence[e.Entry]) -> dict[str, list[str]]:
        return self.entries.linked_to_many(kind, field, (row.id for row in rows))

    def run(self, exported_by: fmt.Author) -> fmt.Bundle:
        # A child that an entry of these children is also about travels as a child record (not
        # with their own records), so the entry stays about every child it names in each vault.
        self.also_about = self.repo.also_about(self.child_ids)
        children = sorted(self.repo.children(self.child_ids | self.also_about), key=lambda c: c.id)
        out_children = [
            _record(
                fmt.Child,
                c,
                **self._provenance(c),
                reference=c.external_ref,
                updated_at=uk_local(c.updated_at),
                other_names=list(c.other_names) or None,
            )
            for c in children
        ]
        people = {
            name: [
                _record(
                    model,
                    links[0],  # the format has one link per person, whichever child
                    person,
                    **self._provenance(person),
                    updated_at=uk_local(person.updated_at),
                    child_ids=self._refs(link.child_id for link in links),
                )
                for person, links in self.repo.linked_people(name, self.child_ids)
            ]
            for name, model in (("people", fmt.Person), ("professionals", fmt.Professional))
        }
        # KINDS is in the order links need: a concern names visits and observations, a referral
        # names concerns, so they are known to be in the export by then.
        entries = {spec.bundle_list: WRITERS[kind](self) for kind, spec in KINDS.items()}
        return fmt.Bundle(
            format=fmt.FORMAT,
            version=fmt.VERSION,
            vault_id=self.vault_id,
            exported_at=uk_local(now_utc()),
            exported_by=exported_by,
            children=out_children,
            people=people["people"],
            professionals=people["professionals"],
            **entries,
            status_changes=self._status_changes() or None,
            amendments=self._amendments() or None,
            chronology_choices=self._choices() or None,
            photographs=self._photographs(entries["observations"], entries["body_marks"]) or None,
            alert_reviews=self._alert_reviews() or None,
            agency_aliases=self._agency_aliases() or None,
        )

    def _alert_reviews(self) -> list[fmt.AlertReview]:
        return [
            _record(
                fmt.AlertReview,
                review,
                **self._provenance(review),
                evidence=list(review.evidence),
            )
            for review in self.repo.alert_reviews(self.child_ids)
        ]

    def _agency_aliases(self) -> list[fmt.AgencyAlias]:
        # The practitioner's word on which names are one agency: about no child in particular,
        # it goes with every bundle, so the receiving vault counts agencies as this one did.
        return [
            _record(
                fmt.AgencyAlias,
                alias,
                **self._provenance(alias),
                updated_at=uk_local(alias.updated_at),
            )
            for alias in self.repo.agency_aliases()
        ]

    def _status_changes(self) -> list[fmt.StatusChange]:
        changes = self.repo.status_changes(self._concern_ids)
        return [
            _record(fmt.StatusChange, change, **self._provenance(change))
            for concern_id in self._concern_ids
            for change in changes.get(concern_id, [])
        ]

    def _amendments(self) -> list[fmt.Amendment]:
        return [
            _record(fmt.Amendment, amendment, **self._provenance(amendment))
            for amendment in self.repo.amendments(self.exported)
        ]

    def _choices(self) -> list[fmt.ChronologyChoice]:
        return [
            _record(
                fmt.ChronologyChoice,
                choice,
                **self._provenance(choice),
                updated_at=uk_local(choice.updated_at),
            )
            for choice in self.repo.choices(self.child_ids)
            if choice.record_id in self.exported
        ]

    def _photographs(
        self, observations: Sequence[BaseModel] | None, marks: Sequence[BaseModel] | None
    ) -> list[fmt.Photograph]:
        """The photographs of the records in this bundle (observations and body-map marks),
        bytes in base64 with their hash."""
        repo = PhotographRepository(self.repo.session)
        owned = [
            photograph
            for kind, owners in (("observation", observations), ("body_mark", marks))
            for photograph in repo.of_owners(kind, [o.id for o in owners or []])  # type: ignore[attr-defined]
        ]
        return [
            _record(
                fmt.Photograph,
                p,
                **self._provenance(p),
                finalised_at=uk_local(p.finalised_at) if p.finalised_at else None,
                data=base64.b64encode(repo.data(p.id)).decode("ascii"),
            )
            for p in owned
        ]

    def _visits(self) -> list[fmt.Visit]:
        visits = self.repo.entries(e.Visit, self.child_ids)
        children = self._links(RecordKind.VISIT, "child_ids", visits)
        return [
            _record(
                fmt.Visit,
                v,
                **self._entry(v),
                child_ids=self._refs(children.get(v.id, [])),
                present=list(v.present) or None,
                # Stored normalised for the alert rules; worth writing only when not the author's.
                agency=v.agency if v.agency != normalised_agency(v.author_agency) else None,
            )
            for v in visits
        ]

    def _observations(self) -> list[fmt.Observation]:
        observations = self.repo.entries(e.Observation, self.child_ids)
        injuries = self.entries.injuries(o.id for o in observations)
        result = []
        for o in observations:
            injury = injuries.get(o.id)
            measured = (o.weight_kg, o.length_cm, o.head_circumference_cm) != (None, None, None)
            result.append(
                _record(
                    fmt.Observation,
                    o,
                    **self._entry(o),
                    visit_id=o.visit_id if o.visit_id in self.exported else None,
                    observed_at=_moment(o.occurred_at, o.time_known),
                    injury=None if injury is None else _record(fmt.Injury, injury),
                    measurement=_record(fmt.Measurement, o) if measured else None,
                )
            )
        return result

    def _concerns(self) -> list[fmt.Concern]:
        concerns = self.repo.entries(e.Concern, self.child_ids)
        self._concern_ids = [c.id for c in concerns]
        visits = self._links(RecordKind.CONCERN, "visit_ids", concerns)
        observations = self._links(RecordKind.CONCERN, "observation_ids", concerns)
        return [
            _record(
                fmt.Concern,
                c,
                **self._entry(c, status_field="entry_status"),
                # As the concern was recorded; what happened since is in status_changes.
                status=c.concern_status,
                raised_at=_moment(c.occurred_at, c.time_known),
                closed_at=uk_local(c.closed_at) if c.closed_at else None,
                visit_ids=self._refs(visits.get(c.id, [])) or None,
                observation_ids=self._refs(observations.get(c.id, [])) or None,
            )
            for c in concerns
        ]

    def _events(self) -> list[fmt.Event]:
        return [
            _record(
                fmt.Event,
                ev,
                **self._entry(ev),
                occurred_at=_moment(ev.occurred_at, ev.time_known),
            )
            for ev in self.repo.entries(e.ChronologyEvent, self.child_ids)
        ]

    def _referrals(self) -> list[fmt.Referral]:
        referrals = self.repo.entries(e.Referral, self.child_ids)
        children = self._links(RecordKind.REFERRAL, "child_ids", referrals)
        concerns = self._links(RecordKind.REFERRAL, "concern_ids", referrals)
        return [
            _record(
                fmt.Referral,
                r,
                **self._entry(r),
                child_ids=self._refs(children.get(r.id, [])),
                form=None if r.form == "marf" else r.form,
                created_at=uk_local(r.occurred_at),
                sections=dict(r.sections),
                concern_ids=self._refs(concerns.get(r.id, [])) or None,
                consent=None
                if r.consent is None
                else _record(fmt.ReferralConsent, r, family_aware=bool(r.family_aware)),
            )
            for r in referrals
        ]

    def _sharing(self) -> list[fmt.Sharing]:
        shares = self.repo.entries(e.SharingRecord, self.child_ids)
        children = self._links(RecordKind.SHARING_RECORD, "child_ids", shares)
        return [
            _record(
                fmt.Sharing,
                x,
                **self._entry(x),
                child_ids=self._refs(children.get(x.id, [])),
                at=uk_local(x.occurred_at),
            )
            for x in shares
        ]

    def _body_marks(self) -> list[fmt.BodyMark]:
        return [
            _record(
                fmt.BodyMark,
                m,
                **self._entry(m),
                occurred_at=_moment(m.occurred_at, m.time_known),
                agency=m.agency if m.agency != normalised_agency(m.author_agency) else None,
            )
            for m in self.repo.entries(e.BodyMark, self.child_ids)
        ]


# How each kind of entry is written into a bundle (tests/test_kinds.py checks every kind has one).
WRITERS: dict[RecordKind, Callable[[Exporter], Sequence[BaseModel]]] = {
    RecordKind.VISIT: Exporter._visits,
    RecordKind.OBSERVATION: Exporter._observations,
    RecordKind.CONCERN: Exporter._concerns,
    RecordKind.CHRONOLOGY_EVENT: Exporter._events,
    RecordKind.REFERRAL: Exporter._referrals,
    RecordKind.SHARING_RECORD: Exporter._sharing,
    RecordKind.BODY_MARK: Exporter._body_marks,
}
