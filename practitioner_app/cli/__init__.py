"""`practitioner-app VERB`: the headless face of the services, for automation, tests and benchmarks.

`main` is the command group (base.py); each module beside this one adds its verbs to it when
imported.
"""

from practitioner_app.cli import alerts as _alerts  # noqa: F401
from practitioner_app.cli import bundles as _bundles  # noqa: F401
from practitioner_app.cli import forms as _forms  # noqa: F401
from practitioner_app.cli import growth as _growth  # noqa: F401
from practitioner_app.cli import photographs as _photographs  # noqa: F401
from practitioner_app.cli import records as _records  # noqa: F401
from practitioner_app.cli import selftest as _selftest  # noqa: F401
from practitioner_app.cli import vault as _vault  # noqa: F401
from practitioner_app.cli.base import APP_NAME, main

__all__ = ["APP_NAME", "main"]
