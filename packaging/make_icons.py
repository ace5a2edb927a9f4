"""Render resources/icons/practitioner-app.svg into the PNG, .ico and .icns files the desktop
entries and installers need. Run after changing the SVG, and commit what it writes:

    .venv/bin/python packaging/make_icons.py

Qt draws the SVG (PySide6 is already a dependency); Pillow (ReportLab's dependency) writes the
Windows and macOS icon containers.
"""

import os
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SVG = ICONS / "practitioner-app.svg"
# The hicolor sizes desktops look for; 1024 only feeds the macOS .icns.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int, path: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(path)):
        raise SystemExit(f"could not write {path}")


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication(sys.argv[:1])  # QImage text and SVG rendering want a GUI application
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    for size in (*PNG_SIZES, 1024):
        render(renderer, size, ICONS / f"practitioner-app-{size}.png")
    largest = Image.open(ICONS / "practitioner-app-1024.png")
    largest.save(ICONS / "practitioner-app.ico", sizes=[(s, s) for s in ICO_SIZES])
    largest.save(ICONS / "practitioner-app.icns")
    # The 1024 PNG is only a source for the .icns; the desktops never ask for it.
    (ICONS / "practitioner-app-1024.png").unlink()
    del app
    print(f"wrote {len(PNG_SIZES)} PNGs, practitioner-app.ico and practitioner-app.icns in {ICONS}")


if __name__ == "__main__":
    main()
