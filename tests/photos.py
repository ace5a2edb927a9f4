"""Synthetic photographs made with Pillow for the tests: noise (so every run's bytes are unique and
any slice of them is findable on disk), with or without EXIF location, camera, capture time,
orientation, XMP and comments."""

import io
import os
from datetime import datetime

from PIL import Image

from practitioner_app.domain.enums import ObservationCategory
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.services import people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import AT, child_details

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
MAKE, MODEL, ORIENTATION = 0x010F, 0x0110, 0x0112
DATE_TIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011
# A test location: Trafalgar Square's latitude/longitude as EXIF rationals.
LATITUDE = (51.0, 30.0, 27.0)
LONGITUDE = (0.0, 7.0, 48.0)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="51,30.45N"/></rdf:RDF></x:xmpmeta>'
)


def noise(width: int = 64, height: int = 48, mode: str = "RGB") -> Image.Image:
    """An image of random pixels, with a solid red top-left block (to see the orientation)."""
    bands = len(mode)
    image = Image.frombytes(mode, (width, height), os.urandom(width * height * bands))
    if mode == "RGB":
        image.paste((255, 0, 0), (0, 0, width // 4, height // 4))
    return image


def jpeg(
    width: int = 64,
    height: int = 48,
    *,
    gps: bool = False,
    camera: bool = False,
    taken: datetime | None = None,
    offset: str | None = None,
    orientation: int | None = None,
    xmp: bool = False,
    comment: bytes | None = None,
) -> bytes:
    image = noise(width, height)
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: LATITUDE, 3: "W", 4: LONGITUDE}
    if camera:
        exif[MAKE] = "Examplecam"
        exif[MODEL] = "Model 7 serial 1234"
    if taken is not None or offset is not None:
        sub: dict[int, object] = {}
        if taken is not None:
            sub[DATE_TIME_ORIGINAL] = taken.strftime("%Y:%m:%d %H:%M:%S")
        if offset is not None:
            sub[OFFSET_TIME_ORIGINAL] = offset
        exif[EXIF_IFD] = sub
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    kwargs: dict[str, object] = {"quality": 95}
    if exif:
        kwargs["exif"] = exif.tobytes()
    if xmp:
        kwargs["xmp"] = XMP
    if comment is not None:
        kwargs["comment"] = comment
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def png(width: int = 64, height: int = 48, *, text: str | None = None, gps: bool = False) -> bytes:
    from PIL import PngImagePlugin

    image = noise(width, height, "RGBA")
    info = PngImagePlugin.PngInfo()
    if text is not None:
        info.add_text("Comment", text)
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: LATITUDE, 3: "W", 4: LONGITUDE}
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info, **({"exif": exif.tobytes()} if exif else {}))
    return out.getvalue()


def metadata_of(data: bytes) -> dict[str, object]:
    """What a kept photograph carries besides pixels: EXIF tags, info keys, PNG text."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        exif = image.getexif()
        return {
            "exif": dict(exif),
            "gps": dict(exif.get_ifd(GPS_IFD)),
            "info": {
                k: v
                for k, v in image.info.items()
                if k
                not in (
                    "dpi",
                    "jfif",
                    "jfif_version",
                    "jfif_unit",
                    "jfif_density",
                    "progressive",
                    "progression",
                )
            },
            "text": dict(getattr(image, "text", {}) or {}),
            "size": image.size,
        }


def injury_observation(ws: Workspace) -> tuple[str, str]:
    """(child id, draft observation id): an injury seen on a synthetic child."""
    child = people.add_child(ws, child_details())
    entry = records.create_entry(
        ws,
        ObservationDetails(
            child_id=child.id,
            occurred_at=AT,
            category=ObservationCategory.INJURY,
            text="Bruise on the left upper arm, about 2 cm.",
        ),
    )
    return child.id, entry.id
