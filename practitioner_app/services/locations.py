"""Where vaults live by default, and the versions the About box reports."""

import os
from pathlib import Path

import platformdirs

from practitioner_app import __version__

APP_NAME = "practitioner-app"
VAULT_ENV = "PRACTITIONER_VAULT"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_vault_dir() -> Path:
    """The practitioner's vault: $PRACTITIONER_VAULT, else the user data folder."""
    configured = os.environ.get(VAULT_ENV)
    return Path(configured) if configured else data_dir() / "vault"


def demo_vault_dir(real_vault: Path) -> Path:
    """The demo vault sits beside the real one and never shares its files."""
    return real_vault.parent / f"{real_vault.name}-DEMO"


def versions() -> dict[str, str]:
    # Imported here: the unlock screen needs the paths above long before it needs these.
    import sqlalchemy

    from practitioner_app.vault import engine as vault_engine

    return {
        "app": __version__,
        "SQLCipher": vault_engine.sqlcipher_version(),
        "SQLAlchemy": sqlalchemy.__version__,
    }
