"""Forms as PDFs, read back: every section in order, nothing blank, amendments beside the
original, a share logged only when it goes to someone; and the `forms`, `form-pdf` and `sharing` commands."""

import dataclasses
import json
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.sharing import Recipient
from practitioner_app.export import pdf
from practitioner_app.export.form_pdf import section_titles
from practitioner_app.services import bundles, caseload, exports, forms, integrity, records, sharing
from practitioner_app.services.workspace import Workspace
from tests.bundles import sample_bundle
from tests.conftest import PASSPHRASE, run_cli
from tests.test_chronology_pdf import HOSTILE, PASSWORD, opened_files, squash
from tests.test_forms import complete_marf, make_case

_ = opened_files  # the fixture, imported for use here

TO_THE_GP = Recipient(
    with_whom="Dr Priya Shah, GP",
    purpose="Second opinion on Maya's weight loss",
    lawful_basis="UK GDPR Art. 6(1)(e) and 9(2)(h); Children Act 2004 s.11",
    consent=Consent.GIVEN,
)


def text_of(path: Path, password: str | None = None) -> str:
    reader = PdfReader(path)
    if password is not None:
        reader.decrypt(password)
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(value: str) -> str:
    return " ".join(value.split())


def unanswered(view: forms.FormView) -> int:
    """How many answers that apply to this form were not given."""
    return sum(
        1
        for a in view.definition.answers
        if definitions.applies(a, view.details)
        and not definitions.answered(definitions.answer_value(view.details, a))
    )


@pytest.fixture
def marf(workspace: Workspace) -> forms.FormView:
    case = make_case(workspace)
    return complete_marf(workspace, forms.start(workspace, case.child, "marf"))


def test_a_final_marf_prints_every_section_in_order_and_none_blank(
    workspace: Workspace, marf: forms.FormView, tmp_path: Path
) -> None:
    details = dataclasses.replace(
        marf.details,
        immediate_risk=True,
        sections={**marf.details.sections, "immediate_risk": "Lee threatened to hit Maya."},
    )
    forms.save(workspace, marf.id, details)
    final = forms.finalise(workspace, marf.id)
    records.amend(
        workspace,
        "referral",
        final.id,
        "sections.strengths",
        "Grandmother visits daily.",
        "Learned after the referral was sent.",
    )
    out = tmp_path / "marf.pdf"
    made = exports.form_pdf(workspace, final.id, out, recipient=TO_THE_GP)
    assert made.pages >= 2
    assert made.size == out.stat().st_size
    assert not made.protected
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name != "vault"] == ["marf.pdf"]

    body = flat(text_of(out))
    # Every section heading, in the definition's order, with the section keys of the issue.
    assert [s.key for s in definitions.MARF.sections] == [
        "referrer", "child", "identification", "household", "contacts", "professionals",
        "level_of_need", "reason", "concerns", "child_views", "parent_views", "strengths",
        "previous_interventions", "immediate_risk", "consent", "safeguarding_lead",
        "not_to_share", "outcome_sought",
    ]  # fmt: skip
    positions = [body.index(title) for title in section_titles(definitions.MARF)]
    assert positions == sorted(positions)
    # No section is silently blank: each unanswered answer says so, and only those.
    assert body.count(definitions.NO_INFORMATION) == unanswered(forms.get(workspace, final.id))
    assert unanswered(forms.get(workspace, final.id)) >= 3
    for expected in (
        "FINAL — finalised",
        "IMMEDIATE RISK",
        "Lee threatened to hit Maya.",
        "Parental responsibility: Anna Nowak",
        "Neglect (high), open: Home cold; little food in the cupboards.",
        "I don't like it when they shout.",
        "Cumulative neglect and domestic abuse",
        "A child and family assessment.",
        "Are the family aware of this referral? Yes",
        "Consent to the referral Given",
    ):
        assert expected in body, expected
    # The amendment follows the (empty) original, with who, when and why.
    strengths = body.index("12. Strengths and protective factors")
    original = body.index(definitions.NO_INFORMATION, strengths)
    amended = body.index("AMENDED", strengths)
    assert original < amended < body.index("13. Previous interventions")
    assert "Reason: Learned after the referral was sent. Grandmother visits daily." in body
    # The page furniture of every PDF this app makes.
    for page in PdfReader(out).pages:
        words = flat(page.extract_text())
        assert words.count(pdf.MARKING) == 2
        assert "Maya Okafor" in words
        assert "Born 14/03/2025" in words
        assert "Reflects the vault's audit chain to record" in words
    info = PdfReader(out).metadata
    assert info is not None
    assert info.title == "Referral (MARF): Maya Okafor"

    # Going to the GP, the export is a share: logged exactly as the practitioner gave it, with
    # the version that went; finalising the form logged nothing.
    [share] = sharing.log(workspace, final.child.id)
    assert (share.with_whom, share.what, share.purpose, share.lawful_basis, share.consent) == (
        "Dr Priya Shah, GP",
        "Multi-agency referral form (MARF), final version (PDF)",
        TO_THE_GP.purpose,
        TO_THE_GP.lawful_basis,
        Consent.GIVEN,
    )
    trail = integrity.audit_trail(workspace)
    assert (trail[-1].action, trail[-1].record_kind, trail[-1].record_id) == (
        "export",
        "referral",
        final.id,
    )
    assert json.loads(trail[-1].detail)["document"] == "marf_pdf"
    assert json.loads(trail[-1].detail)["shared"] is True


