"""Photographs (issue 20 item 5): off unless the vault allows them, cleaned of location and device
data, kept encrypted in the vault with their hash, capture time and who attached them, final with
their record, and refused in one sentence when they are not whole JPEG/PNG photographs within the
limits."""

import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from practitioner_app.domain import photographs as rules
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput, Problem
from practitioner_app.services import integrity, photographs, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.integrity import FINAL_MESSAGE
from tests import photos


@pytest.fixture
def allowed(workspace: Workspace) -> Workspace:
    photographs.set_photographs_allowed(workspace, True)
    return workspace


# -- what is kept of a file (domain) --------------------------------------------------------------


def test_location_camera_xmp_and_comments_are_removed_and_the_capture_time_kept() -> None:
    taken = datetime(2026, 6, 1, 14, 5, 0)  # BST: 13:05 UTC
    raw = photos.jpeg(
        gps=True, camera=True, taken=taken, xmp=True, comment=b"Taken at 12 Acacia Road"
    )
    clean = rules.clean(raw)
    kept = photos.metadata_of(clean.data)
    assert kept["exif"] == {}
    assert kept["gps"] == {}
    assert kept["info"] == {}
    assert b"Examplecam" not in clean.data
    assert b"Acacia" not in clean.data
    assert b"xmpmeta" not in clean.data
    assert b"GPS" not in clean.data
    assert clean.captured_at == datetime(2026, 6, 1, 13, 5, tzinfo=UTC)
    assert clean.location_removed
    assert clean.device_removed
    assert clean.other_metadata_removed
    sentence = clean.removed_sentence()
    assert sentence is not None
    assert "location (GPS position)" in sentence


def test_damaged_exif_is_dropped_and_said_so_not_crashed_on() -> None:
    out = io.BytesIO()
    photos.noise().save(
        out, "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff" + bytes(10)
    )
    clean = rules.clean(out.getvalue())
    assert photos.metadata_of(clean.data)["info"] == {}
    assert clean.other_metadata_removed
    assert clean.captured_at is None


def test_the_capture_time_honours_the_offset_the_camera_gave() -> None:
    raw = photos.jpeg(taken=datetime(2026, 1, 10, 9, 0), offset="+05:30")
    assert rules.clean(raw).captured_at == datetime(2026, 1, 10, 3, 30, tzinfo=UTC)


def test_a_photograph_without_a_capture_time_says_unknown_and_nothing_removed() -> None:
    clean = rules.clean(photos.jpeg())
    assert clean.captured_at is None
    assert clean.removed_sentence() is None


def test_the_orientation_is_applied_to_the_pixels_before_the_tag_is_dropped() -> None:
    # Orientation 6: the camera was turned; the kept picture is upright, with no tag.
    clean = rules.clean(photos.jpeg(64, 48, orientation=6))
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == (48, 64)
        assert 0x0112 not in image.getexif()
        # The red block that was top-left is now top-right (rotated 90° clockwise).
        red, green, _ = image.convert("RGB").getpixel((44, 3))  # type: ignore[misc]
        assert red > 200
        assert green < 60


def test_a_png_keeps_its_transparency_and_loses_its_text_and_location() -> None:
    clean = rules.clean(photos.png(text="Flat 3, Acacia Road", gps=True))
    assert clean.media_type == "image/png"
    kept = photos.metadata_of(clean.data)
    assert kept["text"] == {}
    assert kept["gps"] == {}
    assert b"Acacia" not in clean.data
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.mode == "RGBA"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7 not a photograph", "not a JPEG or PNG photograph"),
        (b"", "not a JPEG or PNG photograph"),
        (b"GIF89a" + bytes(100), "not a JPEG or PNG photograph"),
    ],
)
def test_a_file_that_is_not_a_photograph_is_refused_in_one_sentence(
    data: bytes, words: str
) -> None:
    with pytest.raises(InvalidInput, match=words):
        rules.clean(data)


