"""Issue 17 item 2, "a share is a share": a form exported to someone logs a share that names the
form and the version that went, so the Forms list says who each copy went to; the link travels in
bundles. A real vault, a real PDF written."""

import json
from pathlib import Path

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.sharing import Recipient
from practitioner_app.services import bundles, exports, forms, sharing
from practitioner_app.services.workspace import Workspace, create_vault
from tests.conftest import PASSPHRASE, PROFILE
from tests.test_forms import make_case

GP = Recipient("Dr Priya Shah, GP", "Second opinion", "UK GDPR Art. 6(1)(e)", Consent.GIVEN)
MASH = Recipient("Northshire MASH", "Referral", "Children Act 1989 s.47", Consent.GIVEN)


def test_each_copy_of_a_form_is_listed_with_who_it_went_to_and_which_version(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    exports.form_pdf(workspace, form.id, tmp_path / "draft.pdf", recipient=GP)
    exports.form_pdf(workspace, form.id, tmp_path / "mine.pdf", recipient=None)  # not a share
    other = forms.start(workspace, case.child, "marf")

    listed = {summary.id: summary for summary in forms.for_child(workspace, case.child)}
    [copy] = listed[form.id].copies
    assert (copy.with_whom, copy.final) == ("Dr Priya Shah, GP", False)
    assert listed[other.id].copies == ()  # a share of one form is not a share of another
    [share] = sharing.log(workspace, case.child)
    assert "DRAFT" in share.what


def test_the_form_a_share_was_a_copy_of_travels_in_a_bundle(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    exports.form_pdf(workspace, form.id, tmp_path / "draft.pdf", recipient=MASH)
    exported = bundles.export_bundle(workspace, [case.child])
    [shared] = json.loads(exported)["sharing"]
    assert (shared["referral_id"], shared["form_final"]) == (form.id, False)

    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        bundles.import_bundle(other, exported)
        [summary] = forms.for_child(other, case.child)
        assert [c.with_whom for c in summary.copies] == ["Northshire MASH"]
    finally:
        other.lock()
