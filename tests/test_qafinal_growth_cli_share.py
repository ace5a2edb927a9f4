"""QA (issue 17 item 2, "exporting any PDF asks whether it is going to someone", and issue 20's
`practitioner-app growth CHILD --pdf OUT`): the chronology and form commands take --shared-with,
--purpose, --lawful-basis and --consent and log the share; the growth command takes none of them,
so growth charts written for a paediatrician from the command line can only be "kept for
oneself" — the share cannot be logged. Real vault, the real command line (click)."""

import json
from datetime import date
from pathlib import Path

from practitioner_app.domain.enums import Sex
from practitioner_app.services import people, records
from practitioner_app.services.workspace import open_vault_with_data_key
from tests.conftest import PASSPHRASE, child_details, run_cli
from tests.test_growth_records import weighed

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


def test_growth_charts_going_to_someone_from_the_command_line_log_the_share(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    child = people.add_child(ws, child_details(date_of_birth=date(2025, 11, 1), sex=Sex.MALE)).id
    records.create_entry(ws, weighed(child, date(2026, 11, 1), weight_kg=9.6))
    ws.lock()
    common = ("--vault", str(vault_dir))

    done = run_cli(
        "growth", child, *common, "--pdf", str(tmp_path / "growth.pdf"),
        "--shared-with", "Dr Okoro, community paediatrician",
        "--purpose", "Faltering growth review",
        "--lawful-basis", "UK GDPR Art. 6(1)(e) and 9(2)(h)",
        "--consent", "given", env=ENV,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    log = json.loads(run_cli("sharing", child, *common, "--json", env=ENV).stdout)
    assert [x["with_whom"] for x in log] == ["Dr Okoro, community paediatrician"]
