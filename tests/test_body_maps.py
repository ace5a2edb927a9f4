"""Body maps (issue 20 item 4): marks are records (draft, final, amended, never moved), an injury
mark on a non-mobile baby raises the critical alert and enters the chronology as significant, a
map with its marks prints in the chronology PDF and the MARF, and marks travel in bundles."""

import json
import math
import re
from datetime import date, timedelta
from pathlib import Path
from typing import cast

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import text

from practitioner_app.domain.body_map import BodyFigure, BodySide, outline
from practitioner_app.domain.body_marks import BodyMarkDetails, MarkKind
from practitioner_app.domain.enums import ObservationCategory
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.services import (
    alerts,
    body_maps,
    bundles,
    chronology,
    exports,
    forms,
    integrity,
    people,
    records,
)
from practitioner_app.services.workspace import Workspace, create_vault
from tests.conftest import AT, PASSPHRASE, PROFILE, child_details, mark_details

BORN = AT.date() - timedelta(days=120)  # four months old on the day: non-mobile


def occasion(ws: Workspace, born: date = BORN) -> tuple[str, str]:
    """A child and an observation of them, not filed as an injury (the marks say so)."""
    child = people.add_child(ws, child_details(date_of_birth=born))
    observation = records.create_entry(
        ws,
        ObservationDetails(
            child_id=child.id,
            occurred_at=AT,
            category=ObservationCategory.PRESENTATION,
            text="Seen at home for the 6-8 week review.",
        ),
    )
    return child.id, observation.id


def at_region(side: BodySide, key: str, **overrides: object) -> dict[str, object]:
    region = outline(BodyFigure.INFANT, side).region(key)
    return {"side": side, "region": key, "x": region.anchor[0], "y": region.anchor[1], **overrides}


THREE = (
    at_region(BodySide.FRONT, "left_forearm", description="Bruise, fingertip-sized"),
    at_region(BodySide.FRONT, "right_ear", description="Bruise behind the ear"),
    at_region(
        BodySide.BACK, "lower_back", mark_kind=MarkKind.BIRTHMARK, description="Blue-grey patch"
    ),
)


def three_marks(ws: Workspace, child_id: str, observation_id: str) -> list[str]:
    made = [
        records.create_entry(ws, mark_details(child_id, observation_id, **where)).id
        for where in THREE
    ]
    records.finalise_together(ws, [(RecordKind.BODY_MARK, mark) for mark in made])
    return made


# -- the outlines ----------------------------------------------------------------------------------


@pytest.mark.parametrize("figure", list(BodyFigure))
@pytest.mark.parametrize("side", list(BodySide))
def test_every_region_is_found_at_its_own_point_and_its_keys_are_unique(
    figure: BodyFigure, side: BodySide
) -> None:
    view = outline(figure, side)
    keys = [region.key for region in view.regions]
    assert len(keys) == len(set(keys))
    for region in view.regions:
        found = view.region_at(*region.anchor)
        assert found is not None
        assert found.key == region.key
    # Off the body: beside the legs, above the head, and no number at all.
    assert view.region_at(3.0, 190.0) is None
    assert view.region_at(50.0, 0.5) is None
    assert view.region_at(math.nan, 100.0) is None


def test_front_and_back_show_the_childs_right_on_opposite_sides() -> None:
    front = outline(BodyFigure.CHILD, BodySide.FRONT).region("right_hand").anchor
    back = outline(BodyFigure.CHILD, BodySide.BACK).region("right_hand").anchor
    assert front[0] < 50 < back[0]


# -- records ---------------------------------------------------------------------------------------


