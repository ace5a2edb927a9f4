"""What an unlock costs, counted rather than timed (issue 19): the database is opened once, the
connection that proved the key is the one the vault then works through, and it is closed by a
lock that comes before any work."""

from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from practitioner_app.services import casework, people
from practitioner_app.services.workspace import open_vault_with_data_key
from practitioner_app.vault import engine as engine_module
from practitioner_app.vault import vault as vault_module
from tests.conftest import child_details


def _counting_connects(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    opened: list[Any] = []
    connect = engine_module.connect

    def counted(*args: Any, **kwargs: Any) -> Any:
        connection = connect(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(engine_module, "connect", counted)
    return opened


def test_an_unlock_and_its_caseload_open_the_database_once(
    vault_dir: Path, data_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    people.add_child(ws, child_details())
    ws.lock()
    opened = _counting_connects(monkeypatch)

    ws = open_vault_with_data_key(vault_dir, data_key)
    rows = casework.caseload(ws)
    ws.lock()

    assert [row.name for row in rows] == ["Maya Okafor"]
    assert len(opened) == 1


def test_a_lock_before_any_work_closes_the_connection_that_proved_the_key(
    vault_dir: Path, data_key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _counting_connects(monkeypatch)
    unlocked = vault_module.unlock_with_data_key(vault_dir, data_key)
    unlocked.lock()

    assert len(opened) == 1
    with pytest.raises(sqlcipher3.dbapi2.ProgrammingError):
        opened[0].execute("SELECT 1")
    with pytest.raises(RuntimeError, match="locked"):
        unlocked.engine.connect()


def test_the_vault_s_connections_read_every_row_in_chunks(tmp_path: Path) -> None:
    # fetchall reads FETCH_CHUNK rows at a time (the window's thread gets the interpreter between
    # chunks); every row still comes back, in order, across the chunks' edges.
    connection = engine_module.connect(tmp_path / "chunks.db", bytes(range(32)), create=True)
    try:
        connection.execute("CREATE TABLE numbers (n INTEGER)")
        count = engine_module.FETCH_CHUNK * 2 + 1
        connection.executemany("INSERT INTO numbers VALUES (?)", [(n,) for n in range(count)])
        cursor = connection.execute("SELECT n FROM numbers ORDER BY n")
        assert isinstance(cursor, engine_module._Cursor)
        assert cursor.fetchall() == [(n,) for n in range(count)]
        assert connection.execute("SELECT n FROM numbers WHERE n < 0").fetchall() == []
    finally:
        connection.close()


def test_the_engine_hands_sqlalchemy_the_chunked_cursors(workspace: Any) -> None:
    with workspace.unit_of_work() as session:
        cursor = session.connection().connection.dbapi_connection.cursor()
        assert isinstance(cursor, engine_module._Cursor)
