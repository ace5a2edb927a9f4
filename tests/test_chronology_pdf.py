"""The chronology PDF, read back: every row in date order, the page furniture on every page,
Unicode names intact, hostile text rendered literally (SECURITY.md 12), password protection and
provenance (SECURITY.md 15)."""

import json
import re
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from practitioner_app.domain.chronology import AmendmentNote, ChronologyRow
from practitioner_app.domain.enums import (
    EntryStatus,
    EventKind,
    Significance,
    SourceKind,
    VisitOutcome,
)
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import (
    ChildDetails,
    ChronologyEventDetails,
    HouseholdMemberDetails,
    ProfessionalDetails,
)
from practitioner_app.export import pdf
from practitioner_app.export.chronology_pdf import COLUMNS, ChronologyCover, chronology_pdf
from practitioner_app.services import chronology, exports, integrity, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import PASSPHRASE, child_details, run_cli, visit_details

NAME_GREEK = "Αλέξανδρος"
NAME_CYRILLIC = "Дмитриевна"
NAME_LATIN_EXT = "Łucja Ødegård-Şahin"
PASSWORD = "harbour lantern orchard 42"

HOSTILE = [
    "<b>not bold</b> & <i>not italic</i> </para> <br/>",
    '<img src="/etc/passwd"/> <img src="/tmp/practitioner-hostile.png" width="9"/>',
    '<font color="red" size="40">shouting</font> <a href="file:///etc/passwd">link</a>',
    "<![CDATA[ x ]]> &amp; &lt; &#60; &#x3C; <!-- comment --> <?xml?>",
    'Robert\'); DROP TABLE visit;-- "quoted"',
    "NUL\x00BEL\x07ESC\x1bDEL\x7fC1\x85 end",
    "right-to-left \u202eevil\u202c and \u200f mark \u2066isolate\u2069",
    "emoji 😀 baby 👶🏽 family 👨‍👩‍👧",
    "word" + "x" * 3000 + "end",
]


def column_text(path: Path, column: int, password: str | None = None) -> str:
    """The text of one table column on every page, top to bottom, whitespace normalised: inside
    the page's body, and outside the filled bands of column headings."""
    left = pdf.MARGIN + sum(width for _, width in COLUMNS[:column])
    right = left + COLUMNS[column][1]
    fill = tuple(round(c, 2) for c in pdf.HEADER_FILL.rgb())
    parts = []
    with pdfplumber.open(path, password=password or "") as document:
        for page in document.pages:
            bands = [
                (rect["top"], rect["bottom"])
                for rect in page.rects
                if tuple(round(c, 2) for c in rect.get("non_stroking_color") or ()) == fill
            ]
            if not bands:
                continue  # no table on this page

            def outside_bands(
                obj: dict[str, Any], bands: list[tuple[float, float]] = bands
            ) -> bool:
                return obj.get("object_type") != "char" or not any(
                    top <= obj["top"] and obj["bottom"] <= bottom for top, bottom in bands
                )

            body = (left, bands[0][0], right, page.height - pdf.MARGIN - 8 * mm)
            parts.append(page.filter(outside_bands).crop(body).extract_text() or "")
    return " ".join(" ".join(parts).split())


def squash(value: str) -> str:
    """Drop all whitespace: a word longer than a line comes back with line breaks inside it."""
    return re.sub(r"\s+", "", value)


def page_texts(path: Path, password: str | None = None) -> list[str]:
    reader = PdfReader(path)
    if password is not None:
        reader.decrypt(password)
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def child(workspace: Workspace) -> str:
    made = people.add_child(
        workspace,
        child_details(given_name=f"{NAME_LATIN_EXT} {NAME_GREEK}", family_name=NAME_CYRILLIC),
    )
    people.add_household_member(
        workspace,
        made.id,
        HouseholdMemberDetails(
            name="Grace Okafor",
            relationship="mother",
            lives_with_child=True,
            parental_responsibility=True,
        ),
    )
    people.add_professional(
        workspace,
        made.id,
        ProfessionalDetails(
            name="Sam Reid", role="Social worker", agency="Northshire CSC", lead=True
        ),
    )
    return made.id