def test_a_final_mark_is_amended_in_words_and_never_moves(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    mark = records.create_entry(workspace, mark_details(child_id, observation_id))
    records.finalise(workspace, RecordKind.BODY_MARK, mark.id)
    moved = mark_details(child_id, observation_id, **at_region(BodySide.FRONT, "right_forearm"))
    with pytest.raises(FinalEntryIsReadOnly, match="final and cannot be changed"):
        records.edit_draft(workspace, mark.id, moved)
    for field in ("x", "y", "region", "side", "figure", "observation_id"):
        with pytest.raises(InvalidInput, match=f"'{field}' cannot be amended"):
            records.amend(workspace, RecordKind.BODY_MARK, mark.id, field, "1", "Moved")
    amended = records.amend(
        workspace, RecordKind.BODY_MARK, mark.id, "colours", "Yellow-green", "Seen in daylight"
    )
    assert amended.amendments[0].new_value == "Yellow-green"
    assert amended.fields["colours"] == "Blue-purple"  # the original, untouched
    with pytest.raises(InvalidInput, match="larger than any mark on a child"):
        records.amend(workspace, RecordKind.BODY_MARK, mark.id, "length_cm", "450", "mm typed")
    # The database refuses too: raw SQL cannot move a final mark.
    with workspace.unit_of_work() as session, pytest.raises(Exception, match="final entry"):
        session.execute(text("UPDATE body_mark SET x = 10 WHERE id = :id"), {"id": mark.id})


def test_every_step_of_a_mark_is_in_the_audit_chain(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    mark = records.create_entry(workspace, mark_details(child_id, observation_id))
    records.edit_draft(workspace, mark.id, mark_details(child_id, observation_id, shape="Round"))
    records.finalise(workspace, RecordKind.BODY_MARK, mark.id)
    records.amend(workspace, RecordKind.BODY_MARK, mark.id, "shape", "Oval", "Misread")
    with workspace.vault.engine.begin() as sql:
        actions = [
            row[0]
            for row in sql.exec_driver_sql(
                "SELECT action FROM audit_event WHERE record_kind = 'body_mark' "
                "AND record_id = ? ORDER BY seq",
                (mark.id,),
            )
        ]
    assert actions == ["create", "edit_draft", "finalise", "amend"]


def test_one_occasion_is_one_outline_and_its_child(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    records.create_entry(workspace, mark_details(child_id, observation_id))
    region = outline(BodyFigure.CHILD, BodySide.FRONT).region("left_forearm")
    on_child = mark_details(
        child_id, observation_id, figure=BodyFigure.CHILD, x=region.anchor[0], y=region.anchor[1]
    )
    with pytest.raises(InvalidInput, match="drawn on the infant outline; put the mark on the same"):
        records.create_entry(workspace, on_child)
    other = people.add_child(workspace, child_details(given_name="Other"))
    with pytest.raises(InvalidInput, match="about another child"):
        records.create_entry(workspace, mark_details(other.id, observation_id))
    with pytest.raises(InvalidInput, match="delete the draft marks first"):
        records.delete_draft(workspace, RecordKind.OBSERVATION, observation_id)


# Each hostile mark, and the one sentence it gets. Nothing is saved.
HOSTILE = [
    ({"x": 3.0, "y": 190.0}, "The mark is outside the outline of the body; place it on the body."),
    ({"x": -5.0}, "The mark is outside the outline of the body; place it on the body."),
    (
        {"x": 1e308, "y": 1e308},
        "The mark is outside the outline of the body; place it on the body.",
    ),
    ({"x": math.nan}, "The mark's position is not a number; place the mark on the body map again."),
    ({"y": math.inf}, "The mark's position is not a number; place the mark on the body map again."),
    (
        {"length_cm": 450.0},
        "A length of 450 cm is larger than any mark on a child; check the "
        "number (sizes are in cm). If you measured in mm, type 45.",
    ),
    (
        {"width_cm": 1e12},
        "A width of 1e+12 cm is larger than any mark on a child; check the "
        "number (sizes are in cm).",
    ),
    ({"length_cm": math.nan}, "The mark's length is not a number; type it in cm."),
    (
        {"width_cm": -1.0},
        "The mark's width must be more than 0 cm; leave it blank if not measured.",
    ),
    (
        {"region": "left_wing"},
        "'left_wing' is not a region of the front of the infant body map; "
        "choose one from the list of regions.",
    ),
    (
        {"region": "right_forearm"},
        "The mark is placed on the left forearm, not the right "
        "forearm; place it again or choose the region it is on.",
    ),
    (
        {"description": "  "},
        "Describe the mark (for example: bruise, scratch, burn); fill it in and save again.",
    ),
    (
        {"explanation_given": "x" * 5000},
        "The explanation given is 5,000 characters long; a mark's "
        "field holds at most 4,000, so shorten it or put the rest in the observation.",
    ),
    (
        {"seen_by": "y" * 4001},
        "Who saw the mark is 4,001 characters long; a mark's field holds at "
        "most 4,000, so shorten it or put the rest in the observation.",
    ),
]


@pytest.mark.parametrize(("change", "sentence"), HOSTILE)
def test_a_hostile_mark_gets_one_clear_sentence_and_nothing_is_saved(
    workspace: Workspace, change: dict[str, object], sentence: str
) -> None:
    child_id, observation_id = occasion(workspace)
    with pytest.raises(InvalidInput) as refused:
        records.create_entry(workspace, mark_details(child_id, observation_id, **change))
    assert refused.value.message == sentence
    assert body_maps.of_child(workspace, child_id, include_drafts=True) == []


# -- alerts and the chronology ---------------------------------------------------------------------


def test_an_injury_mark_on_a_non_mobile_baby_raises_the_critical_alert(
    workspace: Workspace,
) -> None:
    child_id, observation_id = occasion(workspace)
    assert "NON_MOBILE_INJURY" not in {a.rule for a in alerts.for_child(workspace, child_id)}
    # A birthmark is not an injury.
    birthmark = mark_details(child_id, observation_id, mark_kind=MarkKind.BIRTHMARK)
    records.create_entry(workspace, birthmark)
    assert "NON_MOBILE_INJURY" not in {a.rule for a in alerts.for_child(workspace, child_id)}
    # A draft injury mark is as real as a final one.
    mark = records.create_entry(workspace, mark_details(child_id, observation_id))
    raised = {a.rule: a for a in alerts.for_child(workspace, child_id, AT.date())}
    assert raised["NON_MOBILE_INJURY"].severity.value == "critical"
    assert raised["NON_MOBILE_INJURY"].evidence == (mark.id,)
    explained = alerts.explain(workspace, child_id, AT.date())
    evidence = next(x for x in explained if x.alert.rule == "NON_MOBILE_INJURY").evidence
    assert [(item.kind, item.id) for item in evidence] == [(RecordKind.BODY_MARK, mark.id)]


def test_the_rule_reads_injury_marks_as_injuries_and_stays_pure() -> None:
    from practitioner_app.domain import alerts as rules

    def facts(born: date, non_mobile: bool = False) -> rules.CaseFacts:
        return rules.CaseFacts(
            child=rules.ChildFacts("c", born, None, non_mobile),
            own_agency=None,
            injury_marks=(rules.InjuryMarkFact("m", AT, "o", None),),
        )

    fired = rules.non_mobile_injury(facts(BORN), AT.date())
    assert fired is not None
    assert fired.evidence == ("m",)
    # Seven months old and walking along the furniture: not non-mobile, no alert.
    assert rules.non_mobile_injury(facts(AT.date() - timedelta(days=215)), AT.date()) is None
    # Marked non-mobile on the record: the alert, at any age.
    marked = facts(AT.date() - timedelta(days=215), non_mobile=True)
    assert rules.non_mobile_injury(marked, AT.date()) is not None


def test_marks_of_one_occasion_count_once_towards_repeated_injuries(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace, born=date(2020, 1, 1))
    three_marks(workspace, child_id, observation_id)
    assert "REPEAT_INJURY" not in {a.rule for a in alerts.for_child(workspace, child_id)}


def test_injury_marks_enter_the_chronology_as_significant(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    three_marks(workspace, child_id, observation_id)
    rows = [r for r in chronology.build(workspace, child_id) if r.record_kind == "body_mark"]
    assert len(rows) == 3
    by_site = {r.event.split(".")[0]: r for r in rows}
    forearm = by_site["Body map mark on the left forearm (front)"]
    assert forearm.significant
    assert forearm.significance == "high"
    assert "Explanation given: Fell against the cot (Mother) — not consistent" in forearm.event
    assert not by_site["Body map mark on the lower back (back)"].significant
    # Leaving an injury mark out of the chronology needs a reason, as an injury does.
    with pytest.raises(InvalidInput, match="give the reason"):
        chronology.choose_significance(
            workspace, child_id, RecordKind.BODY_MARK, forearm.record_id, False
        )


# -- PDFs ------------------------------------------------------------------------------------------


def _render(pdf: Path, out: Path) -> list[Path]:
    """Every page drawn at 60 dpi by PDFium (pdfplumber's renderer), as a viewer draws it."""
    paths = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            path = out.parent / f"{out.name}-{number}.png"
            page.to_image(resolution=60).save(path)
            paths.append(path)
    return paths


def test_a_body_map_with_three_marks_prints_in_the_chronology_pdf(
    workspace: Workspace, tmp_path: Path
) -> None:
    child_id, observation_id = occasion(workspace)
    three_marks(workspace, child_id, observation_id)
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, child_id, out)
    reader = PdfReader(out)
    words = " ".join(page.extract_text() for page in reader.pages)
    assert "Appendix: body maps" in words
    assert "Infant, front" in words
    assert "Infant, back" in words
    for site in ("Left forearm (front)", "Right ear (front)", "Lower back (back)"):
        assert site in words
    assert "Birthmark: Blue-grey patch" in words
    # The drawing is vector paths on the page (curves, not an image).
    page = next(p for p in reader.pages if "Appendix: body maps" in p.extract_text())
    content = page.get_contents()
    assert content is not None
    # Two outlines of four ellipses' arcs each and a silhouette of 57 curves.
    assert len(re.findall(rb" c\b", content.get_data())) > 2 * (3 * 4 + 57)
    assert not page.images
    pngs = _render(out, tmp_path / "chronology")
    assert len(pngs) == len(reader.pages)
    # PDFium draws every page, the appendix's not blank (the figure itself is its curves, above).
    with Image.open(pngs[reader.pages.index(page)]) as drawn:
        darkest, _ = cast(tuple[int, int], drawn.convert("L").getextrema())  # mode L: (min, max)
    assert darkest < 100


def test_the_marf_carries_the_body_maps_behind_it(workspace: Workspace, tmp_path: Path) -> None:
    child_id, observation_id = occasion(workspace)
    three_marks(workspace, child_id, observation_id)
    form = forms.start(workspace, child_id, "marf", to_agency="Children's social care")
    out = tmp_path / "marf.pdf"
    exports.form_pdf(workspace, form.entry.id, out, recipient=None)
    words = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Appendix: body maps" in words
    assert "Left forearm (front)" in words
    assert "DRAFT" in words  # a draft MARF; the marks themselves are final


def test_a_chronology_without_marks_has_no_body_map_appendix(
    workspace: Workspace, tmp_path: Path
) -> None:
    child_id, _ = occasion(workspace)
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, child_id, out)
    words = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Appendix: body maps" not in words


# -- bundles ---------------------------------------------------------------------------------------


def test_marks_travel_in_bundles_and_come_back_as_they_were(
    workspace: Workspace, tmp_path: Path
) -> None:
    child_id, observation_id = occasion(workspace)
    made = three_marks(workspace, child_id, observation_id)
    records.amend(workspace, RecordKind.BODY_MARK, made[0], "colours", "Yellow", "Daylight")
    bundle = json.loads(bundles.export_bundle(workspace, [child_id]))
    assert sorted(m["id"] for m in bundle["body_marks"]) == sorted(made)
    fresh, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        report = bundles.import_bundle(fresh, json.dumps(bundle).encode())
        assert report.added["body_marks"] == 3
        maps = body_maps.of_child(fresh, child_id)
        assert [m.id for m in maps[0].marks] == made
        assert maps[0].marks[0].amended
        original = body_maps.of_child(workspace, child_id)[0]
        assert [(m.side, m.x, m.y, m.region, m.what) for m in maps[0].marks] == [
            (m.side, m.x, m.y, m.region, m.what) for m in original.marks
        ]
        again = bundles.import_bundle(fresh, json.dumps(bundle).encode())
        assert again.already_present["body_marks"] == 3
        assert "NON_MOBILE_INJURY" in {a.rule for a in alerts.for_child(fresh, child_id)}
    finally:
        fresh.lock()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"x": "NaN"}, "body_marks[0].x"),
        ({"region": "left_wing"}, "'left_wing' is not a region"),
        (
            {"observation_id": "00000000-0000-4000-8000-000000000000"},
            "body_marks[0].observation_id",
        ),
        ({"length_cm": 5000}, "larger than any mark on a child"),
        ({"x": 3, "y": 190}, "outside the outline of the body"),
    ],
)
def test_a_hostile_mark_in_a_bundle_is_refused_and_nothing_is_imported(
    workspace: Workspace, tmp_path: Path, change: dict[str, object], said: str
) -> None:
    child_id, observation_id = occasion(workspace)
    three_marks(workspace, child_id, observation_id)
    bundle = json.loads(bundles.export_bundle(workspace, [child_id]))
    bundle["body_marks"][0].update(change)
    data = json.dumps(bundle).replace('"NaN"', "NaN").encode()
    fresh, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        with pytest.raises(InvalidInput) as refused:
            bundles.import_bundle(fresh, data)
        assert said in refused.value.message
        assert refused.value.message.startswith("The bundle")
        with fresh.unit_of_work() as session:
            assert session.execute(text("SELECT count(*) FROM body_mark")).scalar() == 0
            assert session.execute(text("SELECT count(*) FROM child")).scalar() == 0
    finally:
        fresh.lock()


