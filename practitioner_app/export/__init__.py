"""Turning plain data into files that leave the vault: case bundles now, PDFs later. No Qt, no session."""
