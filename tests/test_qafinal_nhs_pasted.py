"""QA (issue 17 item 8: "NHS numbers match with spaces or hyphens; non-ASCII digits ... normalised
or refused with the field's own sentence"): an NHS number copied from a letter or an email comes
with what the eye cannot see or tell apart — a zero-width space, the direction marks Windows adds
around numbers copied from right-to-left text, an en dash or non-breaking hyphen that a word
processor put in place of "-". Spaces, hyphens and Arabic-Indic digits are taken (holds); these
are refused with "An NHS number has exactly 10 digits" — ten digits are there to see — and the
caseload filter does not find the child by them."""

from datetime import date

import pytest

from practitioner_app.domain import nhs_number
from practitioner_app.domain.records import ChildDetails
from practitioner_app.ui.caseload_models import CaseloadFilter, CaseloadModel
from tests.test_folding import _row

AS_PASTED = [
    pytest.param("9990000018\u200b", id="zero-width space after"),
    pytest.param("\u202a999 000 0018\u202c", id="direction marks around"),
    pytest.param("\u2066999 000 0018\u2069", id="isolate marks around"),
    pytest.param("999\u2013000\u20130018", id="en dashes"),
    pytest.param("999\u2011000\u20110018", id="non-breaking hyphens"),
]


@pytest.mark.parametrize("typed", AS_PASTED)
def test_an_nhs_number_as_pasted_is_taken_as_its_ten_digits(typed: str) -> None:
    details = ChildDetails("Maya", "Okafor", date_of_birth=date(2025, 3, 14), nhs_number=typed)
    details.validate(date(2026, 11, 30))
    assert nhs_number.normalise(typed) == "9990000018"


@pytest.mark.parametrize("typed", AS_PASTED)
def test_the_caseload_filter_finds_a_child_by_an_nhs_number_as_pasted(typed: str) -> None:
    model = CaseloadModel()
    model.set_rows([_row("Maya Okafor", "9990000018"), _row("Leo Brown", "9990010013")])
    proxy = CaseloadFilter()
    proxy.setSourceModel(model)
    proxy.set_text(typed)
    shown = [proxy.index(r, CaseloadModel.NAME).data() for r in range(proxy.rowCount())]
    assert shown == ["Maya Okafor"]
