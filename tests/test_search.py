"""Full-text search inside the encrypted vault: ranked, prefix, snippets, safe for any input."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from practitioner_app.domain.search import fts_query
from practitioner_app.services import bundles, caseload, people, records, search
from practitioner_app.services.workspace import Workspace, open_vault_with_data_key
from practitioner_app.store.search import indexed_once_at_the_end, trigger_names
from tests.bundles import sample_bundle
from tests.conftest import AT, PASSPHRASE, child_details, run_cli, visit_details


@pytest.fixture
def imported(workspace: Workspace) -> Workspace:
    bundles.import_bundle(workspace, json.dumps(sample_bundle(), ensure_ascii=False).encode())
    return workspace


def _found(ws: Workspace, words: str, child: str | None = None) -> list[tuple[str, str]]:
    return [(hit.kind, hit.matched_in) for hit in search.search(ws, words, child)]


def test_prefixes_and_accents_match(imported: Workspace) -> None:
    assert ("visit", "visit") in _found(imported, "babb")
    assert ("visit", "visit") in _found(imported, "zoe")  # Zoë
    assert _found(imported, "domestic incid") == [("chronology_event", "chronology_event")]


def test_every_word_must_match_and_snippets_mark_them(imported: Workspace) -> None:
    hits = search.search(imported, "bruise cheek")
    assert hits
    assert all("[" in hit.snippet for hit in hits)
    assert {hit.kind for hit in hits} == {"observation"}


def test_injuries_and_amendments_lead_to_their_entry(imported: Workspace) -> None:
    hits = search.search(imported, "cot")
    assert [(h.kind, h.matched_in) for h in hits] == [("observation", "injury")]
    child = caseload.find_child(imported, "c1")
    visit = records.create_entry(imported, visit_details(child.id))
    records.finalise(imported, "visit", visit.id)
    records.amend(imported, "visit", visit.id, "notes", "Grandmother was also present.", "Omitted")
    hits = search.search(imported, "grandmother")
    assert [(h.kind, h.record_id, h.matched_in) for h in hits] == [("visit", visit.id, "amendment")]


def test_results_are_ranked_best_first(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    once = records.create_entry(
        workspace,
        visit_details(
            child.id, notes="Mentioned the dog once, among many other things said at length today."
        ),
    )
    often = records.create_entry(
        workspace, visit_details(child.id, notes="Dog. Dog bit. Dog again.")
    )
    assert [hit.record_id for hit in search.search(workspace, "dog")] == [often.id, once.id]


def test_the_index_follows_draft_edits_and_deletions(workspace: Workspace) -> None:
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(
        workspace, visit_details(child.id, notes="Scooter in the hallway.")
    )
    assert _found(workspace, "scooter") == [("visit", "visit")]
    records.edit_draft(
        workspace, visit.id, visit_details(child.id, notes="Bicycle in the hallway.")
    )
    assert _found(workspace, "scooter") == []
    assert _found(workspace, "bicycle") == [("visit", "visit")]
    records.delete_draft(workspace, "visit", visit.id)
    assert _found(workspace, "bicycle") == []


def test_search_can_be_limited_to_one_child(imported: Workspace) -> None:
    mother_hits = search.search(imported, "eleni")
    assert {hit.kind for hit in mother_hits} == {"household_member"}
    unborn = caseload.find_child(imported, "c2")
    assert search.search(imported, "bruise", unborn.id) == []
    assert [h.kind for h in search.search(imported, "eleni", unborn.id)] == ["household_member"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "*",
        "-",
        "bruise -cheek",
        "NEAR(a b)",
        "((",
        ")",
        "AND",
        "OR NOT",
        "a:b",
        "^",
        "'",
        "",
    ],
)
def test_search_syntax_is_treated_as_plain_words(imported: Workspace, query: str) -> None:
    search.search(imported, query)


@settings(
    max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(st.text())
def test_no_input_can_make_search_raise(imported: Workspace, query: str) -> None:
    search.search(imported, query)


def test_the_query_builder_quotes_every_word() -> None:
    assert fts_query('he said "NEAR" (barf*') == '"he"* AND "said"* AND "near"* AND "barf"*'
    assert fts_query("Łukasz MAYA") == '("lukasz"* OR "łukasz"*) AND "maya"*'
    assert fts_query("--- ***") is None


def test_an_older_vault_is_indexed_when_migrated(vault_dir: Path, data_key: bytes) -> None:
    from alembic import command

    from practitioner_app.store import schema

    ws = open_vault_with_data_key(vault_dir, data_key)
    child = people.add_child(ws, child_details())
    records.create_entry(ws, visit_details(child.id, notes="Trampoline in the garden."))
    # Taken back to a revision with no index: the visit is a row no index has seen.
    with ws.vault.engine.begin() as connection:
        config = schema._config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    ws.lock()
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        assert _found(ws, "trampoline") == [("visit", "visit")]
    finally:
        ws.lock()


def test_search_from_the_command_line(vault_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(sample_bundle(), ensure_ascii=False))
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    assert run_cli("import", "--vault", str(vault_dir), str(source), env=env).returncode == 0
    result = run_cli("search", "--vault", str(vault_dir), "unexplained", "bruise", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("07/06/2026  concern") for line in lines
    )  # UK date of a date-only concern
    result = run_cli("search", "--vault", str(vault_dir), "--json", "--child", "c1", "cot", env=env)
    hits = json.loads(result.stdout)
    assert [h["matched_in"] for h in hits] == ["injury"]
    datetime.fromisoformat(hits[0]["occurred_at"]).astimezone(UTC)
    odd = run_cli("search", "--vault", str(vault_dir), '"unbalanced', "(NEAR", env=env)
    assert odd.returncode == 0
    assert odd.stdout.strip() == "Nothing found."


def _triggers(ws: Workspace) -> set[str]:
    with ws.unit_of_work() as session:
        return set(
            session.connection()
            .exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .scalars()
        )


def test_an_import_indexes_what_it_added_once_and_puts_the_triggers_back(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details())
    records.create_entry(workspace, visit_details(child.id, notes="Saw the heron by the canal."))
    before = _triggers(workspace)
    assert trigger_names() <= before
    bundles.import_bundle(workspace, json.dumps(sample_bundle(), ensure_ascii=False).encode())
    assert _triggers(workspace) == before
    # What was there before is indexed once, not twice; what the import added is found.
    assert len(search.search(workspace, "heron")) == 1
    assert {hit.kind for hit in search.search(workspace, "Northshire")} >= {"chronology_event"}
    # And the triggers work again for what is written after the import.
    records.create_entry(workspace, visit_details(child.id, notes="A kingfisher this time."))
    assert len(search.search(workspace, "kingfisher")) == 1


def test_an_import_that_fails_leaves_the_index_triggers_in_place(workspace: Workspace) -> None:
    before = _triggers(workspace)

    def stopped_half_way() -> None:
        with workspace.unit_of_work() as session, indexed_once_at_the_end(session):
            assert not trigger_names() <= _triggers_in(session)  # the insert triggers are off
            raise RuntimeError("the import stopped half way")

    with pytest.raises(RuntimeError):
        stopped_half_way()
    assert _triggers(workspace) == before


def _triggers_in(session: Session) -> set[str]:
    return set(
        session.connection()
        .exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .scalars()
    )


def test_many_hits_are_placed_with_the_same_few_statements(
    workspace: Workspace,
) -> None:
    """Each hit's children and time are read kind by kind, not hit by hit (issue 19: one entry
    loaded whole and its links read per hit were most of a search's time)."""
    from sqlalchemy import event

    first = people.add_child(workspace, child_details())
    second = people.add_child(workspace, child_details(given_name="Zain", nhs_number=None))
    expected = {}
    for n in range(30):
        together = (first.id, second.id) if n % 3 == 0 else (first.id,)
        visit = records.create_entry(
            workspace,
            visit_details(first.id, child_ids=together, notes=f"Kettle left on, visit {n}."),
        )
        expected[visit.id] = set(together)
    engine = workspace.vault.engine
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        hits = search.search(workspace, "kettle")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert {hit.record_id: set(hit.child_ids) for hit in hits} == expected
    assert all(hit.occurred_at == AT for hit in hits)
    assert len(statements) <= 6, statements


