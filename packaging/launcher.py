"""The frozen app's entry point: the same `practitioner-app` command as `pip install` makes."""

from practitioner_app.launch import main

main()
