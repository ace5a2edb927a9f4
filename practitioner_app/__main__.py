"""Allow `python -m practitioner_app`."""

from practitioner_app.launch import main

main()