def _final(workspace: Workspace, details: object, **kwargs: object) -> str:
    view = records.create_entry(workspace, details, **kwargs)  # type: ignore[arg-type]
    records.finalise(workspace, view.kind, view.id)
    return view.id


def _event(child_id: str, day: datetime, text: str, **overrides: object) -> ChronologyEventDetails:
    values: dict[str, object] = {
        "child_id": child_id,
        "occurred_at": day,
        "source": "Northshire Police",
        "source_kind": SourceKind.POLICE,
        "kind": EventKind.POLICE_CONTACT,
        "event": text,
        "significance": Significance.HIGH,
    }
    values.update(overrides)
    return ChronologyEventDetails(**values)  # type: ignore[arg-type]


@pytest.fixture
def case(workspace: Workspace, child: str) -> str:
    start = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    visit = _final(
        workspace,
        visit_details(child, occurred_at=start, notes="First visit: Maya feeding well."),
    )
    _final(
        workspace,
        _event(child, start + timedelta(days=20), "Police called to a disturbance at the home."),
    )
    _final(
        workspace,
        _event(
            child,
            start + timedelta(days=40),
            "Mother stayed with a friend for some weeks.",
            date_uncertain=True,
            ended_at=start + timedelta(days=60),
            source="Harbour Family Support",
            source_kind=SourceKind.VOLUNTARY,
            kind=EventKind.CHANGE_OF_HOUSEHOLD,
            significance=Significance.MEDIUM,
        ),
    )
    late = _final(
        workspace,
        visit_details(
            child,
            occurred_at=start + timedelta(days=70),
            outcome=VisitOutcome.NO_ACCESS,
            child_seen=None,
            child_seen_alone=None,
            notes="No answer at the door.",
        ),
        recorded_at=start + timedelta(days=73),
    )
    records.amend(
        workspace, "visit", late, "notes", "No answer; card left.", "Card left was not noted"
    )
    records.create_entry(
        workspace,
        visit_details(child, occurred_at=start + timedelta(days=80), notes="Draft visit note."),
    )
    assert visit
    return child


