"""Layering import-linter cannot see: services hold use cases and build no SQL (the repositories in
store/ do), and SQLite-only statements (PRAGMA) stay in vault/ and store/, so the services and the
store's portable queries can run unchanged on the team server's PostgreSQL (SYNC.md)."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "practitioner_app"
SERVICES = sorted((PACKAGE / "services").glob("*.py"))

# What a service may take from SQLAlchemy: the Session, to type the unit of work it passes to the
# repositories, and the exceptions the unit of work turns into messages.
ALLOWED = {"sqlalchemy.orm": {"Session"}}
ALLOWED_MODULES = {"sqlalchemy.exc"}
# `import sqlalchemy` only to say which version is running (services/locations.py).
ALLOWED_ATTRIBUTES = {"__version__"}

SQLITE_ONLY = re.compile(r"\bpragma\s+\w", re.IGNORECASE)


def _sql_imports(path: Path) -> list[str]:
    """Each SQLAlchemy name the module imports beyond what services may use, as "line: name"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            module = node.module or ""
            if module in ALLOWED_MODULES:
                continue
            found += [
                f"{node.lineno}: from {module} import {alias.name}"
                for alias in node.names
                if alias.name not in ALLOWED.get(module, set())
            ]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    if alias.name != "sqlalchemy" or alias.asname:
                        found.append(f"{node.lineno}: import {alias.name}")
                    aliases.add("sqlalchemy")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr not in ALLOWED_ATTRIBUTES
        ):
            found.append(f"{node.lineno}: sqlalchemy.{node.attr}")
    return found


def _sqlite_only_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.lineno}: {node.value.strip()[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SQLITE_ONLY.search(node.value)
    ]


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_a_service_builds_no_sql_it_asks_a_repository(path: Path) -> None:
    found = _sql_imports(path)
    assert not found, (
        f"services/{path.name} imports SQL-building names from SQLAlchemy; move the query "
        f"into a repository in store/repositories/: {found}"
    )


def test_the_check_sees_every_way_of_importing_sql(tmp_path: Path) -> None:
    module = tmp_path / "service.py"
    module.write_text(
        "import sqlalchemy\n"
        "from sqlalchemy import select, func\n"
        "from sqlalchemy.orm import Session, aliased\n"
        "from sqlalchemy.exc import DBAPIError\n"
        "import sqlalchemy.sql as sql\n"
        "version = sqlalchemy.__version__\n"
        "query = sqlalchemy.text('SELECT 1')\n",
        encoding="utf-8",
    )
    assert [line.split(": ", 1)[1] for line in _sql_imports(module)] == [
        "from sqlalchemy import select",
        "from sqlalchemy import func",
        "from sqlalchemy.orm import aliased",
        "import sqlalchemy.sql",
        "sqlalchemy.text",
    ]


def test_sqlite_only_statements_stay_in_vault_and_store() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = path.relative_to(PACKAGE).parts[0]
        if layer in {"vault", "store"}:
            continue
        name = str(path.relative_to(PACKAGE))
        strings = _sqlite_only_strings(path)
        if strings:
            found[name] = strings
    assert not found, f"PRAGMA statements belong in vault/ or store/: {found}"
    assert _sqlite_only_strings(PACKAGE / "vault" / "engine.py"), "the check finds nothing"