def test_a_draft_is_marked_draft_on_every_page_and_its_share_names_the_draft_version(
    workspace: Workspace, workspace_case_form: forms.FormView, tmp_path: Path
) -> None:
    out = tmp_path / "draft.pdf"
    to_strategy = Recipient(
        "Strategy meeting, Northshire MASH",
        "Information for the strategy discussion",
        "UK GDPR Art. 6(1)(e); Children Act 1989 s.47",
        Consent.NOT_SOUGHT,
        "Telling the family could put Maya at risk before the strategy discussion.",
    )
    made = exports.form_pdf(workspace, workspace_case_form.id, out, recipient=to_strategy)
    body = flat(text_of(out))
    assert "DRAFT — not finalised; it may still change" in body
    assert made.pages >= 2
    for page in PdfReader(out).pages:
        # The large diagonal marking, besides the header's title.
        assert flat(page.extract_text()).count("DRAFT") >= 2
    [share] = sharing.log(workspace, workspace_case_form.child.id)
    assert share.what == "Multi-agency referral form (MARF), DRAFT version (PDF)"
    assert (share.with_whom, share.purpose, share.lawful_basis) == (
        to_strategy.with_whom,
        to_strategy.purpose,
        to_strategy.lawful_basis,
    )
    assert share.consent is Consent.NOT_SOUGHT
    assert share.reason == to_strategy.reason


def test_a_pdf_kept_for_oneself_is_not_a_share_and_a_final_one_has_no_draft_marking(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = make_case(workspace)
    marf = complete_marf(workspace, forms.start(workspace, case.child, "marf"))
    final = forms.finalise(workspace, marf.id)
    assert sharing.log(workspace, case.child) == []  # finalising is not sending
    out = tmp_path / "mine.pdf"
    exports.form_pdf(workspace, final.id, out, recipient=None)
    assert sharing.log(workspace, case.child) == []
    for page in PdfReader(out).pages:
        assert "DRAFT" not in page.extract_text()
    trail = integrity.audit_trail(workspace)
    assert (trail[-1].action, json.loads(trail[-1].detail)["shared"]) == ("export", False)


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ({"with_whom": " "}, "with_whom"),
        ({"purpose": ""}, "purpose"),
        ({"lawful_basis": ""}, "lawful_basis"),
        ({"consent": None}, "consent"),
        ({"consent": Consent.REFUSED, "reason": None}, "reason"),
    ],
)
def test_a_share_without_every_choice_is_refused_and_nothing_is_written(
    workspace: Workspace,
    workspace_case_form: forms.FormView,
    tmp_path: Path,
    missing: dict[str, object],
    field: str,
) -> None:
    out = tmp_path / "refused.pdf"
    with pytest.raises(InvalidInput) as refused:
        exports.form_pdf(
            workspace,
            workspace_case_form.id,
            out,
            recipient=dataclasses.replace(TO_THE_GP, **missing),  # type: ignore[arg-type]
        )
    assert refused.value.field == field
    assert not out.exists()
    assert sharing.log(workspace, workspace_case_form.child.id) == []


