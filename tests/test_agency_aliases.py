"""Issue 17, item 4: agency names the practitioner merges count as one agency in the alert rules
(DOMAIN.md: "Haringey SS" and "Haringey Social Services" are one agency once the practitioner
says so, aliases kept in the vault). A real vault; the rule itself with plain facts."""

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import ConcernCategory, ConcernLevel, EventKind, SourceKind
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import ChronologyEventDetails, ConcernDetails
from practitioner_app.domain.times import now_utc
from practitioner_app.services import agencies, alerts, integrity, people, records
from practitioner_app.services.records import normalised_agency
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.repositories.agency_aliases import AgencyAliasRepository
from practitioner_app.ui.agency_names import AgencyNamesDialog
from practitioner_app.ui.main_window import MainWindow
from tests.conftest import child_details
from tests.ui_helpers import unlock_window, wait_idle

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_merged_agency_names_count_once_for_multi_agency_no_lead(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details()).id
    now = now_utc()
    for days, source in ((40, "Haringey SS"), (30, "Haringey Social Services")):
        records.create_entry(
            workspace,
            ChronologyEventDetails(
                child_id=child,
                occurred_at=now - timedelta(days=days),
                source=source,
                kind=EventKind.ASSESSMENT,
                event="Assessment started.",
                source_kind=SourceKind.SOCIAL_CARE,
            ),
        )
    records.create_entry(
        workspace,
        ConcernDetails(
            child_id=child,
            occurred_at=now - timedelta(days=20),
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.MEDIUM,
            source="Northshire Police",
            summary="Home cold.",
        ),
    )  # the third agency
    rules = [a.rule for a in alerts.for_child(workspace, child)]
    assert "MULTI_AGENCY_NO_LEAD" in rules

    agencies.merge(workspace, "Haringey SS", "Haringey Social Services")

    assert "MULTI_AGENCY_NO_LEAD" not in [a.rule for a in alerts.for_child(workspace, child)]
    shown = {n.name: n.merged_into for n in agencies.names(workspace)}
    assert shown["Haringey SS"] == "Haringey Social Services"
    assert shown["Haringey Social Services"] is None
    last = integrity.audit_trail(workspace)[-1]
    assert (last.action, last.record_kind) == ("update", "agency_alias")


def test_merging_follows_chains_and_refuses_the_same_name(workspace: Workspace) -> None:
    agencies.merge(workspace, "NSPCC North", "NSPCC")
    agencies.merge(workspace, "NSPCC", "N.S.P.C.C. Northshire")

    with pytest.raises(InvalidInput):
        agencies.merge(workspace, " nspcc ", "NSPCC")
    with workspace.unit_of_work() as session:
        assert AgencyAliasRepository(session).mapping() == {
            "nspcc north": "n.s.p.c.c. northshire",
            "nspcc": "n.s.p.c.c. northshire",
        }


def test_the_agency_names_dialog_merges_two_spellings(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window)
    child = read(qtbot, window, people.add_child, child_details()).id
    for source in ("Haringey SS", "Haringey Social Services"):
        read(
            qtbot,
            window,
            records.create_entry,
            ChronologyEventDetails(
                child_id=child,
                occurred_at=now_utc() - timedelta(days=3),
                source=source,
                kind=EventKind.ASSESSMENT,
                event="Assessment.",
                source_kind=SourceKind.SOCIAL_CARE,
            ),
        )
    window.agency_names()
    wait_idle(qtbot, window.session)
    dialog = window.findChild(AgencyNamesDialog)
    assert isinstance(dialog, AgencyNamesDialog)
    dialog.alias.setCurrentText("Haringey SS")
    dialog.agency.setCurrentText("Haringey Social Services")
    with qtbot.waitSignal(dialog.merged, timeout=30_000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.session)
    shown = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert "Haringey SS  → counted as Haringey Social Services" in shown
    dialog.reject()


def read(qtbot: QtBot, window: MainWindow, service: Any, *args: Any) -> Any:
    results: list[Any] = []
    window.session.call(service, *args, done=results.append)
    wait_idle(qtbot, window.session)
    return results[0]


def test_the_alerts_read_the_agency_spellings_again_once_anything_is_written(
    workspace: Workspace,
) -> None:
    """Each agency's first spelling is read from the whole vault once and kept on the workspace
    (issue 19: one child's alerts cost as much as the vault was large), until the audit chain
    moves: an agency first written since then is shown by its own name."""
    child = people.add_child(workspace, child_details()).id
    written = "Northshire   Police"
    police = normalised_agency(written)
    assert police is not None
    with workspace.unit_of_work() as session:
        before = alerts.agency_names(workspace, session)
        assert alerts.agency_names(workspace, session) is before  # nothing written since
    assert police not in before

    records.create_entry(
        workspace,
        ConcernDetails(
            child_id=child,
            occurred_at=now_utc() - timedelta(days=2),
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.MEDIUM,
            source=written,
            summary="Home cold.",
        ),
    )

    with workspace.unit_of_work() as session:
        after = alerts.agency_names(workspace, session)
    assert after is not before
    assert after[police] == "Northshire Police"
