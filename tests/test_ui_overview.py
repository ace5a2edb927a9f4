"""The overview tab's text: what the practitioner reads about a child, rendered from a real vault,
with record text that looks like markup shown as typed, never obeyed."""

import dataclasses
from datetime import date

import pytest
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from practitioner_app.domain.contacts import next_contact
from practitioner_app.domain.enums import ConcernCategory, ConcernLevel
from practitioner_app.domain.records import (
    ConcernDetails,
    HouseholdMemberDetails,
    ProfessionalDetails,
)
from practitioner_app.services import casework, people, records
from practitioner_app.services.casework import ChildOverview
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.overview import overview_html
from tests.conftest import AT, child_details

TODAY = date(2026, 11, 23)
IMG = "<img src=/etc/passwd>"
BOLD = "<b>Grace</b>"
QUOTES = "\"Mum's\" 'partner'"


def _overview(workspace: Workspace, *, hostile: bool) -> ChildOverview:
    """A child with someone living with them, someone who moved out, a lead professional with a
    phone number, another professional, and an open concern in draft."""
    mark = (lambda text, odd: f"{text} {odd}") if hostile else (lambda text, odd: text)
    child = people.add_child(
        workspace,
        child_details(preferred_name=mark("Mai", IMG), gp=mark("Harbour Surgery", QUOTES)),
    )
    people.add_household_member(
        workspace,
        child.id,
        HouseholdMemberDetails(
            mark("Grace Okafor", BOLD),
            "Mother",
            lives_with_child=True,
            parental_responsibility=True,
        ),
    )
    people.add_household_member(
        workspace,
        child.id,
        HouseholdMemberDetails(
            "Dan Cole", mark("Mother's ex-partner", QUOTES), True, to_date=date(2025, 9, 1)
        ),
    )
    people.add_professional(
        workspace,
        child.id,
        ProfessionalDetails(
            "Tom Reed",
            "Social worker",
            mark("Northshire CSC", IMG),
            phone="01632 960 001",
            lead=True,
        ),
    )
    people.add_professional(
        workspace, child.id, ProfessionalDetails("Ann Lee", "School nurse", "Northshire NHS")
    )
    records.create_entry(
        workspace,
        ConcernDetails(
            child_id=child.id,
            occurred_at=AT,
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.HIGH,
            source="Health visitor",
            summary=mark("Home cold; little food in the house.", f"{BOLD} {IMG} {QUOTES}"),
        ),
    )
    view = casework.overview(workspace, child.id)
    # As of TODAY, whatever day the test runs: the age and the next contact count from it.
    due = next_contact(view.details.date_of_birth, view.details.expected_date, set(), TODAY)
    return dataclasses.replace(view, age="1 year 8 months", next_contact=due)


def _read(html: str) -> str:
    """The text as the overview's rich-text browser lays it out for the practitioner."""
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def test_the_overview_reads_as_it_always_has(qtbot: QtBot, workspace: Workspace) -> None:
    view = _overview(workspace, hostile=False)

    text = _read(overview_html(view, TODAY))

    # The whole text, line by line, as the hand-written HTML this template replaced showed it.
    assert text.split("\n") == [
        "About the child",
        *("Known as", "Mai"),
        *("Date of birth", "14/03/2025 (age 1 year 8 months)"),
        *("NHS number", "999 000 0018"),
        *("Sex", "Unknown"),
        *("GP", "Harbour Surgery"),
        *("Last seen", "not recorded"),
        "",
        "Next mandated contact: 9–12 month review, due 14/12/2025 to 14/04/2026 — OVERDUE",
        "Lives with now",
        "Grace Okafor (Mother), parental responsibility",
        "Also known: Dan Cole (Mother's ex-partner, until 01/09/2025)",
        "Professionals involved",
        "Lead professional: Tom Reed, Social worker, Northshire CSC — 01632 960 001",
        "Ann Lee, School nurse, Northshire NHS",
        "Open concerns (1)",
        "06/10/2026 — Neglect, high: Home cold; little food in the house. (open) [draft]",
    ]


@pytest.mark.parametrize("hostile", [BOLD, IMG, QUOTES])
def test_record_text_that_looks_like_markup_is_shown_as_typed(
    qtbot: QtBot, workspace: Workspace, hostile: str
) -> None:
    view = _overview(workspace, hostile=True)

    html = overview_html(view, TODAY)

    assert "<img" not in html  # no image is ever loaded from a path typed into a record
    assert "<b>Grace" not in html
    assert hostile in _read(html)


def test_a_child_with_nobody_recorded_says_so(qtbot: QtBot, workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details(date_of_birth=None, expected_date=TODAY))

    text = _read(overview_html(casework.overview(workspace, child.id), TODAY))

    assert "Date of birth\nUnborn, expected 23/11/2026" in text
    assert "Nobody recorded. Add people on the People tab." in text
    assert "None recorded.\nNo lead professional is recorded." in text
    assert text.endswith("Open concerns (0)\nNone.")
