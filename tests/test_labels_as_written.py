"""Issue 17 item 9: labels come from the registry as people write them ("FGM", "1 child"), never
a stored value with its underscores taken out ("Fgm", "1 children", "1 alert_reviews")."""

from datetime import timedelta

from practitioner_app.cli.base import counts
from practitioner_app.domain.enums import ConcernCategory, ConcernLevel
from practitioner_app.domain.records import ConcernDetails
from practitioner_app.domain.times import now_utc
from practitioner_app.services import forms, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details


def test_an_fgm_concern_reads_fgm_in_the_referral(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details()).id
    records.create_entry(
        workspace,
        ConcernDetails(
            child_id=child,
            occurred_at=now_utc() - timedelta(days=2),
            category=ConcernCategory.FGM,
            level=ConcernLevel.HIGH,
            source="School nurse",
            summary="Older sister said a trip abroad is planned for 'a special ceremony'.",
        ),
    )
    view = forms.start(workspace, child, "marf")
    [concern] = view.concerns
    assert concern.text.startswith("FGM (high)")


def test_import_counts_say_what_each_list_holds_in_words() -> None:
    said = counts(
        {"children": 1, "people": 2, "professionals": 1, "sharing": 1, "alert_reviews": 2}
    )
    assert said == (
        "1 child, 2 household members, 1 professional, 1 sharing record, 2 alert reviews"
    )
    assert counts({"children": 0}) == "nothing"


def test_vocabulary_values_read_as_people_write_them() -> None:
    from practitioner_app.domain.enums import ObservationCategory
    from practitioner_app.domain.labels import value_label

    assert value_label(ObservationCategory.PARENT_CHILD_INTERACTION) == "Parent–child interaction"
    assert value_label("was_not_brought") == "Was not brought"
    assert value_label("fgm") == "FGM"
