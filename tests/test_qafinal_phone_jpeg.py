"""QA (issue 20 item 5): a phone's JPEG that carries a Multi-Picture Format (MPF) segment —
what many phones and cameras write for a depth map, a motion photo or a preview — is a JPEG a
health visitor will attach, but Pillow reads it as format "MPO" and the cleaning step looks the
format up in {"JPEG", "PNG"}: a raw KeyError 'MPO' instead of a kept photograph with its
location removed (or, at the least, one sentence). Synthetic noise with a test GPS position."""

import io

from PIL import Image

from practitioner_app.domain import photographs as rules
from tests.photos import GPS_IFD, LATITUDE, LONGITUDE, noise


def phone_jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: LATITUDE, 3: "W", 4: LONGITUDE}
    out = io.BytesIO()
    noise().save(out, "MPO", save_all=True, append_images=[noise()], exif=exif)
    data = out.getvalue()
    assert data[:2] == b"\xff\xd8"  # a JPEG file, as the phone names it (.jpg)
    return data


def test_a_phone_jpeg_with_a_second_picture_is_kept_with_its_location_removed() -> None:
    clean = rules.clean(phone_jpeg_with_gps())

    assert clean.media_type == "image/jpeg"
    assert clean.location_removed
    kept = Image.open(io.BytesIO(clean.data))
    assert kept.format == "JPEG"
    assert not kept.getexif().get_ifd(GPS_IFD)
