"""Filling a vault with the synthetic demo caseload, through the ordinary bundle import."""

import json
from datetime import date

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
    document = demo.generate(children, years, seed, until)
    bundle = fmt.parse(json.dumps(document, ensure_ascii=False).encode("utf-8")).bundle
    author = bundle.exported_by
    for name in fmt.record_lists():
        for record in getattr(bundle, name) or []:
            if record.author is None:
                record.author = author
    return fmt.serialise(bundle)


def fill(
    ws: Workspace, children: int, years: int, seed: int, until: date | None = None
) -> ImportReport:
    return import_bundle(ws, demo_bundle(children, years, seed, until))
