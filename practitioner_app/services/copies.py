"""Writing a copy of case data out of the vault (a PDF, a bundle, a photograph) and recording it.

Every export goes the same way: the file is written whole or not at all, its temp file marked as
work in progress in the vault (a kill before the rename leaves it for the next unlock to remove
and audit), and then the copy is audited. Ctrl-C is held from the write until the audit is
written (interrupts.py): between the two it left a finished file of case data that neither the
audit trail nor the next unlock knew of (issue 19, fresh review).
"""

from collections.abc import Callable
from pathlib import Path

from practitioner_app.interrupts import ctrl_c_held_back
from practitioner_app.services.workspace import Workspace
from practitioner_app.vault import files, pending
from practitioner_app.vault.errors import os_problem


def copy_out(
    ws: Workspace, destination: Path, data: bytes, what: str, audit: Callable[[], str | None]
) -> str | None:
    """Write `data` whole at `destination` (or nothing), then run `audit`, which records the copy
    and returns None, or the sentence saying it could not (Workspace.audit_copy_made); that is
    returned. `what` names the copy in sentences: "PDF", "bundle", "photograph". A folder that
    cannot be written raises a Problem saying which."""
    label = f"{what.lower()} export"
    with ctrl_c_held_back() as hold:
        try:
            with pending.unfinished(
                ws.vault.paths.root, label, [files.temp_name(destination)], destination
            ):
                files.atomic_write(destination, data)
                files.step(f"{label}: written")
        except OSError as error:
            raise os_problem(
                error, f"writing the {what} to {destination}", f"The folder {destination.parent}"
            ) from None
        # A Ctrl-C held back meanwhile still says that the copy went unaudited (interrupts.Stopped).
        hold.note = unaudited = audit()
        return unaudited
