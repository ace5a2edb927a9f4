"""Case bundles in and out of a real vault: round trip, idempotence, all-or-nothing, the CLI."""

import copy
import gc
import json
import stat
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from practitioner_app.domain.errors import InvalidInput, PassphraseNotAccepted
from practitioner_app.services import bundles, caseload, integrity, records
from practitioner_app.services.workspace import (
    Workspace,
    create_vault,
    open_vault_with_data_key,
)
from practitioner_app.store import bulk_sqlite, seals
from practitioner_app.vault import engine as vault_engine
from tests.bundles import sample_bundle, uid
from tests.conftest import PASSPHRASE, PROFILE, run_cli

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "resources" / "bundle.schema.json").read_text()
)
ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


def _data(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _records(exported: bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(exported)
    # Who exported it, from which vault and when: the rest is the records, the same everywhere.
    del document["exported_at"], document["exported_by"], document["vault_id"]
    return document


def _counts(ws: Workspace) -> tuple[int, dict[str, int]]:
    return len(caseload.list_children(ws)), integrity.record_counts(ws)


def test_export_import_export_gives_the_same_records(workspace: Workspace, tmp_path: Path) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    first = bundles.export_bundle(workspace)
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        report = bundles.import_bundle(other, first)
        second = bundles.export_bundle(other)
        assert integrity.verify(other).ok
    finally:
        other.lock()
    assert report.already_present == {}
    assert _records(second) == _records(first)
    jsonschema.validate(json.loads(first), SCHEMA)


def test_the_import_keeps_what_the_bundle_says(workspace: Workspace) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    exported = json.loads(bundles.export_bundle(workspace))
    source = sample_bundle()
    visit = next(v for v in exported["visits"] if v["id"] == uid("visits", "v1"))
    assert visit["author"] == source["visits"][0]["author"]
    assert visit["occurred_at"] == "2026-06-06T23:30:00+01:00"  # a UK local time stays on its day
    assert visit["notes"] == "Home cold; \u0000 NUL kept."
    by_id = {o["id"]: o for o in exported["observations"]}
    assert by_id[uid("observations", "o2")]["observed_at"] == "2026-06-06"  # a date stays a date
    assert exported["events"][0]["date_uncertain"] is True
    people = {p["id"]: p for p in exported["people"]}
    assert people[uid("people", "p1")]["from"] == "2025-03-14"
    assert exported["referrals"][0]["consent"]["consent"] == "not_sought"
    assert {c["given_name"] for c in exported["children"]} == {"Zoë", "Ілля"}


def test_importing_the_same_bundle_again_adds_nothing(workspace: Workspace) -> None:
    first = bundles.import_bundle(workspace, _data(sample_bundle()))
    before = _counts(workspace)
    again = bundles.import_bundle(workspace, _data(sample_bundle()))
    assert again.added == {}
    assert again.already_present == first.added
    assert _counts(workspace) == before
    trail = integrity.audit_trail(workspace)
    assert [row.action for row in trail].count("import") == 2
    assert integrity.verify(workspace).ok


def test_new_records_can_link_to_ones_already_present(workspace: Workspace) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    later = copy.deepcopy(sample_bundle())
    later["visits"].append(
        {
            "id": "v3",
            "child_ids": ["c1"],
            "occurred_at": "2026-08-01T10:00",
            "kind": "home",
            "outcome": "no_access",
        }
    )
    report = bundles.import_bundle(workspace, _data(later))
    assert report.added == {"visits": 1}


def test_a_bad_record_late_in_the_bundle_means_nothing_is_imported(workspace: Workspace) -> None:
    document = sample_bundle()
    document["visits"][1]["child_seen_alone"] = (
        True  # seen alone, at a visit the child was not brought to
    )
    before = _counts(workspace)
    with pytest.raises(
        InvalidInput, match=r"visits\[1\]\.child_seen_alone: A child cannot be seen alone"
    ):
        bundles.import_bundle(workspace, _data(document))
    assert _counts(workspace) == before


def _cache_size(driver_connection: Any) -> int:
    return int(driver_connection.execute("PRAGMA cache_size").fetchone()[0])


def test_a_connection_returns_to_the_pool_with_the_vaults_own_page_cache(
    workspace: Workspace,
) -> None:
    # bulk_sqlite.use_page_cache lasts the unit of work; the pool sets the vault's own size back
    # (vault/engine.py), whether the unit of work was committed or rolled back.
    with workspace.unit_of_work() as session:
        driver = session.connection().connection.dbapi_connection
        own = _cache_size(driver)
        bulk_sqlite.use_page_cache(session, 64)
        assert _cache_size(driver) == -64 * 1024
    assert _cache_size(driver) == own
    used: list[Any] = []

    def refused() -> None:
        with workspace.unit_of_work() as session:
            used.append(session.connection().connection.dbapi_connection)
            bulk_sqlite.use_page_cache(session, 64)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        refused()
    assert _cache_size(used[0]) == own


def test_an_import_sets_its_own_page_cache_and_the_pool_gives_it_back(
    workspace: Workspace,
) -> None:
    from sqlalchemy import event

    set_on: list[Any] = []  # the driver connection of each import, as it set its cache

    def note(_: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.startswith("PRAGMA cache_size = -"):
            set_on.append(cursor.connection)

    own = int(vault_engine.PAGE_CACHE.split("=")[1])
    engine = workspace.vault.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        bundles.import_bundle(workspace, _data(sample_bundle()))
        document = sample_bundle()
        document["visits"][1]["child_seen_alone"] = True
        with pytest.raises(InvalidInput):
            bundles.import_bundle(workspace, _data(document))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(set_on) == 2
    assert all(_cache_size(driver) == own for driver in set_on)


def test_ctrl_c_during_an_import_stays_a_ctrl_c_and_keeps_nothing(workspace: Workspace) -> None:
    # The CLI turns KeyboardInterrupt into "stopped. Nothing half-written was kept..." (cli/base.py).
    # SQLAlchemy drops a connection interrupted inside a statement; nothing the import does
    # afterwards may use that connection and put another error in the interrupt's place.
    from sqlalchemy import event

    def interrupt(*args: Any) -> None:
        if str(args[2]).startswith("INSERT INTO visit "):
            raise KeyboardInterrupt

    before = _counts(workspace)
    event.listen(workspace.vault.engine, "before_cursor_execute", interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            bundles.import_bundle(workspace, _data(sample_bundle()))
    finally:
        event.remove(workspace.vault.engine, "before_cursor_execute", interrupt)
    assert _counts(workspace) == before
    assert bundles.import_bundle(workspace, _data(sample_bundle())).added


def test_an_import_leaves_the_cyclic_collector_as_it_found_it(workspace: Workspace) -> None:
    # The import pauses the collector while it builds its objects (gcpause.py); refused or not,
    # it must be running again afterwards, or the app would never collect cycles again.
    assert gc.isenabled()
    bundles.import_bundle(workspace, _data(sample_bundle()))
    assert gc.isenabled()
    document = sample_bundle()
    document["visits"][1]["child_seen_alone"] = True
    with pytest.raises(InvalidInput):
        bundles.import_bundle(workspace, _data(document))
    assert gc.isenabled()


def test_a_records_seal_is_the_same_read_by_id_or_with_its_whole_table(
    workspace: Workspace,
) -> None:
    # seals.current reads the whole table when asked for most of it (an import into a new
    # vault) and looks ids up otherwise; both must seal exactly what is stored.
    document = sample_bundle()
    for number in range(4):  # final visits enough that one is a small part of the table
        document["visits"].append({**document["visits"][0], "id": f"v-more-{number}"})
    bundles.import_bundle(workspace, _data(document))
    key = workspace.audit_key()
    with workspace.unit_of_work() as session:
        connection = session.connection()
        every = seals.current(connection, key, "visit")  # with each visit's links to children
        assert len(every) == 6
        assert [record.final for record in every.values()].count(False) == 1  # v2, a draft
        assert seals.current(connection, key, "visit", list(every)) == every
        one_by_one = {}
        for record_id in every:
            one_by_one.update(seals.current(connection, key, "visit", [record_id]))
        assert one_by_one == every


def test_any_unicode_survives_the_round_trip_byte_for_byte(workspace: Workspace) -> None:
    hostile = "<img src=/etc/passwd>\u202e\u0000'; DROP TABLE visit;-- 🙂 ﷺ नमस्ते \U0010ffff" * 50
    document = sample_bundle()
    document["visits"][0]["notes"] = hostile
    document["children"][0]["given_name"] = "Zoë\u200d‍"
    bundles.import_bundle(workspace, _data(document))
    exported = json.loads(bundles.export_bundle(workspace))
    assert next(v for v in exported["visits"] if v["id"] == uid("visits", "v1"))["notes"] == hostile
    child = next(c for c in exported["children"] if c["id"] == uid("children", "c1"))
    assert child["given_name"] == "Zoë\u200d‍"


def test_exporting_one_child_takes_only_their_records(workspace: Workspace) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    unborn = caseload.find_child(workspace, "c2")
    exported = json.loads(bundles.export_bundle(workspace, [unborn.id]))
    assert [c["id"] for c in exported["children"]] == [uid("children", "c2")]
    assert [c["reference"] for c in exported["children"]] == ["c2"]
    assert [p["id"] for p in exported["people"]] == [uid("people", "p1")]
    assert exported["people"][0]["child_ids"] == [uid("children", "c2")]
    assert exported["visits"] == []
    assert exported["concerns"] == []
    jsonschema.validate(exported, SCHEMA)


def test_records_made_in_the_app_export_with_their_vault_ids(workspace: Workspace) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    child = caseload.find_child(workspace, "c1")
    from tests.conftest import visit_details

    visit = records.create_entry(workspace, visit_details(child.id))
    exported = json.loads(bundles.export_bundle(workspace))
    assert visit.id in {v["id"] for v in exported["visits"]}
    assert next(v for v in exported["visits"] if v["id"] == visit.id)["status"] == "draft"


def test_ctrl_c_after_the_import_was_saved_does_not_say_nothing_was_kept(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Ctrl-C during the commit (or while the report prints) stops the command after the import
    # is in the vault: the sentence must not read as "nothing was imported" (fresh review).
    source = tmp_path / "in.json"
    source.write_bytes(_data(sample_bundle()))
    imported = bundles.import_bundle

    def then_ctrl_c(*args: Any, **kwargs: Any) -> Any:
        imported(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(bundles, "import_bundle", then_ctrl_c)
    result = run_cli("import", "--vault", str(vault_dir), str(source), env=ENV)
    assert result.returncode == 130
    assert "whatever was saved before you pressed Ctrl-C stays saved" in result.stderr
    assert "practitioner-app audit" in result.stderr
    listed = run_cli("children", "--vault", str(vault_dir), env=ENV)
    assert "Zoë" in listed.stdout  # the import was saved
    assert "Ілля" in listed.stdout


def test_import_and_export_from_the_command_line(vault_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(_data(sample_bundle()))
    result = run_cli("import", "--vault", str(vault_dir), str(source), env=ENV)
    assert result.returncode == 0, result.stderr
    assert "Added: 2 children, 2 household members, 1 professional, 2 visits" in result.stdout
    again = run_cli("import", "--vault", str(vault_dir), str(source), env=ENV)
    assert "Added: nothing." in again.stdout

    out = tmp_path / "out.json"
    result = run_cli(
        "export-bundle", "--vault", str(vault_dir), "--out", str(out), "--child", "c1", env=ENV
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [c["reference"] for c in json.loads(out.read_text())["children"]] == ["c1"]


def test_a_bad_bundle_on_the_command_line_is_one_sentence_and_changes_nothing(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    document = sample_bundle()
    document["visits"][0]["outcome"] = "maybe"
    source = tmp_path / "bad.json"
    source.write_bytes(_data(document))
    result = run_cli("import", "--vault", str(vault_dir), str(source), env=ENV)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "visits[0].outcome: 'maybe' is not one of" in lines[0]
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        assert caseload.list_children(ws) == []
    finally:
        ws.lock()


def test_an_unknown_child_on_export_is_named(vault_dir: Path, tmp_path: Path) -> None:
    result = run_cli(
        "export-bundle",
        "--vault",
        str(vault_dir),
        "--out",
        str(tmp_path / "x.json"),
        "--child",
        "nobody",
        env=ENV,
    )
    assert result.returncode == 1
    assert "No child has the id or reference 'nobody'" in result.stderr
    assert not (tmp_path / "x.json").exists()


def test_an_encrypted_bundle_round_trips_and_holds_no_plain_text(
    workspace: Workspace, tmp_path: Path
) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    out = tmp_path / "sealed.bundle"
    bundles.write_bundle(workspace, out, passphrase="seven quiet harbour violins")
    sealed_bytes = out.read_bytes()
    for text in ("Αλεξίου", "Zoë", "Bruise", "9990000018"):
        for encoding in ("utf-8", "utf-16-le"):
            assert text.encode(encoding) not in sealed_bytes
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        with pytest.raises(InvalidInput, match="encrypted; give the passphrase"):
            bundles.import_bundle(other, sealed_bytes)
        with pytest.raises(PassphraseNotAccepted, match="bundle's passphrase was not accepted"):
            bundles.import_bundle(other, sealed_bytes, "blue kettle orchard lantern")
        assert caseload.list_children(other) == []
        report = bundles.import_bundle(other, sealed_bytes, "seven quiet harbour violins")
        assert report.added["children"] == 2
    finally:
        other.lock()


def test_a_tampered_encrypted_bundle_imports_nothing(workspace: Workspace, tmp_path: Path) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    out = tmp_path / "sealed.bundle"
    bundles.write_bundle(workspace, out, passphrase="seven quiet harbour violins")
    tampered = bytearray(out.read_bytes())
    tampered[-20] ^= 0x01
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        with pytest.raises(PassphraseNotAccepted):
            bundles.import_bundle(other, bytes(tampered), "seven quiet harbour violins")
        with pytest.raises(InvalidInput, match="damaged or incomplete"):
            bundles.import_bundle(other, bytes(tampered[:40]), "seven quiet harbour violins")
        assert caseload.list_children(other) == []
    finally:
        other.lock()


def test_a_weak_bundle_passphrase_is_refused_before_anything_is_written(
    workspace: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "sealed.bundle"
    with pytest.raises(InvalidInput, match="common passwords"):
        bundles.write_bundle(workspace, out, passphrase="password123")
    assert not out.exists()
    assert "export" not in [row.action for row in integrity.audit_trail(workspace)]


def test_encrypted_export_and_import_from_the_command_line(vault_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_bytes(_data(sample_bundle()))
    assert run_cli("import", "--vault", str(vault_dir), str(source), env=ENV).returncode == 0
    sealed_file = tmp_path / "out.sealed"
    bundle_env = {**ENV, "PRACTITIONER_BUNDLE_PASSPHRASE": "seven quiet harbour violins"}
    result = run_cli(
        "export-bundle",
        "--vault",
        str(vault_dir),
        "--out",
        str(sealed_file),
        "--encrypt",
        env=bundle_env,
    )
    assert result.returncode == 0, result.stderr
    assert "encrypted" in result.stdout
    other = tmp_path / "other"
    create_vault(other, PASSPHRASE, PROFILE)[0].lock()
    wrong = run_cli(
        "import",
        "--vault",
        str(other),
        str(sealed_file),
        env={**ENV, "PRACTITIONER_BUNDLE_PASSPHRASE": "wrong wrong wrong"},
    )
    assert wrong.returncode == 1
    assert "bundle's passphrase was not accepted" in wrong.stderr
    right = run_cli("import", "--vault", str(other), str(sealed_file), env=bundle_env)
    assert right.returncode == 0, right.stderr
    assert "Added: 2 children" in right.stdout


def test_the_caseloads_alerts_read_with_the_smaller_scan_cache_and_give_it_back(
    workspace: Workspace,
) -> None:
    # A read of every child's records would otherwise fill the vault's 32 MiB with pages nothing
    # reads again, and the window would hold them (store/bulk_sqlite.SCAN_PAGE_CACHE_MIB).
    from sqlalchemy import event

    from practitioner_app.services import alerts

    bundles.import_bundle(workspace, _data(sample_bundle()))
    during: list[tuple[Any, int]] = []

    def note(_: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if "FROM visit" in statement and not during:
            during.append((cursor.connection, _cache_size(cursor.connection)))

    engine = workspace.vault.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        found = alerts.for_caseload(workspace)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert found  # every child's alerts were worked out
    driver, cache_while_reading = during[0]
    assert cache_while_reading == -bulk_sqlite.SCAN_PAGE_CACHE_MIB * 1024
    assert _cache_size(driver) == int(vault_engine.PAGE_CACHE.split("=")[1])
    assert -_cache_size(driver) > bulk_sqlite.SCAN_PAGE_CACHE_MIB * 1024  # searches need more