@pytest.fixture
def workspace_case_form(workspace: Workspace) -> forms.FormView:
    return forms.start(workspace, make_case(workspace).child, "marf")


def test_the_early_help_plan_prints_as_a_table_and_the_review_date_in_full(
    workspace: Workspace, tmp_path: Path
) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "early_help")
    plan = definitions.format_actions(
        [
            definitions.PlannedAction("Refer to housing for the damp", "Health visitor", "1 Dec"),
            definitions.PlannedAction("Parenting group", "Family hub", "January"),
        ]
    )
    forms.save(
        workspace,
        form.id,
        dataclasses.replace(
            form.details,
            sections={
                **form.details.sections,
                "plan.actions": plan,
                "plan.review_date": "2027-02-01",
            },
        ),
    )
    out = tmp_path / "eh.pdf"
    exports.form_pdf(workspace, form.id, out, recipient=None)
    body = flat(text_of(out))
    positions = [body.index(title) for title in section_titles(definitions.EARLY_HELP)]
    assert positions == sorted(positions)
    assert "Action Who By when" in body
    assert "Refer to housing for the damp Health visitor 1 Dec" in body
    assert "Review date 01/02/2027" in body
    assert body.count(definitions.NO_INFORMATION) == unanswered(forms.get(workspace, form.id))


def test_hostile_answers_print_literally_and_open_no_file(
    workspace: Workspace,
    workspace_case_form: forms.FormView,
    tmp_path: Path,
    opened_files: list[str],
) -> None:
    sections = dict(workspace_case_form.details.sections)
    for key, value in zip(
        ("reason", "strengths", "parent_views", "not_to_share", "outcome_sought", "child_views",
         "previous_interventions", "referrer.contact", "professionals"),
        HOSTILE,
        strict=True,
    ):  # fmt: skip
        sections[key] = value
    forms.save(
        workspace,
        workspace_case_form.id,
        dataclasses.replace(workspace_case_form.details, sections=sections),
    )
    out = tmp_path / "hostile.pdf"
    exports.form_pdf(workspace, workspace_case_form.id, out, recipient=None)
    assert not [p for p in opened_files if "passwd" in p or p.endswith((".png", ".jpg"))]
    body = squash(text_of(out))
    for value in HOSTILE:
        assert squash(pdf.shown(value)) in body, value


def test_a_protected_form_opens_only_with_its_password(
    workspace: Workspace, workspace_case_form: forms.FormView, tmp_path: Path
) -> None:
    out = tmp_path / "locked.pdf"
    made = exports.form_pdf(
        workspace, workspace_case_form.id, out, recipient=None, password=PASSWORD
    )
    assert made.protected
    assert b"Okafor" not in out.read_bytes()
    reader = PdfReader(out)
    assert reader.is_encrypted
    assert not reader.decrypt("wrong password here 99")
    assert "Maya Okafor" in text_of(out, PASSWORD)
    with pytest.raises(Exception, match="not strong enough"):
        exports.form_pdf(
            workspace,
            workspace_case_form.id,
            tmp_path / "weak.pdf",
            recipient=TO_THE_GP,
            password="abc",
        )
    assert not (tmp_path / "weak.pdf").exists()
    assert sharing.log(workspace, workspace_case_form.child.id) == []


def test_an_imported_referral_is_a_marf_and_keeps_what_it_carried(
    workspace: Workspace, tmp_path: Path
) -> None:
    bundle = sample_bundle()
    bundle["referrals"][0]["sections"]["family_history"] = "Older sibling in care 2019."
    bundles.import_bundle(workspace, json.dumps(bundle).encode())
    child = caseload.find_child(workspace, "c1").id
    [summary] = forms.for_child(workspace, child)
    assert (summary.form, summary.title, summary.status) == (
        "marf",
        "Multi-agency referral form",
        "final",
    )
    out = tmp_path / "imported.pdf"
    exports.form_pdf(workspace, summary.id, out, recipient=None)
    body = flat(text_of(out))
    assert "Unexplained bruise on a 15-month-old." in body
    assert "Would place the child at risk" in body
    assert "Other information on the form Family history Older sibling in care 2019." in body
    view = forms.get(workspace, summary.id)
    assert body.count(definitions.NO_INFORMATION) == unanswered(view)
    # Exported again, the bundle names no form for a MARF (format 1) and keeps every section.
    again = json.loads(bundles.export_bundle(workspace, [child]))
    assert "form" not in again["referrals"][0]
    assert again["referrals"][0]["sections"]["family_history"] == "Older sibling in care 2019."