def test_a_truncated_photograph_is_refused_not_half_decoded() -> None:
    whole = photos.jpeg(400, 300)
    with pytest.raises(InvalidInput, match="incomplete or damaged"):
        rules.clean(whole[: len(whole) * 2 // 3])
    png = photos.png(200, 100)
    with pytest.raises(InvalidInput, match=r"incomplete or damaged|not a JPEG"):
        rules.clean(png[: len(png) // 2])


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    # 20,000 × 20,000 single-colour pixels compress to a small PNG that would unpack into 1.2 GB.
    out = io.BytesIO()
    Image.new("L", (20_000, 20_000)).save(out, "PNG")
    bomb = out.getvalue()
    assert len(bomb) < rules.MAX_BYTES
    with pytest.raises(InvalidInput, match="megapixels"):
        rules.clean(bomb)


def test_a_40_mb_photograph_is_refused_with_the_limit_stated() -> None:
    big = photos.jpeg() + bytes(40 * 1024 * 1024)
    with pytest.raises(InvalidInput) as refused:
        rules.clean(big)
    assert "limit is 20 MB per photograph" in refused.value.message
    assert "40.0 MB" in refused.value.message


# -- the vault's setting --------------------------------------------------------------------------


def test_photographs_are_off_until_the_vault_says_they_are_allowed(workspace: Workspace) -> None:
    _, observation = photos.injury_observation(workspace)
    assert not photographs.photographs_allowed(workspace)
    with pytest.raises(Problem) as refused:
        photographs.attach(workspace, "observation", observation, photos.jpeg())
    assert refused.value.message == photographs.NOT_ALLOWED
    assert photographs.photographs_of(workspace, "observation", observation) == []


def test_the_setting_is_audited_and_sealed_and_verify_stays_clean(workspace: Workspace) -> None:
    photographs.set_photographs_allowed(workspace, True)
    photographs.set_photographs_allowed(workspace, True)  # no change: not audited again
    photographs.set_photographs_allowed(workspace, False)
    events = [row for row in integrity.audit_trail(workspace) if row.record_kind == "vault_setting"]
    assert [
        (json.loads(e.detail)["value"] == "yes", json.loads(e.detail)["value"] == "no")
        for e in events
    ] == [
        (True, False),
        (False, True),
    ]
    assert not photographs.photographs_allowed(workspace)
    assert integrity.verify(workspace).findings == ()


# -- attaching, finalising, amending ----------------------------------------------------------------


def test_a_photograph_is_kept_with_its_hash_capture_time_and_who_attached_it(
    allowed: Workspace,
) -> None:
    child, observation = photos.injury_observation(allowed)
    raw = photos.jpeg(gps=True, camera=True, taken=datetime(2026, 10, 5, 16, 0))
    attached = photographs.attach(allowed, "observation", observation, raw)
    assert attached.removed is not None
    assert "location" in attached.removed
    [kept] = photographs.photographs_of(allowed, "observation", observation)
    assert kept == attached.photograph
    assert kept.child_id == child
    assert not kept.final
    assert kept.captured_at == datetime(2026, 10, 5, 15, 0, tzinfo=UTC)
    assert kept.attached_by.startswith("Asha Patel")
    assert kept.location_removed
    assert kept.device_removed
    record, data = photographs.photograph_data(allowed, kept.id)
    assert hashlib.sha256(data).hexdigest() == kept.sha256 == record.sha256
    assert kept.byte_count == len(data)
    assert photos.metadata_of(data)["gps"] == {}


def test_a_photograph_goes_final_with_its_observation_sealed_and_verified(
    allowed: Workspace,
) -> None:
    _, observation = photos.injury_observation(allowed)
    kept = photographs.attach(allowed, "observation", observation, photos.jpeg()).photograph
    records.finalise(allowed, "observation", observation)
    [final] = photographs.photographs_of(allowed, "observation", observation)
    assert final.final
    assert final.sha256 == kept.sha256
    with pytest.raises(FinalEntryIsReadOnly):
        photographs.remove_draft(allowed, kept.id)
    with pytest.raises(FinalEntryIsReadOnly):
        photographs.attach(allowed, "observation", observation, photos.jpeg())
    assert integrity.verify(allowed).findings == ()


def test_a_final_photograph_is_said_wrong_only_by_an_amendment(allowed: Workspace) -> None:
    _, observation = photos.injury_observation(allowed)
    kept = photographs.attach(allowed, "observation", observation, photos.jpeg()).photograph
    records.finalise(allowed, "observation", observation)
    view = records.amend(
        allowed,
        "observation",
        observation,
        kept.amendment_field,
        "Wrong photograph: this is another child's arm.",
        "Attached from the wrong visit.",
    )
    assert [a.field for a in view.amendments] == [kept.amendment_field]
    [still] = photographs.photographs_of(allowed, "observation", observation)
    assert still == photographs.photographs_of(allowed, "observation", observation)[0]
    assert integrity.verify(allowed).findings == ()


def test_a_draft_deleted_takes_its_photographs_and_a_draft_photograph_can_be_removed(
    allowed: Workspace,
) -> None:
    _, observation = photos.injury_observation(allowed)
    first = photographs.attach(allowed, "observation", observation, photos.jpeg()).photograph
    photographs.attach(allowed, "observation", observation, photos.png())
    photographs.remove_draft(allowed, first.id)
    assert len(photographs.photographs_of(allowed, "observation", observation)) == 1
    records.delete_draft(allowed, "observation", observation)
    with allowed.unit_of_work() as session:
        from practitioner_app.store.photographs import Photograph, PhotographChunk

        assert session.query(Photograph).count() == 0
        assert session.query(PhotographChunk).count() == 0


@pytest.mark.parametrize(
    "data",
    [b"not an image", photos.jpeg(300, 200)[:900], photos.jpeg() + bytes(21 * 1024 * 1024)],
    ids=["not-an-image", "truncated", "too-big"],
)
def test_a_refused_file_leaves_nothing_half_saved(allowed: Workspace, data: bytes) -> None:
    _, observation = photos.injury_observation(allowed)
    before = len(integrity.audit_trail(allowed))
    with pytest.raises(InvalidInput):
        photographs.attach(allowed, "observation", observation, data)
    assert photographs.photographs_of(allowed, "observation", observation) == []
    assert len(integrity.audit_trail(allowed)) == before


def test_a_photograph_over_the_limit_is_refused_before_the_file_is_read(
    allowed: Workspace, tmp_path: Path
) -> None:
    _, observation = photos.injury_observation(allowed)
    big = tmp_path / "big.jpg"
    with big.open("wb") as handle:
        handle.truncate(40 * 1024 * 1024)
    with pytest.raises(InvalidInput, match=r"40\.0 MB; the limit is 20 MB"):
        photographs.attach_file(allowed, "observation", observation, big)


def test_raw_sql_cannot_change_remove_or_add_to_a_final_photograph(allowed: Workspace) -> None:
    _, observation = photos.injury_observation(allowed)
    kept = photographs.attach(allowed, "observation", observation, photos.jpeg()).photograph
    records.finalise(allowed, "observation", observation)
    connection = allowed.vault.engine.raw_connection()
    try:
        for statement, params in [
            ("UPDATE photograph SET sha256 = 'x' WHERE id = ?", (kept.id,)),
            ("DELETE FROM photograph WHERE id = ?", (kept.id,)),
            ("UPDATE photograph_chunk SET data = x'00' WHERE photograph_id = ?", (kept.id,)),
            ("DELETE FROM photograph_chunk WHERE photograph_id = ?", (kept.id,)),
            ("INSERT INTO photograph_chunk VALUES (?, 99, x'00')", (kept.id,)),
        ]:
            with pytest.raises(Exception, match=FINAL_MESSAGE):
                connection.execute(statement, params)
    finally:
        connection.close()


def test_verify_names_a_photograph_whose_bytes_were_swapped_behind_the_triggers(
    allowed: Workspace,
) -> None:
    _, observation = photos.injury_observation(allowed)
    kept = photographs.attach(allowed, "observation", observation, photos.jpeg()).photograph
    records.finalise(allowed, "observation", observation)
    connection = allowed.vault.engine.raw_connection()
    try:
        connection.execute("DROP TRIGGER photograph_chunk_final_no_update")
        connection.execute(
            "UPDATE photograph_chunk SET data = ? WHERE photograph_id = ?",
            (photos.jpeg(), kept.id),
        )
        connection.commit()
    finally:
        connection.close()
    findings = integrity.verify(allowed).findings
    assert any(f"photograph {kept.id}" in f and "SHA-256" in f for f in findings)