def test_only_the_hits_returned_are_looked_up_across_the_whole_vault(
    workspace: Workspace,
) -> None:
    """Across the vault the index ranks its matches and only the hits returned are looked up in
    search_row; joined before the sort, every match's row was read (issue 19). For one child
    the filter needs each match's row, so there the join comes first."""
    from sqlalchemy import event

    child = people.add_child(workspace, child_details())
    for n in range(60):
        records.create_entry(workspace, visit_details(child.id, notes=f"Kettle on, visit {n}."))
    engine = workspace.vault.engine
    ran: list[tuple[str, Any]] = []

    def keep(*args: Any) -> None:
        if "MATCH" in str(args[2]):
            ran.append((str(args[2]), args[3]))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        assert len(search.search(workspace, "kettle", limit=5)) == 5
        assert len(search.search(workspace, "kettle", child.id, limit=5)) == 5
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    plans = []
    with workspace.unit_of_work() as session:
        for statement, parameters in ran:
            rows = session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters
            )
            plans.append({row[3].split(" USING")[0]: row[1] for row in rows})
    whole_vault, one_child = plans
    # (the step's parent: 0 is the outer query)
    assert whole_vault["SCAN search_index VIRTUAL TABLE INDEX 0:M1"] != 0, whole_vault
    assert whole_vault["SEARCH r"] == 0, whole_vault
    assert one_child["SCAN search_index VIRTUAL TABLE INDEX 0:M1"] == 0, one_child
    assert one_child["SEARCH r"] == 0, one_child


def test_hits_that_score_the_same_come_in_the_order_they_were_indexed(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, child_details())
    made = [
        records.create_entry(workspace, visit_details(child.id, notes="Kettle on.")).id
        for _ in range(12)
    ]
    for limit in (1, 5, 12, 50):
        for of_child in (None, child.id):
            hits = search.search(workspace, "kettle", of_child, limit=limit)
            assert [hit.record_id for hit in hits] == made[:limit]
