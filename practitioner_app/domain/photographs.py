"""Photographs: which files may be attached, and what is kept of them (DOMAIN.md "Growth, body maps
and photographs").

`clean(data)` takes a file's bytes and returns a new JPEG or PNG holding only the picture: the
orientation the camera recorded is applied to the pixels first, then the pixels are re-encoded into
a fresh image, so nothing of the original file travels on — no EXIF (GPS position, camera make and
model, serial numbers, software), no XMP, no IPTC, no comments, no PNG text chunks, no ICC profile
(which can name the device). Everything happens in memory: no temporary file is ever written.

The limits, each refused in one sentence (`InvalidInput`), nothing kept:
- MAX_BYTES (20 MB) per file: a phone photograph is 2–8 MB; anything bigger is a scan or a raw file
  that should be resized before it goes into a record.
- MAX_PIXELS (50 megapixels) per picture, checked from the header before any pixel is decoded, so a
  small file that would unpack into gigabytes (a "decompression bomb") is refused unread; Pillow's
  own DecompressionBombWarning/Error (Image.MAX_IMAGE_PIXELS) is treated as the same refusal.
- JPEG and PNG only, whole files only (a truncated file is refused, never half-decoded).
"""

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PIL import Image, ImageOps, UnidentifiedImageError

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.times import UK, as_utc

MAX_BYTES = 20 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
MAX_PIXELS = 50_000_000
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
# The kinds of record (named as their tables are) a photograph may belong to. A body-map mark
# joins here (and in the trigger that refuses a photograph added to a final owner).
OWNER_KINDS = ("observation", "body_mark")  # an observation, or a mark on its body map
# The thumbnail's longest side, in pixels, for the entry view and the PDFs.
THUMBNAIL_SIDE = 240

# EXIF tags (CIPA DC-008): the sub-directories and the tags read before they are dropped.
_GPS_IFD = 0x8825
_EXIF_IFD = 0x8769
_MAKE = 0x010F
_MODEL = 0x0110
_DATE_TIME_ORIGINAL = 0x9003
_OFFSET_TIME_ORIGINAL = 0x9011
# Metadata a PNG or JPEG may carry in Pillow's `info`, any of which can say where or on what a
# picture was taken.
_TEXT_KEYS = ("xmp", "XML:com.adobe.xmp", "comment", "Comment", "Description", "Author")


@dataclass(frozen=True)
class CleanPhotograph:
    """A photograph as kept: `data` the re-encoded file (JPEG or PNG) with no metadata, its
    `media_type`, size in pixels, the moment the camera said it was taken (UTC; None when the file
    did not say), and what was found and removed: `location_removed` (EXIF GPS position),
    `device_removed` (camera make or model), `other_metadata_removed` (XMP, comments, text)."""

    data: bytes
    media_type: str
    width: int
    height: int
    captured_at: datetime | None
    location_removed: bool
    device_removed: bool
    other_metadata_removed: bool

    def removed_sentence(self) -> str | None:
        """What the practitioner is told was taken out, or None when the file carried nothing."""
        found = [
            words
            for flag, words in (
                (self.location_removed, "the location (GPS position)"),
                (self.device_removed, "the camera's make and model"),
                (self.other_metadata_removed, "other hidden details (EXIF, XMP, comments)"),
            )
            if flag
        ]
        if not found:
            return None
        listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
        return f"The photograph carried {listed}; removed before it was saved."


def size_problem(byte_count: int) -> str | None:
    """The sentence refusing a file of `byte_count` bytes, or None if it is within the limit."""
    if byte_count <= MAX_BYTES:
        return None
    size = byte_count / (1024 * 1024)
    return (
        f"The photograph is {size:.1f} MB; the limit is {MAX_MEGABYTES} MB per photograph, so "
        "save a smaller copy (most phones and editors can resize) and attach that."
    )


def _refuse_not_image() -> InvalidInput:
    return InvalidInput(
        "This file is not a JPEG or PNG photograph; choose a .jpg, .jpeg or .png file."
    )


def _refuse_too_many_pixels(width: int, height: int) -> InvalidInput:
    return InvalidInput(
        f"The picture is {width} × {height} pixels, more than the {MAX_PIXELS // 1_000_000} "
        "megapixels a photograph may have; save a smaller copy and attach that."
    )


def _captured_at(exif: Image.Exif) -> datetime | None:
    """DateTimeOriginal (with OffsetTimeOriginal when given, else UK time, where the app is used)
    in UTC; None when absent or not a date."""
    sub = exif.get_ifd(_EXIF_IFD)
    text = sub.get(_DATE_TIME_ORIGINAL)
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.strptime(text.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(_OFFSET_TIME_ORIGINAL)
    if isinstance(offset, str) and len(offset.strip()) == 6 and offset[0] in "+-":
        try:
            hours, minutes = int(offset[1:3]), int(offset[4:6])
        except ValueError:
            return as_utc(moment.replace(tzinfo=UK))
        sign = 1 if offset[0] == "+" else -1
        return as_utc(
            moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))
        )
    return as_utc(moment.replace(tzinfo=UK))


