"""A photograph of a mark on a body map (issue 20 items 4 and 5): attached to the mark, final
with it, frozen by the database, carried in a bundle with its mark and its hash."""

import json
from pathlib import Path

import pytest

from practitioner_app.domain.errors import FinalEntryIsReadOnly
from practitioner_app.services import bundles, integrity, photographs, records
from practitioner_app.services.workspace import Workspace, create_vault
from tests import photos
from tests.conftest import PASSPHRASE, PROFILE, mark_details


def _marked(ws: Workspace) -> tuple[str, str, str]:
    """(child, observation, draft mark) with photographs allowed."""
    photographs.set_photographs_allowed(ws, True)
    child, observation = photos.injury_observation(ws)
    mark = records.create_entry(ws, mark_details(child, observation)).id
    return child, observation, mark


def test_a_marks_photograph_goes_final_with_the_mark_and_is_then_frozen(
    workspace: Workspace,
) -> None:
    _, observation, mark = _marked(workspace)
    kept = photographs.attach(workspace, "body_mark", mark, photos.jpeg(gps=True)).photograph
    records.finalise(workspace, "observation", observation)
    records.finalise(workspace, "body_mark", mark)
    [final] = photographs.photographs_of(workspace, "body_mark", mark)
    assert final.final
    assert final.sha256 == kept.sha256
    with pytest.raises(FinalEntryIsReadOnly):
        photographs.attach(workspace, "body_mark", mark, photos.jpeg())
    assert integrity.verify(workspace).findings == ()


def test_the_database_refuses_a_photograph_added_to_a_final_mark(workspace: Workspace) -> None:
    _, observation, mark = _marked(workspace)
    records.finalise(workspace, "observation", observation)
    records.finalise(workspace, "body_mark", mark)
    with workspace.vault.engine.begin() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        with pytest.raises(Exception, match="final entry cannot be changed"):
            raw.execute(
                "INSERT INTO photograph (id, owner_kind, owner_id) VALUES ('p', 'body_mark', ?)",
                (mark,),
            )


def test_a_marks_photograph_travels_in_a_bundle_with_its_mark(
    workspace: Workspace, tmp_path: Path
) -> None:
    _, observation, mark = _marked(workspace)
    kept = photographs.attach(workspace, "body_mark", mark, photos.jpeg()).photograph
    records.finalise(workspace, "observation", observation)
    records.finalise(workspace, "body_mark", mark)
    data = bundles.export_bundle(workspace)
    [photo] = json.loads(data)["photographs"]
    assert (photo["owner_kind"], photo["owner_id"], photo["id"]) == ("body_mark", mark, kept.id)
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        bundles.import_bundle(other, data)
        [arrived] = photographs.photographs_of(other, "body_mark", mark)
        assert arrived.final
        assert arrived.sha256 == kept.sha256
        assert integrity.verify(other).findings == ()
    finally:
        other.lock()