def test_an_early_help_assessment_travels_in_a_bundle_as_itself(workspace: Workspace) -> None:
    case = make_case(workspace)
    forms.start(workspace, case.child, "early_help")
    exported = json.loads(bundles.export_bundle(workspace, [case.child]))
    assert [r.get("form") for r in exported["referrals"]] == ["early_help"]


def test_the_command_line_lists_forms_writes_the_pdf_and_shows_the_log(
    vault_dir: Path, tmp_path: Path, workspace: Workspace
) -> None:
    case = make_case(workspace)
    form = forms.finalise(
        workspace, complete_marf(workspace, forms.start(workspace, case.child, "marf")).id
    )
    draft = forms.start(workspace, case.child, "early_help")
    workspace.lock()
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    common = ("--vault", str(vault_dir))

    listed = run_cli("forms", case.child, *common, env=env)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 2
    assert draft.id in lines[0]
    assert "DRAFT" in lines[0]
    assert "Early help assessment" in lines[0]
    assert form.id in lines[1]
    assert "final" in lines[1]
    assert "18 of 18 sections complete" in lines[1]

    as_json = json.loads(run_cli("forms", case.child, *common, "--json", env=env).stdout)
    marf = next(f for f in as_json if f["form"] == "marf")
    assert set(marf["progress"]) == {s.key for s in definitions.MARF.sections}
    assert marf["sections"]["outcome_sought"] == "A child and family assessment."
    assert marf["consent"] == {"family_aware": True, "consent": "given", "reason_not_sought": None}
    early = next(f for f in as_json if f["form"] == "early_help")
    assert "The plan: Actions, who will do them and by when" in early["still_needed"]

    out = tmp_path / "cli.pdf"
    password_file = tmp_path / "pw"
    password_file.write_text(PASSWORD)
    done = run_cli(
        "form-pdf", form.id, *common, "--pdf", str(out), "--to", "Strategy meeting",
        "--purpose", "Strategy discussion", "--lawful-basis", "Children Act 1989 s.47",
        "--consent", "given", "--password-file", str(password_file), env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "protected with the password" in done.stdout
    assert "sharing log" in done.stdout
    assert "Cumulative neglect" in text_of(out, PASSWORD)

    log = json.loads(run_cli("sharing", case.child, *common, "--json", env=env).stdout)
    assert [x["with_whom"] for x in log] == ["Strategy meeting"]
    assert (log[0]["purpose"], log[0]["lawful_basis"]) == (
        "Strategy discussion",
        "Children Act 1989 s.47",
    )
    assert log[0]["consent"] == "given"
    assert log[0]["shared"] is True
    shown = run_cli("sharing", case.child, *common, env=env).stdout
    assert "Multi-agency referral form (MARF), final version (PDF) — shared with Strategy" in shown

    mine = run_cli("form-pdf", form.id, *common, "--pdf", str(tmp_path / "mine.pdf"), env=env)
    assert mine.returncode == 0, mine.stderr
    assert "no share was logged" in mine.stdout
    log = json.loads(run_cli("sharing", case.child, *common, "--json", env=env).stdout)
    assert len(log) == 1

    for args, message in [
        (("form-pdf", "no-such-form", "--pdf", str(out)), "There is no form with id no-such-form"),
        (("form-pdf", form.id, "--pdf", str(tmp_path)), "is a folder"),
        (("form-pdf", form.id, "--pdf", str(out), "--to", " "), "(--shared-with)"),
        (("form-pdf", form.id, "--pdf", str(out), "--to", "GP"), "(--purpose)"),
        (("form-pdf", form.id, "--pdf", str(out), "--consent", "given"), "add --shared-with"),
        (("form-pdf", form.id), "Missing option '--pdf'"),
        (("forms", "nobody"), "nobody"),
    ]:
        bad = run_cli(*args, *common, env=env)
        assert bad.returncode != 0
        assert message in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr
