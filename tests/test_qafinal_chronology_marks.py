"""QA (issue 20 item 4, as merged with issue 19's leaner chronology build): the chronology of any
child with a mark on a body map cannot be built. The build reads entries as plain rows and leaves
out columns no chronology row shows, among them "length_cm" (meant for a growth observation's
length) — but a body-map mark has its own length_cm, which the chronology's mark row reads, so
building fails with AttributeError: 'PlainRow' object has no attribute 'length_cm'. The
Chronology tab, the chronology PDF and its body-map appendix all go through this build; "a body
map with three marks prints in the chronology PDF" fails. A real encrypted vault."""

from pathlib import Path

from pypdf import PdfReader

from practitioner_app.services import chronology, exports, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import mark_details
from tests.test_body_maps import occasion


def test_a_child_with_one_draft_mark_has_a_chronology(workspace: Workspace) -> None:
    child_id, observation_id = occasion(workspace)
    records.create_entry(workspace, mark_details(child_id, observation_id))

    rows = chronology.build(workspace, child_id, include_drafts=True)

    assert any("left forearm" in row.event.lower() for row in rows)


def test_a_child_with_final_marks_has_a_chronology_pdf(
    workspace: Workspace, tmp_path: Path
) -> None:
    child_id, observation_id = occasion(workspace)
    mark = records.create_entry(workspace, mark_details(child_id, observation_id))
    records.finalise(workspace, "observation", observation_id)
    records.finalise(workspace, "body_mark", mark.id)
    out = tmp_path / "chronology.pdf"

    exports.chronology(workspace, child_id, out)

    words = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Appendix: body maps" in words