def test_a_bundle_that_moves_a_final_mark_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    child_id, observation_id = occasion(workspace)
    made = three_marks(workspace, child_id, observation_id)
    bundle = json.loads(bundles.export_bundle(workspace, [child_id]))
    fresh, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        bundles.import_bundle(fresh, json.dumps(bundle).encode())
        first = next(m for m in bundle["body_marks"] if m["id"] == made[0])
        first["x"] += 0.5  # still on the left forearm: moved, not misplaced
        with pytest.raises(InvalidInput) as refused:
            bundles.import_bundle(fresh, json.dumps(bundle).encode())
        assert "differs in x" in refused.value.message
        assert "a final entry never changes" in refused.value.message
        maps = body_maps.of_child(fresh, child_id)
        assert (
            maps[0].marks[0].x
            == outline(BodyFigure.INFANT, BodySide.FRONT).region("left_forearm").anchor[0]
        )
    finally:
        fresh.lock()


def test_a_mark_in_a_bundle_about_another_childs_observation_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    child_id, observation_id = occasion(workspace)
    three_marks(workspace, child_id, observation_id)
    sibling = people.add_child(workspace, child_details(given_name="Sibling"))
    bundle = json.loads(bundles.export_bundle(workspace, [child_id, sibling.id]))
    bundle["body_marks"][0]["child_id"] = sibling.id
    fresh, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        with pytest.raises(InvalidInput, match="the observation the mark was seen at is about"):
            bundles.import_bundle(fresh, json.dumps(bundle).encode())
    finally:
        fresh.lock()


def test_marks_are_sealed_and_verify_names_a_moved_mark(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    made = three_marks(workspace, child_id, observation_id)
    assert integrity.verify(workspace).ok, integrity.verify(workspace).findings
    with workspace.vault.engine.begin() as sql:
        # A curious hand with the key: drop the trigger, then move a final mark.
        sql.exec_driver_sql("DROP TRIGGER body_mark_final_no_update")
        sql.exec_driver_sql("UPDATE body_mark SET x = x + 1 WHERE id = ?", (made[0],))
    findings = integrity.verify(workspace).findings
    assert any(f"The final body mark {made[0]} has been changed" in said for said in findings), (
        findings
    )


def test_a_mark_of_any_size_within_reason_and_any_region_is_kept_exactly(
    workspace: Workspace,
) -> None:
    child_id, observation_id = occasion(workspace)
    for side in BodySide:
        for region in outline(BodyFigure.INFANT, side).regions:
            details = mark_details(
                child_id,
                observation_id,
                side=side,
                region=region.key,
                x=region.anchor[0],
                y=region.anchor[1],
                length_cm=0.1,
                width_cm=100.0,
            )
            made = records.create_entry(workspace, details)
            assert made.fields["region"] == region.key
    assert isinstance(details, BodyMarkDetails)
