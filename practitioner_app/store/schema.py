"""Bringing a vault's schema to the code's version with Alembic, and refusing newer vaults.

Alembic is only imported when there is work for it: loading it and compiling the migration scripts
costs more than the rest of an unlock, and a vault is nearly always already at the head revision.
"""

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

from practitioner_app import resources
from practitioner_app.domain.errors import Problem

MIGRATIONS = resources.migrations_dir()
# The newest migration in db/versions; tests/test_integrity.py fails if it falls behind.
HEAD_REVISION = "0017"


@cache
def _config() -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head_revision() -> str:
    """The head according to the migration scripts themselves (slow: loads Alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS}")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        # Asked of the schema, not read from a "no such table" error's English text.
        if not inspect(connection).has_table("alembic_version"):  # a vault being created
            return None
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if revision is None else str(revision)


def has_table(engine: Engine, name: str) -> bool:
    with engine.connect() as connection:
        return inspect(connection).has_table(name)


def bring_up_to_date(engine: Engine, before_migrating: Callable[[], object]) -> bool:
    """`bring_up_to_date_from` the revision the vault is at now."""
    return bring_up_to_date_from(engine, current_revision(engine), before_migrating)


def bring_up_to_date_from(
    engine: Engine, current: str | None, before_migrating: Callable[[], object]
) -> bool:
    """Upgrade the schema to head, calling `before_migrating` (a backup) first if there is work.

    Returns True when a migration ran. A vault whose revision this code does not know was made by a
    newer version of the app: refuse it rather than guess. `current`: the vault's revision, as the
    caller has just read it (`current_revision`).
    """
    if current == HEAD_REVISION:
        return False
    from alembic import command
    from alembic.script import ScriptDirectory

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
