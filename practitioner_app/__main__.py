"""Allow `python -m practitioner_app`."""

from practitioner_app.cli import main

main()
