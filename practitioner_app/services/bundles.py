"""Case bundles in and out of the vault (resources/BUNDLE-FORMAT-2.md; format 1 in BUNDLE.md).

Import is one transaction: validated whole first, then every new record inserted in bulk, one audit
event for the import (services/bundle_import.py). Every record keeps its own UUID, so importing the
same bundle twice adds nothing, and a record that comes back changed is caught. Export writes each
record under its own id with its provenance and history, so export → import → export is stable
(services/bundle_export.py).
"""

from dataclasses import dataclass
from pathlib import Path

from practitioner_app import memtrim
from practitioner_app.domain import passphrase as passphrase_policy
from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.export import bundle as fmt
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services.bundle_export import Exporter
from practitioner_app.services.bundle_import import LIST_MODELS, Importer, ImportReport
from practitioner_app.services.copies import copy_out
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import bulk_sqlite
from practitioner_app.store.repositories.bundles import BundleRepository
from practitioner_app.vault import sealed
from practitioner_app.vault.errors import os_problem
from practitioner_app.vault.files import (
    read_regular,
    refuse_inside,
    refuse_link,
)

__all__ = ["ImportReport", "export_bundle", "import_bundle", "is_encrypted", "write_bundle"]


def import_bundle(
    ws: Workspace, data: bytes, passphrase: str | None = None, source: str | None = None
) -> ImportReport:
    """Validate the whole bundle, then add what is new in one transaction; all or nothing.
    An encrypted bundle needs the passphrase it was sealed with. `source` names where a format 1
    bundle came from (its records are told apart by it); InvalidInput asks for it when a format 1
    bundle does not say who exported it."""
    try:
        return _import(ws, data, passphrase, source)
    finally:
        # All the import built is freed by now: hand the memory back (memtrim.py).
        memtrim.give_back_freed_memory()


def _import(ws: Workspace, data: bytes, passphrase: str | None, source: str | None) -> ImportReport:
    if sealed.is_sealed(data):
        if passphrase is None:
            raise InvalidInput("This bundle is encrypted; give the passphrase it was sent with.")
        data = sealed.unseal(data, passphrase)
    # A large bundle is millions of small objects (its JSON, then its records, then their rows):
    # each burst of them set off full passes of the cyclic collector over all the rest, about a
    # sixth of the import's time (gcpause.py). Reference counting still frees everything.
    with without_cyclic_gc():
        parsed = fmt.parse(data, source)
        with ws.unit_of_work() as session:
            bulk_sqlite.use_page_cache(session, bulk_sqlite.IMPORT_PAGE_CACHE_MIB)
            return Importer(ws, parsed).run(session)


@dataclass(frozen=True)
class BundleWritten:
    size: int  # bytes
    # Set when the bundle was written but the vault's full disk had no room for its audit line.
    unaudited: str | None = None


def write_bundle(
    ws: Workspace,
    destination: Path,
    child_ids: list[str] | None = None,
    passphrase: str | None = None,
) -> "BundleWritten":
    """Export to a file, written whole or not at all and owner-only; sealed with a passphrase
    (Argon2id + AES-256-GCM) when one is given. Audited once the file is written."""
    if passphrase is not None:
        verdict = passphrase_policy.assess(passphrase)
        if not verdict.accepted:
            raise InvalidInput(verdict.reason)
    refuse_link(destination)
    refuse_inside(ws.vault.paths.root, destination)
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder; give a file name for the bundle.")
    if not destination.parent.is_dir():
        raise InvalidInput(
            f"The folder {destination.parent} does not exist; create it or choose another."
        )
    data, chosen, counts = _export(ws, child_ids)
    if passphrase is not None:
        data = sealed.seal(data, passphrase)
    unaudited = copy_out(
        ws,
        destination,
        data,
        "bundle",
        lambda: ws.audit_copy_made(
            AuditAction.EXPORT, children=chosen, counts=counts, encrypted=passphrase is not None
        ),
    )
    return BundleWritten(len(data), unaudited)


def read_bundle_file(path: Path) -> bytes:
    """The bundle's bytes: a regular file only (a device such as /dev/zero or a FIFO is refused
    before anything is read), at most MAX_BUNDLE_BYTES of it."""
    try:
        if path.is_file() and path.stat().st_size > fmt.MAX_BUNDLE_BYTES:
            raise InvalidInput(
                f"{path.name} is larger than {fmt.MAX_BUNDLE_BYTES // (1024 * 1024)} MB; "
                "split the bundle by child and import the parts."
            )
        return read_regular(path, fmt.MAX_BUNDLE_BYTES, "bundle file")
    except FileNotFoundError:
        raise InvalidInput(f"There is no file at {path}; check the path.") from None
    except OSError as error:
        raise os_problem(error, f"reading {path.name}", f"The file {path}") from None


def _export(ws: Workspace, child_ids: list[str] | None) -> tuple[bytes, list[str], dict[str, int]]:
    with ws.unit_of_work() as session:
        chosen = set(child_ids) if child_ids else BundleRepository(session).all_child_ids()
        exported_by = fmt.Author(
            name=ws.profile.name, role=ws.profile.role, agency=ws.profile.agency
        )
        exporter = Exporter(session, chosen, ws.vault.vault_id)
        parsed = exporter.run(exported_by)
    counts = {name: len(getattr(parsed, name) or []) for name in LIST_MODELS}
    # Audited as every child whose details leave the vault, those joint entries name included.
    return fmt.serialise(parsed), sorted(chosen | exporter.also_about), counts


def export_bundle(ws: Workspace, child_ids: list[str] | None = None) -> bytes:
    """Every record about the given children (all children if none given) as a bundle; audited."""
    data, chosen, counts = _export(ws, child_ids)
    ws.audit_alone(AuditAction.EXPORT, children=chosen, counts=counts, encrypted=False)
    return data


def is_encrypted(data: bytes) -> bool:
    return sealed.is_sealed(data)
