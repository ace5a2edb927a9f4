"""Where the files shipped beside the code live (migrations, fonts, the bundle schema), whether the
app runs from a checkout or from a frozen PyInstaller build.

From source, `db/` and `resources/` sit at the top of the checkout, one level above the package.
A frozen build unpacks them into its own folder (`sys._MEIPASS`, the `_internal/` folder of a
one-folder build), where `practitioner_app/` is no longer a directory on disk at all.
"""

import sys
from pathlib import Path


def app_root() -> Path:
    """The folder that holds `db/` and `resources/`."""
    if getattr(sys, "frozen", False):
        # PyInstaller sets _MEIPASS; other freezers put the data beside the executable.
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).resolve().parent))
    return Path(__file__).resolve().parents[1]


def migrations_dir() -> Path:
    """The Alembic scripts (`db/`)."""
    return app_root() / "db"


def resources_dir() -> Path:
    """Fonts, icons and the bundle schema (`resources/`)."""
    return app_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"
