"""Filling a vault with the synthetic demo caseload, through the ordinary bundle import."""

import json
from datetime import date

from practitioner_app.export import demo
from practitioner_app.services.bundles import ImportReport, import_bundle
from practitioner_app.services.workspace import Profile, Workspace

DEMO_PROFILE = Profile(
    "Demo Practitioner", "Health visitor (DEMO)", "DEMO Northshire Community NHS Trust"
)


def demo_bundle(children: int, years: int, seed: int, until: date | None = None) -> bytes:
    document = demo.generate(children, years, seed, until)
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def fill(
    ws: Workspace, children: int, years: int, seed: int, until: date | None = None
) -> ImportReport:
    return import_bundle(ws, demo_bundle(children, years, seed, until))
