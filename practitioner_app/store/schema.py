"""Bringing a vault's schema to the code's version with Alembic, and refusing newer vaults."""

from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from practitioner_app.domain.errors import Problem

# db/ sits beside the package in the source tree; a frozen build ships it at the same place.
MIGRATIONS = Path(__file__).resolve().parents[2] / "db"


@cache
def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def bring_up_to_date(engine: Engine, before_migrating: Callable[[], object]) -> bool:
    """Upgrade the schema to head, calling `before_migrating` (a backup) first if there is work.

    Returns True when a migration ran. A vault whose revision this code does not know was made by a
    newer version of the app: refuse it rather than guess.
    """
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return False
    known = {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current is not None and current not in known:
        raise Problem(
            "This vault was written by a newer version of the app; install the latest version to "
            "open it (nothing has been changed)."
        )
    if current is not None:
        before_migrating()
    with engine.begin() as connection:
        config = _config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return True