@contextmanager
def _pillow_warnings() -> Iterator[None]:
    """Pillow warns of damaged metadata (UserWarning) and reads on; so do we, since all metadata
    is dropped. A decompression bomb's warning is a refusal (module docstring)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _open(data: bytes) -> Image.Image:
    problem = size_problem(len(data))
    if problem:
        raise InvalidInput(problem)
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(
            f"The picture has more than the {MAX_PIXELS // 1_000_000} megapixels a photograph "
            "may have; save a smaller copy and attach that."
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise _refuse_not_image() from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _refuse_too_many_pixels(width, height)
    return image


def _pixels(image: Image.Image) -> Image.Image:
    """The decoded pixels, turned upright as the camera recorded; a cut-short file is refused."""
    try:
        image.load()
        upright = ImageOps.exif_transpose(image) or image
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        raise InvalidInput(
            "The photograph file is incomplete or damaged (it may have been cut short while "
            "copying); copy it again from the camera or phone and attach the new copy."
        ) from None
    return upright


def _fresh(image: Image.Image, format_: str) -> Image.Image:
    """A new image made from the pixels alone, so no metadata of the source can come with it.
    Greyscale of 16 bits (or 32-bit integer or float) is scaled to 8 bits, not clipped: Pillow's
    own conversion clips every value above 255 to white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        wide = image.convert("I") if image.mode != "F" else image
        extrema: tuple[float, float] = wide.getextrema()  # type: ignore[assignment]
        low, high = extrema
        span = max(float(high) - float(low), 1.0)
        image = wide.point(lambda v: (v - low) * (255.0 / span)).convert("L")
    if format_ == "JPEG":
        mode = "L" if image.mode in ("1", "L") else "RGB"
    else:
        has_alpha = "A" in image.mode or "transparency" in image.info
        mode = "RGBA" if has_alpha else ("L" if image.mode in ("1", "L") else "RGB")
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def clean(data: bytes) -> CleanPhotograph:
    """The photograph as it may be kept (module docstring), or InvalidInput in one sentence."""
    with _pillow_warnings():
        return _clean(data)


def _clean(data: bytes) -> CleanPhotograph:
    image = _open(data)
    # A phone JPEG with a second picture inside (a depth map, a preview) is read as "MPO": the
    # first picture is the photograph, kept as a JPEG.
    format_ = "JPEG" if image.format == "MPO" else image.format or ""
    # The pixels first: a cut-short file is refused before anything else reads it (a PNG's EXIF
    # and text come after its pixels).
    upright = _pixels(image)
    # Damaged EXIF is read as far as it goes; it is dropped all the same.
    exif = image.getexif()
    gps = exif.get_ifd(_GPS_IFD)
    captured_at = _captured_at(exif)
    device = bool(exif.get(_MAKE) or exif.get(_MODEL))
    png_text = getattr(image, "text", None) if format_ == "PNG" else None
    other = (
        any(image.info.get(key) for key in _TEXT_KEYS)
        or bool(png_text)
        or bool(image.info.get("icc_profile"))
        # EXIF beyond what was read above (damaged, or other tags): dropped too, and said so.
        or (bool(image.info.get("exif")) and not (gps or device or captured_at))
    )
    fresh = _fresh(upright, format_)
    out = io.BytesIO()
    if format_ == "JPEG":
        fresh.save(out, "JPEG", quality=92, optimize=True)
    else:
        fresh.save(out, "PNG", optimize=True)
    return CleanPhotograph(
        data=out.getvalue(),
        media_type=FORMATS[format_],
        width=fresh.width,
        height=fresh.height,
        captured_at=captured_at,
        location_removed=bool(gps),
        device_removed=device,
        other_metadata_removed=other,
    )


def thumbnail(data: bytes, side: int = THUMBNAIL_SIDE) -> bytes:
    """A PNG no bigger than `side` pixels either way, made in memory from a kept photograph."""
    with _pillow_warnings(), Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
        image.thumbnail((side, side))
        small = image.convert("RGBA" if "A" in image.mode else "RGB")
    out = io.BytesIO()
    small.save(out, "PNG")
    return out.getvalue()


def check_kept(data: bytes, media_type: str) -> None:
    """A photograph said to be as kept by this app (brought in a bundle): a whole JPEG or PNG of
    the type given, within the limits, carrying no EXIF, location or text. InvalidInput naming
    what is wrong otherwise; the caller says where."""
    with _pillow_warnings():
        _check_kept(data, media_type)


def _check_kept(data: bytes, media_type: str) -> None:
    image = _open(data)
    if FORMATS.get(image.format or "") != media_type:
        raise InvalidInput(f"the picture is not the {media_type} it is said to be")
    _pixels(image)
    exif = image.getexif()
    if exif or any(image.info.get(key) for key in _TEXT_KEYS) or getattr(image, "text", None):
        raise InvalidInput(
            "the picture still carries hidden details (EXIF, location or text), which this app "
            "always removes, so it was not written by this app as it is"
        )


def size_of(data: bytes) -> tuple[int, int]:
    """A kept picture's (width, height) in pixels, from its header."""
    with _pillow_warnings(), Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
        return image.size


def extension(media_type: str) -> str:
    """The file name ending for a kept photograph's media type: ".jpg" or ".png"."""
    return ".png" if media_type == "image/png" else ".jpg"


@dataclass(frozen=True)
class PhotographRecord:
    """A kept photograph as the screens, the CLI, PDFs and bundles see it (no bytes).

    `owner_kind`/`owner_id` name the record it belongs to ("observation", later a body-map
    mark); `attached_by` is the signature of who attached it; `captured_at` None when the camera
    did not say; `imported` the provenance note of one that came in a bundle, else None."""

    id: str
    child_id: str
    owner_kind: str
    owner_id: str
    final: bool
    media_type: str
    byte_count: int
    width: int
    height: int
    sha256: str
    captured_at: datetime | None
    attached_at: datetime
    attached_by: str
    location_removed: bool
    device_removed: bool
    imported: str | None = None

    @property
    def amendment_field(self) -> str:
        """The owner's field an amendment about this photograph is recorded against."""
        return f"{AMENDMENT_PREFIX}{self.id}"


# An amendment saying a final photograph is wrong is an amendment of its owner, field
# "photograph.<photograph id>" (a final photograph itself is never changed or removed).
AMENDMENT_PREFIX = "photograph."
