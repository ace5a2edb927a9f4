"""Every PDF the app makes carries the audit head it was made from (issue 16 item 1, SECURITY.md
promise 15): the chronology, a form and the growth charts each print, on every page, the chain's
newest event and its hash as they stood when the PDF was made, and `verify --head` with what the
page says checks the chain still holds it."""

import re
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from practitioner_app.domain.enums import Sex
from practitioner_app.services import exports, forms, growth, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import audit
from tests.conftest import PASSPHRASE, child_details, run_cli
from tests.test_forms import make_case
from tests.test_growth_records import BORN, weighed

_HEAD = re.compile(r"auditchaintorecord(\d+),head([0-9a-f]{64})")


def _heads_printed(pdf: Path) -> set[tuple[int, str]]:
    pages = PdfReader(pdf).pages
    found = [_HEAD.search("".join(page.extract_text().split())) for page in pages]
    # Text extraction may run the words together; match without spaces.
    assert all(found), "a page without the audit head"
    return {(int(m.group(1)), m.group(2)) for m in found if m}


def _head(workspace: Workspace) -> tuple[int, str]:
    with workspace.unit_of_work() as session:
        return audit.head(session)


def test_every_kind_of_pdf_prints_the_head_it_was_made_from(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    child = people.add_child(workspace, child_details(sex=Sex.FEMALE))
    records.create_entry(workspace, weighed(child.id, BORN, weight_kg=3.3))
    records.create_entry(workspace, weighed(child.id, BORN + timedelta(days=30), weight_kg=4.1))
    made = {}
    head = _head(workspace)
    exports.chronology(workspace, case.child, tmp_path / "chronology.pdf")
    made["chronology"] = head
    head = _head(workspace)
    exports.form_pdf(workspace, form.id, tmp_path / "form.pdf", recipient=None)
    made["form"] = head
    head = _head(workspace)
    growth.export_pdf(workspace, child.id, tmp_path / "growth.pdf")
    made["growth"] = head
    for name, head in made.items():
        assert _heads_printed(tmp_path / f"{name}.pdf") == {head}, name
    vault = workspace.vault.paths.root
    workspace.lock()
    witnessed = [f"--head={seq}:{hash_}" for seq, hash_ in made.values()]
    checked = run_cli(
        "verify", "--vault", str(vault), *witnessed, env={"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    )
    assert checked.returncode == 0, checked.stdout
    assert "witnessed heads: ok, the chain holds all 3" in checked.stdout
