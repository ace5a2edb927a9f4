"""The project is AGPL-3.0-or-later, and every package it ships is listed with a licence."""

import importlib.metadata as metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _shipped(name: str, seen: set[str]) -> None:
    """Every distribution the app needs at run time, following requirements without extras."""
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return
    seen.add(key)
    for text in metadata.distribution(name).requires or []:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        _shipped(requirement.name, seen)


def test_the_project_is_agpl_3_or_later_with_the_full_licence_text() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in text
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert "GNU Affero General Public License, version 3 or later" in (
        ROOT / "README.md"
    ).read_text("utf-8")


def test_every_shipped_package_is_listed_in_third_party_with_its_licence() -> None:
    seen: set[str] = set()
    _shipped("practitioner-app", seen)
    seen.discard("practitioner-app")
    listed = (ROOT / "THIRD-PARTY.md").read_text("utf-8").lower()
    rows = [line for line in listed.splitlines() if line.startswith("| ")]
    missing = [
        name
        for name in sorted(seen)
        if not any(re.search(rf"(^\| |, ){re.escape(name)}( |,)", row) for row in rows)
    ]
    assert missing == []
    assert "rcpchgrowth" in seen  # the reason for the licence change is shipped
