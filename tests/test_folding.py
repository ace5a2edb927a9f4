"""Issue 17, item 8: names found as people type them. The caseload filter and the full-text search
ignore accents, Unicode forms (NFC/NFD) and case: "Zoe" finds "Zoë" typed either way, "Lukasz"
finds "Łukasz"; an NHS number matches typed with spaces or hyphens; digits in another script are
read as digits, and anything else in an NHS number gets the field's own sentence. Real vault,
real FTS5 index, the real Qt filter model."""

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practitioner_app.domain import nhs_number
from practitioner_app.domain.enums import ObservationCategory
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.folding import fold, spellings, typed_words
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.domain.times import now_utc
from practitioner_app.services import casework, people, records, search
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.caseload_models import CaseloadFilter, CaseloadModel
from tests.conftest import child_details

NFC_ZOE = unicodedata.normalize("NFC", "Zoë")
NFD_ZOE = unicodedata.normalize("NFD", "Zoë")


def test_fold_ignores_case_accents_and_unicode_forms() -> None:
    assert NFC_ZOE != NFD_ZOE
    assert fold(NFC_ZOE) == fold(NFD_ZOE) == fold("ZOE") == "zoe"
    assert fold("Łukasz Wójcik") == "lukasz wojcik"
    assert fold("Søren Straße") == "soren strasse"
    assert fold("９４３ ٤٧٦") == "943 476"  # full-width and Arabic-Indic digits


@given(st.text())
def test_fold_is_the_same_for_every_normal_form(text: str) -> None:
    forms = {fold(unicodedata.normalize(form, text)) for form in ("NFC", "NFD", "NFKC", "NFKD")}
    assert len(forms) == 1


def test_typed_words_join_a_hyphenated_number_and_spellings_cover_the_letters_nfkd_keeps() -> None:
    assert typed_words("999-001-0013  Zoë") == ["9990010013", "zoe"]
    assert typed_words("Anne-Marie") == ["anne-marie"]
    assert spellings("lukasz") == ["lukasz", "łukasz"]
    assert "łoło" in spellings("lolo")
    assert spellings("x" * 40) == ["x" * 40]


@pytest.mark.parametrize(
    "typed", ["999 000 0018", "999-000-0018", "９９９ ０００ ００１８", "٩٩٩٠٠٠٠٠١٨"]
)
def test_an_nhs_number_typed_with_spaces_hyphens_or_other_digits_is_read(typed: str) -> None:
    assert nhs_number.normalise(typed) == "9990000018"


def test_an_nhs_number_with_anything_else_gets_the_fields_sentence_never_a_python_error() -> None:
    for typed in ("99900000x8", "99900000½8", "999 000 00 18 1", "999000001²"):
        # "²" is read as a 2 (NFKC); the number then fails its check digit, said so.
        with pytest.raises(InvalidInput) as refused:
            nhs_number.normalise(typed)
        assert refused.value.field == "nhs_number"
        assert refused.value.message.startswith(("An NHS number has exactly 10 digits", "That NHS"))
    assert not nhs_number.is_valid("999000001²")


def _row(name: str, nhs: str | None) -> casework.CaseloadRow:
    return casework.CaseloadRow(
        id=name, name=name, date_of_birth=date(2025, 3, 14), expected_date=None, age="1 year",
        nhs_number=nhs, open_concerns=0, highest_open_level=None, lead_professional=None,
        last_seen=None, drafts=0,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Lukasz", ["Łukasz Nowak"]),
        ("łukasz", ["Łukasz Nowak"]),
        ("Zoe", [f"{NFC_ZOE} Adeyemi", f"{NFD_ZOE} Brown"]),
        (NFD_ZOE, [f"{NFC_ZOE} Adeyemi", f"{NFD_ZOE} Brown"]),
        (f"{NFC_ZOE} brown", [f"{NFD_ZOE} Brown"]),
        ("999-001-0013", ["Łukasz Nowak"]),
        ("999 001 0013", ["Łukasz Nowak"]),
        ("9990010013", ["Łukasz Nowak"]),
        ("９９９００１００１３", ["Łukasz Nowak"]),
        ("14/03/2025 nowak", ["Łukasz Nowak"]),
    ],
)
def test_the_caseload_filter_finds_names_and_numbers_as_typed(typed: str, found: list[str]) -> None:
    model = CaseloadModel()
    model.set_rows(
        [
            _row("Łukasz Nowak", "9990010013"),
            _row(f"{NFC_ZOE} Adeyemi", None),
            _row(f"{NFD_ZOE} Brown", "9990000018"),
        ]
    )
    proxy = CaseloadFilter()
    proxy.setSourceModel(model)
    proxy.set_text(typed)
    shown = [proxy.index(r, CaseloadModel.NAME).data() for r in range(proxy.rowCount())]
    assert shown == found


def test_the_full_text_search_finds_notes_as_typed(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details()).id
    for text in (
        "Łukasz (mother's partner) answered the door.",
        f"{NFD_ZOE} said she likes nursery.",
        "Søren, the lodger, was asleep.",
    ):
        records.create_entry(
            workspace,
            ObservationDetails(
                child_id=child,
                occurred_at=now_utc(),
                category=ObservationCategory.HOME_ENVIRONMENT,
                text=text,
            ),
        )

    def found(words: str) -> list[str]:
        return [hit.snippet for hit in search.search(workspace, words)]

    assert len(found("Lukasz")) == 1
    assert found("Lukasz") == found("Łukasz") == found("łukasz")
    assert len(found("Zoe")) == 1
    assert found("Zoe") == found(NFC_ZOE) == found(NFD_ZOE)
    assert len(found("Soren lodger")) == 1
    assert found("Lukasz Zoe") == []  # every word must match


def test_vocabulary_values_read_as_people_write_them() -> None:
    from practitioner_app.domain.enums import ConcernCategory
    from practitioner_app.domain.labels import value_label
    from practitioner_app.ui.caseload import children

    assert value_label(ConcernCategory.FGM) == "FGM"
    assert value_label("was_not_brought") == "Was not brought"
    assert value_label("parental_substance_misuse") == "Parental substance misuse"
    assert (children(1), children(2), children(0)) == ("1 child", "2 children", "0 children")


@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_ascii_text_folds_as_any_text_does(text: str) -> None:
    # fold's shortcut for ASCII (lower-casing) gives what the whole Unicode fold gives.
    from practitioner_app.domain.folding import _fold_unicode

    assert fold(text) == _fold_unicode(text)
