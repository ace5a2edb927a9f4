"""QA (issue 20 item 5): a 16-bit greyscale PNG (what a scanner or a camera app's "raw" export
can write) is accepted and kept as a picture that is white all over: the cleaning step converts
Pillow's mode "I;16" straight to 8-bit RGB, which clips every value above 255 to 255. The
practitioner is told nothing; the vault keeps a blank image as the evidence, with its SHA-256.
A photograph should be kept as it looks (or refused in one sentence), never silently blanked."""

import io
from typing import cast

from PIL import Image

from practitioner_app.domain import photographs as rules


def grey_gradient_16_bit() -> bytes:
    eight = Image.linear_gradient("L").resize((64, 64))  # 0 at the top to 255 at the bottom
    sixteen = Image.frombytes(
        "I;16", eight.size, b"".join((v * 257).to_bytes(2, "little") for v in eight.tobytes())
    )
    out = io.BytesIO()
    sixteen.save(out, "PNG")
    return out.getvalue()


def test_a_16_bit_greyscale_png_keeps_its_picture() -> None:
    clean = rules.clean(grey_gradient_16_bit())

    kept = Image.open(io.BytesIO(clean.data)).convert("L")
    darkest, lightest = cast(tuple[int, int], kept.getextrema())
    assert darkest < 16, f"the dark top of the picture was kept as {darkest} of 255"
    assert lightest > 240
