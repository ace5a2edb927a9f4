"""QA (issue 17 item 9, "a demo caseload that is coherent ... alerts at realistic rates"): the
caseload "Try with demo data" makes (60 children, 3 years, seed 2026) shows children with 19, 18,
15 and 12 concerns open at once — "19 (highest: immediate)" beside a 15-month-old, Isla Marlow —
because the demo's concerns are raised and seldom closed. A new health visitor reads the demo as
what a caseload looks like; even a child on a child protection plan has a handful of concerns open,
not a score of them. Real demo bundle imported into a real encrypted vault."""

from practitioner_app.services import casework, demo
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.session import DEMO_CHILDREN, DEMO_SEED, DEMO_YEARS

# More open at once than any one child's plan would hold (neglect, domestic abuse, parental mental
# health, substance misuse, housing...): a generous ceiling, not a target.
MOST_OPEN_AT_ONCE = 8


def test_no_demo_child_has_a_score_of_concerns_open_at_once(workspace: Workspace) -> None:
    demo.fill(workspace, DEMO_CHILDREN, DEMO_YEARS, DEMO_SEED)

    rows = casework.caseload(workspace)

    too_many = sorted(
        ((r.open_concerns, r.name, r.age) for r in rows if r.open_concerns > MOST_OPEN_AT_ONCE),
        reverse=True,
    )
    assert too_many == []