def test_every_row_is_in_the_pdf_in_date_order_with_its_provenance(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    out = tmp_path / "chronology.pdf"
    made = exports.chronology(workspace, case, out)
    rows = chronology.build(workspace, case)
    assert made.rows == len(rows) == 4  # the draft is left out
    events = column_text(out, 2)
    position = 0
    for row in rows:
        found = events.find(" ".join(row.event.split()), position)
        assert found >= position, row.event
        position = found
    assert "Draft visit note" not in events
    # The amendment is printed after the untouched original, with who, why and the new text.
    assert re.search(
        r"No answer at the door\. AMENDED \d\d/\d\d/\d{4} \d\d:\d\d by .*Narrative now reads: "
        r"“No answer; card left\.”\. Reason: Card left was not noted",
        events,
    )
    dates = column_text(out, 0)
    assert "c. 10/04/2026 to 30/04/2026" in dates  # uncertain, and a period
    recorded = column_text(out, 6)
    assert "13/05/2026 11:00 LATE ENTRY · AMENDED" in recorded
    sources = column_text(out, 3)
    assert "Harbour Family Support Voluntary" in sources
    cover = page_texts(out)[0]
    assert "Grace Okafor (mother)" in cover  # parental responsibility
    assert "Sam Reid, Social worker, Northshire CSC" in cover  # lead professional
    assert "Northshire Police: 1" in cover  # entries by source agency
    assert "Everything recorded: 01/03/2026 to 10/05/2026" in cover


def test_drafts_are_included_only_when_asked_and_marked(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    out = tmp_path / "with-drafts.pdf"
    made = exports.chronology(workspace, case, out, include_drafts=True)
    assert made.rows == 5
    assert "DRAFT Home visit: completed. Child seen, not alone. Draft visit note." in column_text(
        out, 2
    )
    assert "drafts included and marked DRAFT" in page_texts(out)[0]


def test_filters_match_the_chronology_and_are_stated(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    out = tmp_path / "filtered.pdf"
    made = exports.chronology(
        workspace,
        case,
        out,
        date_from=date(2026, 3, 15),
        date_to=date(2026, 5, 31),
        significant_only=True,
    )
    expected = chronology.build(
        workspace,
        case,
        date_from=date(2026, 3, 15),
        date_to=date(2026, 5, 31),
        significant_only=True,
    )
    assert made.rows == len(expected) == 3
    cover = page_texts(out)[0]
    assert "15/03/2026 to 31/05/2026" in cover
    assert "Significant entries only" in cover
    assert "First visit" not in column_text(out, 2)


def test_every_page_carries_the_marking_the_child_page_numbers_and_provenance(
    workspace: Workspace, child: str, tmp_path: Path
) -> None:
    start = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)
    for day in range(40):
        records.create_entry(
            workspace,
            _event(child, start + timedelta(days=day), f"Event number {day}. " + "Detail. " * 30),
        )
    out = tmp_path / "long.pdf"
    made = exports.chronology(workspace, child, out, include_drafts=True)
    texts = page_texts(out)
    me = workspace.profile
    assert made.pages == len(texts) > 3
    export_event = integrity.audit_trail(workspace)[-1]
    head_seq, head_hash = export_event.seq, export_event.hash
    for number, page in enumerate(texts, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2  # top and bottom
        assert f"Page {number} of {len(texts)}" in page
        assert f"{NAME_LATIN_EXT} {NAME_GREEK} {NAME_CYRILLIC}" in page  # Unicode intact
        assert "Born 14/03/2025" in page
        assert f"by {me.name} ({me.role}, {me.agency})" in page
        # The head before the export itself was audited.
        assert re.search(rf"record {head_seq - 1}, head [0-9a-f]{{64}}", page)
        assert "Recorded by / at" in page  # the table header repeats
    assert head_hash not in texts[0]  # the export's own audit event came after the PDF


def test_metadata_names_the_document_and_its_maker(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    out = tmp_path / "meta.pdf"
    exports.chronology(workspace, case, out)
    info = PdfReader(out).metadata
    assert info is not None
    assert info.title == f"Chronology: {NAME_LATIN_EXT} {NAME_GREEK} {NAME_CYRILLIC}"
    me = workspace.profile
    assert info.author == f"{me.name} ({me.role}, {me.agency})"
    assert info.subject is not None
    assert "Chronology" in info.subject
    assert out.stat().st_mode & 0o777 == 0o600
    # Written whole through a temp file beside it, which is gone (SECURITY.md 14).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meta.pdf", "vault"]


def test_a_password_protects_the_pdf_with_aes_256(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    out = tmp_path / "protected.pdf"
    made = exports.chronology(workspace, case, out, password=PASSWORD)
    assert made.protected
    reader = PdfReader(out)
    assert reader.is_encrypted
    encryption: Any = reader.trailer["/Encrypt"]
    assert (encryption["/V"], encryption["/R"]) == (5, 6)  # AES-256
    assert reader.decrypt("not the password") == 0
    assert reader.decrypt(PASSWORD) != 0
    assert NAME_GREEK in reader.pages[0].extract_text()
    # Without the password the text is not there to read.
    assert NAME_GREEK.encode("utf-16-be") not in out.read_bytes()
    assert b"Okafor" not in out.read_bytes()


def test_a_weak_password_is_refused_before_anything_is_written(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    out = tmp_path / "weak.pdf"
    with pytest.raises(InvalidInput, match="PDF password is not strong enough"):
        exports.chronology(workspace, case, out, password="password")
    assert [p.name for p in tmp_path.iterdir()] == ["vault"]


def test_exports_are_audited(workspace: Workspace, case: str, tmp_path: Path) -> None:
    exports.chronology(workspace, case, tmp_path / "a.pdf", password=PASSWORD)
    last = integrity.audit_trail(workspace)[-1]
    assert last.action == "export"
    detail = json.loads(last.detail)
    assert (detail["document"], detail["protected"], detail["rows"]) == ("chronology_pdf", True, 4)


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """Every file the process opens while the test runs (the interpreter's audit hook)."""
    seen: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if active[0] and event == "open" and isinstance(args[0], str):
            seen.append(args[0])

    sys.addaudithook(hook)
    yield seen
    active[0] = False


def test_hostile_text_is_printed_literally_and_opens_no_file(
    workspace: Workspace, child: str, tmp_path: Path, opened_files: list[str]
) -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    for day, text in enumerate(HOSTILE):
        _final(
            workspace,
            _event(child, start + timedelta(days=day), text, source=text, impact_on_child=text),
        )
    out = tmp_path / "hostile.pdf"
    exports.chronology(workspace, child, out)
    assert not [
        path
        for path in opened_files
        if "passwd" in path or "hostile.png" in path or path.endswith((".png", ".jpg"))
    ]
    # A long entry runs on in a row that says "(continued)" before the rest of its event.
    events = squash(column_text(out, 2)).replace("(continued)", "")
    impacts = squash(column_text(out, 4))
    for text in HOSTILE:
        expected = squash(pdf.shown(text))
        assert expected in events, text
        assert expected in impacts, text
    # What the fonts cannot draw is shown, not dropped; what they can is kept as typed.
    assert "NUL[U+0000]BEL[U+0007]ESC[U+001B]DEL[U+007F]C1[U+0085]end" in events
    assert "😀" in events
    assert "[U+1F476]" in events  # no embedded font has the baby emoji: its code point shows
    assert "<imgsrc=" in events
    assert "<fontcolor=" in events


def test_an_entry_of_100_kb_and_a_2000_row_chronology_lay_out(tmp_path: Path) -> None:
    child = ChildDetails(given_name="Maya", family_name="Okafor", date_of_birth=date(2020, 1, 1))
    at = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    huge = " ".join(f"sentence{n} of a very long statement." for n in range(16_000))
    assert len(huge) > 100_000

    def row(n: int, event: str) -> ChronologyRow:
        return ChronologyRow(
            date=(at + timedelta(hours=n)).date(),
            time="12:00",
            date_uncertain=n % 7 == 0,
            age="4y",
            event=event,
            source="Northshire Police",
            source_kind="police",
            significance="high" if n % 5 == 0 else None,
            impact="Frightened" if n % 3 == 0 else None,
            action="Referred",
            record_kind=RecordKind.CHRONOLOGY_EVENT,
            record_id=f"r{n}",
            status=EntryStatus.FINAL,
            recorded_by="Asha Patel (Health visitor, Northshire NHS Trust)",
            recorded_at=at,
            recorded_at_known=True,
            imported=None,
            late=n % 11 == 0,
            amended=n == 3,
            significant=True,
            sort_key=at,
            amendments=(
                AmendmentNote("What happened", "corrected", "typo", "Asha", at, True, None),
            )
            if n == 3
            else (),
        )

    cover = ChronologyCover(child, "4y", (), None, None, None, False, False)
    provenance = pdf.Provenance(
        "Chronology", "Maya Okafor", "Born 01/01/2020", "Asha Patel", at, 7, "0" * 64
    )
    rows = [row(n, f"Entry {n}: something happened.") for n in range(2000)]
    rows.insert(1000, row(1000, huge))
    data, pages = chronology_pdf(cover, rows, provenance)
    out = tmp_path / "big.pdf"
    out.write_bytes(data)
    reader = PdfReader(out)
    assert pages == len(reader.pages) > 200
    # pypdf rather than the column reader: two hundred pages by position would take minutes.
    everything = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    entries = re.findall(r"Entry (\d+): something happened\.", everything)
    assert [int(n) for n in entries] == list(range(2000))
    sentences = re.findall(r"sentence(\d+) ", everything)
    assert [int(n) for n in sentences] == list(range(16_000))


def test_progress_is_reported_and_can_stop_the_build(tmp_path: Path) -> None:
    child = ChildDetails(given_name="Maya", family_name="Okafor", date_of_birth=date(2020, 1, 1))
    at = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    cover = ChronologyCover(child, "4y", (), None, None, None, False, False)
    provenance = pdf.Provenance("Chronology", "Maya", "", "Asha", at, 1, "0" * 64)
    row = ChronologyRow(
        at.date(), None, False, "4y", "Happened. " * 40, "Police", None, None, None, None,
        RecordKind.CHRONOLOGY_EVENT, "r", EntryStatus.FINAL, "Asha", at, True, None, False, False, True, at,
    )  # fmt: skip
    seen: list[tuple[int, int]] = []
    chronology_pdf(cover, [row] * 100, provenance, progress=lambda d, t, _: seen.append((d, t)))
    assert len(seen) > 5
    assert seen[-1][0] <= seen[-1][1]

    class Stop(Exception):
        pass

    def stop(done: int, total: int, what: str) -> None:
        if done >= 2:
            raise Stop

    with pytest.raises(Stop):
        chronology_pdf(cover, [row] * 100, provenance, progress=stop)


def test_the_command_line_writes_a_protected_pdf(
    vault_dir: Path, tmp_path: Path, workspace: Workspace, case: str
) -> None:
    workspace.lock()
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    password_file = tmp_path / "pdf-password"
    password_file.write_text(PASSWORD + "\n")
    out = tmp_path / "cli.pdf"
    common = ("--vault", str(vault_dir))
    done = run_cli(
        "chronology", case, *common, "--pdf", str(out), "--password-file", str(password_file),
        "--from", "2026-03-01", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "4 entries" in done.stdout
    assert "protected with the password" in done.stdout
    assert NAME_CYRILLIC in page_texts(out, PASSWORD)[0]

    for args, message in [
        (("--password-file", str(password_file)), "add --pdf FILE"),
        (("--pdf", str(tmp_path / "missing" / "x.pdf")), "does not exist; create it"),
        (("--pdf", str(tmp_path)), "is a folder"),
        (("--pdf", str(out), "--json"), "not both"),
    ]:
        bad = run_cli("chronology", case, *common, *args, env=env)
        assert bad.returncode == 1
        assert message in bad.stderr
        assert "Traceback" not in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1


def test_locking_empties_the_caches_that_hold_case_text(
    workspace: Workspace, case: str, tmp_path: Path
) -> None:
    # Fresh review: after a lock, the header layout cache still held the child's name. Every
    # cache of case text (names fitted to a header, text runs shaped, authors' signatures) is
    # emptied when the vault locks.
    from practitioner_app import case_caches
    from practitioner_app.domain import labels
    from practitioner_app.export import canvas_text, shaping
    from practitioner_app.services import chronology_rows

    exports.chronology(workspace, case, tmp_path / "a.pdf")
    holding = [
        canvas_text._fitted,
        shaping._guesses_rtl,
        chronology_rows._signed,
        labels.signature,
        labels.imported_line,
    ]
    assert set(holding) <= set(case_caches.registered())
    assert canvas_text._fitted.cache_info().currsize > 0
    assert chronology_rows._signed.cache_info().currsize > 0
    assert labels.signature.cache_info().currsize > 0
    workspace.lock()
    assert [cache.cache_info().currsize for cache in holding] == [0] * len(holding)
