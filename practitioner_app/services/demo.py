"""Filling a vault with the synthetic demo caseload, through the ordinary bundle import."""

import json
from datetime import date, datetime
from typing import Any

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.export import bundle as fmt
from practitioner_app.export import demo
from practitioner_app.services.bundles import ImportReport, import_bundle
from practitioner_app.services.workspace import Profile, Workspace

DEMO_PROFILE = Profile(
    "Demo Practitioner", "Health visitor (DEMO)", "DEMO Northshire Community NHS Trust"
)


def demo_bundle(children: int, years: int, seed: int, until: date | None = None) -> bytes:
    """The invented caseload as a format 2 bundle. It is generated in format 1, which has no
    author for most kinds of record; every record of it was invented "by" the demo practitioner,
    so they are its author, and the demo does not read "author not recorded" everywhere."""
    return as_format_2(demo.generate(children, years, seed, until))


def as_format_2(document: dict[str, Any]) -> bytes:
    """A generated demo document (demo.generate's shape, or part of one holding whole
    households) as a format 2 bundle, each record authored by the demo practitioner.

    Raises InvalidInput if the document, as JSON, is larger than the import limit."""
    bundle = fmt.parse(json.dumps(document, ensure_ascii=False).encode("utf-8")).bundle
    author = bundle.exported_by
    for name in fmt.record_lists():
        for record in getattr(bundle, name) or []:
            if record.author is None:
                record.author = author
    _link_shares_to_referrals(bundle)
    return fmt.serialise(bundle)


def _link_shares_to_referrals(bundle: fmt.Bundle) -> None:
    """Each invented referral went to children's services the day it was made, logged as a
    share (export/demo/records.py writes one share per referral, in the same order): the share
    names the form and its version, as a real export to someone does, so the Forms list says who
    each copy went to. Format 1, which the demo is written in, has no field for the link."""
    shares: dict[tuple[tuple[str, ...], object], list[fmt.Sharing]] = {}
    for share in bundle.sharing or []:
        shares.setdefault((tuple(share.child_ids), uk_date_of(share.at)), []).append(share)
    for referral in bundle.referrals or []:
        waiting = shares.get((tuple(referral.child_ids), uk_date_of(referral.created_at)))
        if waiting:
            share = waiting.pop(0)
            share.referral_id = referral.id
            share.form_final = referral.status is EntryStatus.FINAL


def uk_date_of(moment: object) -> object:
    return moment.date() if isinstance(moment, datetime) else moment


def fill(
    ws: Workspace, children: int, years: int, seed: int, until: date | None = None
) -> ImportReport:
    return import_bundle(ws, demo_bundle(children, years, seed, until))
