"""`make bench`: the PERFORMANCE.md workload, and each target as a ratio against its baseline
measured side by side in the same run. Prints a table and writes bench-results.json. Never a test:
timings only report, they never fail a build.

Run: .venv/bin/python -m tests.bench              the 400-child workload
     .venv/bin/python -m tests.bench 400 1600 4000   the whole table at each size (each workload
                                                      cached), then how each measure grows per
                                                      10x children (PERFORMANCE.md growth row)
(`make bench SIZES="400 1600 4000"`). The workload itself: tests/bench_workload.py.
"""

import compileall
import dataclasses
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3
from argon2.low_level import Type, hash_secret_raw

from practitioner_app.domain import alerts as alert_rules
from practitioner_app.domain.chronology import ChronologyRow
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.search import fts_query
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.export.chronology_pdf import ChronologyCover, born, child_name, chronology_pdf
from practitioner_app.export.pdf import Provenance
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services import (
    alerts,
    bundles,
    caseload,
    casework,
    chronology,
    exports,
    integrity,
    search,
)
from practitioner_app.services.workspace import Profile, Workspace, create_vault, open_vault
from practitioner_app.store import bulk_sqlite
from practitioner_app.store import search as search_index
from practitioner_app.vault import engine as vault_engine
from tests.bench_workload import ROOT, workload, workload_parts
from tests.names import FAMILY_NAMES

RESULTS = ROOT / "bench-results.json"
PASSPHRASE = "blue kettle orchard lantern"
PROFILE = Profile("Bench Practitioner", "Health visitor", "Bench NHS Trust")
SIZES = (400,)  # children; more on request (command line), for the growth table
# Measures left out of a run, named in BENCH_SKIP (only "verify" for now: it reads every record,
# so a quick look at a large size can leave it; before migration 0017 it also grew with the
# square of the caseload, 14 minutes at 1,600 children).
SKIP = set(os.environ.get("BENCH_SKIP", "").split())
# BENCH_KEEP=1: the sizes already in bench-results.json that this run does not measure are kept
# in it and in the growth table, so a long growth run can be finished a size at a time.
KEEP = os.environ.get("BENCH_KEEP") == "1"
QUERIES = [
    "hungry",
    "bruise",
    "police",
    "partner",
    "cot",
    "eczema",
    "food bank",
    "speech",
    "nappy",
    "smoke",
    "shouting",
    "attendance",
    "temperature",
    "sleep",
    "money",
    "eye contact",
    "dog",
    "temporary accommodation",
    "strategy",
    "low mood",
]
# Tables written by the import, in the order it writes them (links before their entries).
IMPORT_ORDER = [
    "child",
    "household_member",
    "household_link",
    "professional",
    "professional_link",
    "visit_child",
    "concern_visit",
    "concern_observation",
    "referral_child",
    "referral_concern",
    "sharing_record_child",
    "injury",
    "visit",
    "observation",
    "concern",
    "concern_status_change",
    "chronology_event",
    "referral",
    "sharing_record",
    # The seal of every record (store/seals.py): written by the import, so by the baseline too.
    "record_seal",
]
# Runs of each (ours, then the baseline, in turns) of the import and of verify, at the sizes where
# the targets are judged: one run of each swings by a third on a shared 2-core machine.
TURNS = 3
TURNS_UP_TO = 400

# Tables with rows after the import that the baseline does not insert itself: written when the
# vault was made (its first audit events, the profile, the schema's revision), kept by triggers
# as the rows go in, or the full-text index, which the baseline builds once at the end.
NOT_INSERTED = {"alembic_version", "audit_event", "practitioner", "caseload_summary", "search_row"}


# The rows the heavy child's chronology is made of, in plain SQL: the child; their final visits,
# observations that belong in a chronology (marked significant, an injury, or chosen), concerns,
# referrals, chronology events, information shares and body-map marks; the practitioner's
# choices; the amendments of each of those entries; and the injuries recorded on observations.
_ENTRY_IDS = {
    "visit": "SELECT visit_id FROM visit_child WHERE child_id = :child",
    "observation": "SELECT id FROM observation WHERE child_id = :child",
    "concern": "SELECT id FROM concern WHERE child_id = :child",
    "referral": "SELECT referral_id FROM referral_child WHERE child_id = :child",
    "chronology_event": "SELECT id FROM chronology_event WHERE child_id = :child",
    "sharing_record": "SELECT sharing_record_id FROM sharing_record_child WHERE child_id = :child",
    "body_mark": "SELECT id FROM body_mark WHERE child_id = :child",
}
HEAVY_SQL = [
    "SELECT * FROM child WHERE id = :child",
    "SELECT v.* FROM visit v JOIN visit_child c ON c.visit_id = v.id WHERE c.child_id = :child AND v.status = 'final'",
    "SELECT record_id, significant FROM chronology_choice WHERE child_id = :child AND significant IS NOT NULL",
    "SELECT * FROM observation o WHERE o.child_id = :child AND o.status = 'final' AND (o.significant "
    "OR o.category = 'injury' OR EXISTS (SELECT 1 FROM injury i WHERE i.observation_id = o.id) "
    "OR o.id IN (SELECT record_id FROM chronology_choice WHERE child_id = :child AND significant))",
    "SELECT * FROM concern WHERE child_id = :child AND status = 'final'",
    "SELECT * FROM chronology_event WHERE child_id = :child AND status = 'final'",
    "SELECT r.* FROM referral r JOIN referral_child c ON c.referral_id = r.id WHERE c.child_id = :child AND r.status = 'final'",
    "SELECT s.* FROM sharing_record s JOIN sharing_record_child c ON c.sharing_record_id = s.id "
    "WHERE c.child_id = :child AND s.status = 'final'",
    "SELECT * FROM body_mark WHERE child_id = :child AND status = 'final'",
    *(
        f"SELECT * FROM amendment WHERE target_kind = '{kind}' AND target_id IN ({ids})"
        for kind, ids in _ENTRY_IDS.items()
    ),
    "SELECT i.* FROM injury i JOIN observation o ON o.id = i.observation_id WHERE o.child_id = :child",
]


def timed(action: Callable[[], Any], repeat: int = 1) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def side_by_side(
    ours: Callable[[], float], baseline: Callable[[], float], repeat: int
) -> tuple[float, float]:
    """The medians of `repeat` runs of each, taken in turns (ours, baseline, ours...), so both
    see the machine as it is at the time: on a shared 2-core machine the baseline's own time
    (Argon2id, a bare window) drifts by a tenth from one minute to the next. Each callable
    returns its own measured seconds."""
    pairs = [(ours(), baseline()) for _ in range(repeat)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def raw_connection(db: Path, key: bytes | None) -> Any:
    if key is None:
        connection = sqlcipher3.connect(str(db), isolation_level=None)
        for pragma in vault_engine.PRAGMAS:
            if "cipher" not in pragma:
                connection.execute(pragma).fetchall()
        return connection
    return vault_engine.connect(db, key)


def _gui(*args: str) -> dict[str, float]:
    """One run of tests/bench_gui.py in a fresh process (Qt starts once per process)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench_gui", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def gui_measures(
    report: Callable[..., None], rows: list[dict[str, Any]], vault: Path, heavy: str
) -> None:
    # The app as installed: pip and the packaged build (PyInstaller) compile its modules ahead,
    # as PySide6's own were when it was installed. A checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise compile some 25 of them from source at every start, 15-20 ms that no
    # practitioner's start-up pays.
    compileall.compile_dir(ROOT / "practitioner_app", quiet=1)
    ours, bare = side_by_side(
        lambda: _gui("startup", str(vault))["seconds"], lambda: _gui("bare")["seconds"], 7
    )
    report("start to unlock window shown", ours, bare, 1.5, "7 runs each in turns")
    probe = _gui("stall", str(vault), heavy)
    stall_ms = probe["longest_stall_ms"]
    rows.append(
        {
            "measure": "longest GUI stall (unlock, open heavy child, search)",
            "ours_ms": stall_ms,
            "target_ms": 100,
            "met": stall_ms <= 100,
            "probe": probe,
        }
    )
    print(
        f"{'longest GUI stall (unlock, heavy child, search)':<44} {stall_ms:8.0f}ms {'':>10} {'':>7}  ≤100ms {'ok' if stall_ms <= 100 else 'MISSED'}  "
        f"heavy child opened in the window in {probe['open_heavy_child_s']:.2f}s, {probe['chronology_rows']:.0f} chronology rows"
    )
    for name, value in probe.items():
        if name.startswith(("stall_ms_", "peak_rss_mb_after_", "rss_mb_after_")):
            print(f"    {name:<48} {value:8.0f}")
    # Not a stall in use: after 30 s with no key or mouse input the window makes one full pass of
    # the collector (gcpause.py). Reported, with no target, so its growth shows in the table.
    quiet = probe["collection_when_quiet_ms"]
    rows.append({"measure": "full collection after 30 s without input", "ours_ms": quiet})
    print(
        f"{'full collection after 30 s without input':<44} {quiet:8.0f}ms  (no target: nobody is waiting)"
    )
    # Issue 19: the heavy child opens in the window within a second, at every size.
    opened = probe["open_heavy_child_s"]
    rows.append(
        {
            "measure": "open the heavy child in the window",
            "ours_s": round(opened, 4),
            "target_s": 1.0,
            "met": opened <= 1.0,
        }
    )
    print(
        f"{'open the heavy child in the window':<44} {opened:9.3f}s {'':>10} {'':>7}  ≤1s    {'ok' if opened <= 1.0 else 'MISSED'}"
    )
    rss = probe["peak_rss_mb"]
    rows.append(
        {
            "measure": "peak RSS with the workload open",
            "ours_mb": round(rss),
            "target_mb": 300,
            "met": rss <= 300,
        }
    )
    print(
        f"{'peak RSS with the workload open in the UI':<44} {rss:8.0f}MB {'':>10} {'':>7}  ≤300MB {'ok' if rss <= 300 else 'MISSED'}"
    )


def in_every_script(rows: list[ChronologyRow]) -> list[ChronologyRow]:
    """The same rows with a family name in each script of tests/names.py in every event and
    every author, so that every row needs other fonts, and most need shaping."""
    names = list(FAMILY_NAMES.values())
    return [
        dataclasses.replace(
            row,
            event=f"{row.event} ({names[i % len(names)]})",
            recorded_by=f"{row.recorded_by}, {names[(i + 7) % len(names)]}",
        )
        for i, row in enumerate(rows)
    ]


def chronology_alone(ws: Workspace, child_id: str, rows: list[ChronologyRow]) -> int:
    """The chronology PDF of `rows` for the child, laid out and not written: its pages."""
    view = casework.overview(ws, child_id)
    cover = ChronologyCover(view.details, view.age, (), None, None, None, False, False)
    provenance = Provenance(
        "Chronology", child_name(view.details), born(view.details), "Bench", now_utc(), 0, "0" * 64
    )
    return chronology_pdf(cover, rows, provenance)[1]


def row_strings(row: ChronologyRow) -> list[list[str]]:
    """Every string the chronology PDF prints for `row`, column by column: the date (and end and
    time), the age, the event with its amendments, the source and its kind, significance and
    impact, the action, and who wrote it, when, its marks and where it was imported from."""
    day = f"{'c. ' if row.date_uncertain else ''}{row.date:%d/%m/%Y}"
    if row.end_date is not None and row.end_date != row.date:
        day += f" to {row.end_date:%d/%m/%Y}"
    event = [("DRAFT " if row.status == EntryStatus.DRAFT else "") + row.event]
    event += [
        f"AMENDED {note.at:%d/%m/%Y %H:%M} by {note.by}. {note.field} now reads: "
        f"“{note.new_value}”. Reason: {note.reason}"
        for note in row.amendments
    ]
    marks = [mark for mark, on in (("LATE ENTRY", row.late), ("AMENDED", row.amended)) if on]
    return [
        [day, row.time or ""],
        [row.age],
        event,
        [row.source, (row.source_kind or "").replace("_", " ").capitalize()],
        [(row.significance or "").capitalize(), row.impact or ""],
        [row.action or ""],
        [row.recorded_by, f"{row.recorded_at:%d/%m/%Y %H:%M}", " · ".join(marks)],
    ]


def plain_reportlab_table(rows: list[ChronologyRow], out: Path, *, scripts: bool = False) -> None:
    """The baseline: the same strings in the same fonts, sizes and columns, in a bare platypus
    table: one Paragraph per cell (lines joined by line breaks), no styling, a header row
    repeated on each page; the imported-from line in the same small type as the PDF's.

    `scripts`: the text needs other scripts' fonts and shaping, so each string is set in the
    same fonts as the PDF sets it (pdf.text) and shaped where it needs it (pdf.para), as any
    ReportLab table of such text must be; otherwise plain escaped text."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from practitioner_app.export import pdf
    from practitioner_app.export.chronology_pdf import COLUMNS, IMPORTED_STYLE

    markup = pdf.text if scripts else escape
    paragraph = pdf.para if scripts else Paragraph
    style = pdf.styles().cell
    data: list[list[Any]] = [[Paragraph(title, style) for title, _ in COLUMNS]]
    for row in rows:
        cells: list[Any] = [
            paragraph("<br/>".join(markup(line) for line in lines if line), style)
            for lines in row_strings(row)
        ]
        if row.imported:
            cells[-1] = [cells[-1], paragraph(markup(row.imported), IMPORTED_STYLE)]
        data.append(cells)
    document = SimpleDocTemplate(str(out), pagesize=landscape(A4))
    document.build([Table(data, colWidths=[width for _, width in COLUMNS], repeatRows=1)])


def measure(children: int) -> list[dict[str, Any]]:
    """Every measure on the workload of `children` children, printed as it goes."""
    work = Path(tempfile.mkdtemp(prefix="practitioner-bench-"))
    rows: list[dict[str, Any]] = []

    def report(measure: str, ours: float, baseline: float, target: float, note: str = "") -> None:
        ratio = ours / baseline
        rows.append(
            {
                "measure": measure,
                "ours_s": round(ours, 4),
                "baseline_s": round(baseline, 4),
                "ratio": round(ratio, 2),
                "target": target,
                "met": ratio <= target,
                "note": note,
            }
        )
        print(
            f"{measure:<44} {ours:9.3f}s {baseline:9.3f}s {ratio:6.2f}x  ≤{target:<4} {'ok' if ratio <= target else 'MISSED'}  {note}",
            flush=True,
        )

    try:
        print("Generating (or reading the cached) workload bundle…", flush=True)
        parts = workload_parts(children)
        size = sum(path.stat().st_size for path in parts)
        print(
            f"{children:,} children, {size / 1e6:.1f} MB"
            + (f" in {len(parts)} bundles of whole households" if len(parts) > 1 else "")
            + "\n",
            flush=True,
        )
        print(f"{'measure':<44} {'ours':>10} {'baseline':>10} {'ratio':>7}  target", flush=True)

        # Import: the whole workload through the service (a part at a time when it is cut into
        # parts under the import limit: the sum of their imports, each read from its file as the
        # app reads one), against raw executemany of all the same rows into an identical empty
        # schema (same triggers, same order, one transaction).
        def import_parts(folder: Path) -> tuple[Any, float]:
            into, _ = create_vault(folder, PASSPHRASE, PROFILE)
            seconds = 0.0
            for path in parts:
                data = path.read_bytes()
                start = time.perf_counter()
                bundles.import_bundle(into, data)
                seconds += time.perf_counter() - start
                del data
            return into, seconds

        ws, ours_import = import_parts(work / "vault")
        key = bytes(ws.vault._data_key)
        ws.lock()
        source = raw_connection(work / "vault" / "vault.db", key)
        # Every column but an INTEGER PRIMARY KEY (record_seal's), which the baseline's own
        # database numbers itself: its empty vault already holds the seals made at its creation.
        columns = {
            table: [
                d[1]
                for d in source.execute(f"PRAGMA table_info({table})")
                if not (d[5] and d[2].upper() == "INTEGER")
            ]
            for table in IMPORT_ORDER
        }
        table_rows = {
            table: source.execute(f"SELECT {', '.join(columns[table])} FROM {table}").fetchall()
            for table in IMPORT_ORDER
        }
        # The same rows means every row: a table the import writes and the baseline leaves out
        # makes the baseline cheaper than it is (concern_status_change was, until issue 19).
        left_out = [
            table
            for (table,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if table not in IMPORT_ORDER
            and table not in NOT_INSERTED
            and not table.startswith("search_index")
            and source.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        ]
        if left_out:
            raise RuntimeError(f"the import baseline leaves out the rows of {left_out}")
        source.close()
        empty, _ = create_vault(work / "baseline", PASSPHRASE, PROFILE)
        baseline_key = bytes(empty.vault._data_key)
        empty.lock()
        target = raw_connection(work / "baseline" / "vault.db", baseline_key)

        # PERFORMANCE.md: plain executemany of the same rows, with the full-text index built once
        # at the end (not by its per-row triggers); the integrity triggers stay, as they must.
        search_inserts = [
            name for name in search_index.trigger_names() if name.endswith("_search_insert")
        ]

        # The same page cache as the app's import (bulk_sqlite.IMPORT_PAGE_CACHE_MIB).
        target.execute(f"PRAGMA cache_size = {-bulk_sqlite.IMPORT_PAGE_CACHE_MIB * 1024}")

        def raw_import() -> None:
            target.execute("BEGIN IMMEDIATE")
            target.execute("PRAGMA defer_foreign_keys = ON")
            for name in search_inserts:
                target.execute(f"DROP TRIGGER {name}")
            for table in IMPORT_ORDER:
                marks = ", ".join("?" for _ in columns[table])
                target.executemany(
                    f"INSERT INTO {table} ({', '.join(columns[table])}) VALUES ({marks})",
                    table_rows[table],
                )
            for statement in search_index.backfill_statements():
                target.execute(statement)
            target.execute("COMMIT")

        baseline_import = timed(raw_import)
        target.close()
        # One import of each swings by a third on a shared 2-core machine (18 to 24 s for the
        # same code within minutes), so where the target is judged they run in turns, fresh
        # vaults each time, and the medians are compared.
        ours_imports, baseline_imports = [ours_import], [baseline_import]
        for turn in range(1, TURNS if children <= TURNS_UP_TO else 1):
            again, seconds = import_parts(work / f"vault-{turn}")
            again.lock()
            ours_imports.append(seconds)
            shutil.rmtree(work / f"vault-{turn}")
            fresh, _ = create_vault(work / f"baseline-{turn}", PASSPHRASE, PROFILE)
            fresh_key = bytes(fresh.vault._data_key)
            fresh.lock()
            target = raw_connection(work / f"baseline-{turn}" / "vault.db", fresh_key)
            target.execute(f"PRAGMA cache_size = {-bulk_sqlite.IMPORT_PAGE_CACHE_MIB * 1024}")
            baseline_imports.append(timed(raw_import))
            target.close()
            shutil.rmtree(work / f"baseline-{turn}")
        ours_import = statistics.median(ours_imports)
        baseline_import = statistics.median(baseline_imports)
        report(
            "import the whole workload bundle",
            ours_import,
            baseline_import,
            3.0,
            f"{sum(len(r) for r in table_rows.values()):,} rows, parse and validation included"
            + (f", {len(parts)} bundles" if len(parts) > 1 else "")
            + (f", median of {len(ours_imports)} each in turns" if len(ours_imports) > 1 else ""),
        )
        # The workload's own size, not a cost: the growth table shows how fast the rows grow
        # with the children (more records a child in a bigger random caseload is the workload's
        # growth, not the app's).
        rows.append(
            {
                "measure": "rows the import writes (the workload's size)",
                "ours_rows": sum(len(r) for r in table_rows.values()),
            }
        )
        table_rows.clear()  # the rows of 4,000 children take memory the rest should not hold

        # Unlock: KDF + open + the whole caseload, against Argon2id with the same parameters alone.
        def unlock() -> float:
            # PERFORMANCE.md's unlock is the KDF, the open and the caseload: locking again
            # (an audit event written to disk) is done between the runs, not timed.
            start = time.perf_counter()
            opened = open_vault(work / "vault", PASSPHRASE)
            casework.caseload(opened)
            took = time.perf_counter() - start
            opened.lock()
            return took

        def kdf_alone() -> float:
            return timed(
                lambda: hash_secret_raw(
                    PASSPHRASE.encode(),
                    os.urandom(16),
                    time_cost=3,
                    memory_cost=65536,
                    parallelism=4,
                    hash_len=32,
                    type=Type.ID,
                )
            )

        report(
            "unlock (KDF + open + caseload)",
            *side_by_side(unlock, kdf_alone, 9),
            1.3,
            f"{children:,} children, 9 runs each in turns",
        )

        # Verify: the page check, the chain and every record against its seal and its event
        # (resources/TAMPER-EVIDENCE.md), against the page check alone on a raw connection.
        verify_measure = "verify (pages, chain, every record's seal)"
        if "verify" in SKIP:
            rows.append({"measure": verify_measure, "skipped": True})
            print(f"{verify_measure:<44} {'not measured (BENCH_SKIP=verify)':>30}", flush=True)
        else:
            checking = open_vault(work / "vault", PASSPHRASE)
            pages = raw_connection(work / "vault" / "vault.db", key)
            turns = TURNS if children <= TURNS_UP_TO else 1
            ours_verify, baseline_verify = side_by_side(
                lambda: timed(lambda: integrity.verify(checking)),
                lambda: timed(
                    lambda: [
                        pages.execute(pragma).fetchall()
                        for pragma in ("PRAGMA cipher_integrity_check", "PRAGMA integrity_check")
                    ]
                ),
                turns,
            )
            checking.lock()
            pages.close()
            report(
                verify_measure,
                ours_verify,
                baseline_verify,
                3.0,
                "baseline: SQLCipher and SQLite page checks alone"
                + (f", median of {turns} each in turns" if turns > 1 else ""),
            )

        ws = open_vault(work / "vault", PASSPHRASE)
        heavy = caseload.find_child(ws, "demo-c000001").id
        encrypted = raw_connection(work / "vault" / "vault.db", key)
        # The same workload, decrypted into a plain SQLite file, for encrypted-vs-plain.
        plain_db = work / "plain.db"
        encrypted.execute(f"ATTACH DATABASE '{plain_db}' AS plain KEY ''")
        encrypted.execute("SELECT sqlcipher_export('plain')")
        encrypted.execute("DETACH DATABASE plain")
        plain = raw_connection(plain_db, None)

        def raw_heavy(connection: Any) -> Callable[[], object]:
            return lambda: [
                connection.execute(sql, {"child": heavy}).fetchall() for sql in HEAVY_SQL
            ]

        rows_out = chronology.build(ws, heavy)
        report(
            "heavy child's chronology data",
            timed(lambda: chronology.build(ws, heavy), 5),
            timed(raw_heavy(encrypted), 5),
            3.0,
            f"{len(rows_out):,} rows",
        )

        pdf_out = work / "chronology.pdf"
        report(
            "chronology PDF of the heavy child",
            timed(lambda: exports.chronology(ws, heavy, pdf_out), 2),
            timed(lambda: plain_reportlab_table(rows_out, work / "plain.pdf"), 2),
            1.3,
            f"{exports.chronology(ws, heavy, pdf_out).pages} pages, Latin and Greek text",
        )
        script_rows = in_every_script(rows_out)
        report(
            "chronology PDF, names in every script",
            timed(lambda: chronology_alone(ws, heavy, script_rows), 2),
            timed(lambda: plain_reportlab_table(script_rows, work / "plain.pdf", scripts=True), 2),
            1.3,
            f"{chronology_alone(ws, heavy, script_rows)} pages, shaped where the text needs it",
        )

        # The cheapest raw query for the same hits, as the app's (search_sqlite.py): the index
        # ranks its matches, and only the 50 returned are looked up in search_row.
        fts_sql = (
            "SELECT r.kind, r.record_id, hit.snippet, hit.score FROM ("
            "SELECT rowid, snippet(search_index, 0, '[', ']', '…', 14) AS snippet, "
            "bm25(search_index) AS score FROM search_index WHERE search_index MATCH ? "
            "ORDER BY bm25(search_index) LIMIT 50) AS hit "
            "JOIN search_row r ON r.id = hit.rowid ORDER BY hit.score, hit.rowid"
        )

        def raw_search(connection: Any) -> Callable[[], object]:
            return lambda: [
                connection.execute(fts_sql, (fts_query(q),)).fetchall() for q in QUERIES
            ]

        report(
            "full-text search, 20 queries",
            timed(lambda: [search.search(ws, q) for q in QUERIES], 5),
            timed(raw_search(encrypted), 5),
            2.0,
        )

        # As services/alerts.for_caseload runs them: the facts loaded, then the rules over them,
        # with the cyclic collector paused (its passes over the facts as they were made took
        # loading from 1.4 s to 2.1 s at 400). Each turn times the loading (the baseline) and then
        # the rules on what it loaded, so both see the machine as it is at the time: timed one
        # after the other (the rules three times, then the loading), one run at 4,000 children
        # gave the rules 3.46 s where the same code on its own took 2.2-2.4 s.
        today = uk_date(now_utc())

        def load_then_rules() -> tuple[float, float, int, int]:
            with without_cyclic_gc():
                started = time.perf_counter()
                with ws.unit_of_work() as session:
                    facts = alerts.load_facts(session, ws.profile.agency)
                loaded = time.perf_counter()
                found = [alert_rules.alerts(f, today) for f in facts.values()]
                done = time.perf_counter()
            return done - loaded, loaded - started, len(facts), sum(len(a) for a in found)

        load_then_rules()  # a first turn, as every other measure has its warm-up
        alert_turns = [load_then_rules() for _ in range(3)]
        report(
            "alerts for every child vs loading their records",
            statistics.median(turn[0] for turn in alert_turns),
            statistics.median(turn[1] for turn in alert_turns),
            1.0,
            f"{alert_turns[0][2]} children, {alert_turns[0][3]:,} alerts, median of 3 turns of both",
        )
        ws.lock()

        report(
            "encrypted vs plain: heavy child's rows",
            timed(raw_heavy(encrypted), 5),
            timed(raw_heavy(plain), 5),
            1.3,
        )
        report(
            "encrypted vs plain: 20 FTS5 queries",
            timed(raw_search(encrypted), 5),
            timed(raw_search(plain), 5),
            1.3,
        )
        encrypted.close()
        plain.close()
        gui_measures(report, rows, work / "vault", heavy)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    return rows


def per_10x(small: int, first: float | None, large: int, last: float | None) -> float | None:
    """How many times the cost grows for 10 times the children, between two sizes: the
    exponent of a power law through the two points, as a factor per decade of children,
    10 ** (log(last / first) / log(large / small)). 10 = in step with the caseload."""
    if not first or not last or large <= small:
        return None
    return float(10 ** (math.log(last / first) / math.log(large / small)))


def growth(by_size: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each measure's cost (ours, not the ratio) at each size, its growth per 10x children
    between the smallest and largest size (`per_10x`), and between each size and the next
    (`steps`, to see whether it speeds up). 10 means it grows as the caseload does; above 10,
    faster (PERFORMANCE.md: it must not); 1, not at all."""
    sizes = sorted(by_size)
    small, large = sizes[0], sizes[-1]
    table = []
    for row in by_size[small]:
        name = row["measure"]
        unit = next((u for u in ("ours_s", "ours_ms", "ours_mb", "ours_rows") if u in row), None)
        if unit is None:  # not measured at the smallest size (BENCH_SKIP)
            continue
        values = {
            size: next((r.get(unit) for r in by_size[size] if r["measure"] == name), None)
            for size in sizes
        }
        steps = [per_10x(a, values[a], b, values[b]) for a, b in itertools.pairwise(sizes)]
        table.append(
            {
                "measure": name,
                "unit": unit[5:].replace("mb", "MB"),
                "values": values,
                "per_10x": per_10x(small, values[small], large, values[large]),
                "steps": steps,
            }
        )
    # The workload's records do not grow exactly with its children (a bigger random caseload
    # draws more of its heaviest families): a cost that grows with the records is judged
    # against them too (`per_10x_records`: the growth for 10 times the records).
    records = next((row["values"] for row in table if row["unit"] == "rows"), None)
    for row in table:
        row["per_10x_records"] = (
            per_records(records, row["values"]) if records and row["unit"] != "rows" else None
        )
        # The baseline's own growth: where SQLite's raw operation on the same rows grows faster
        # than the records (an index outgrowing the page cache), no app on it can grow slower.
        baseline = {
            size: next(
                (r.get("baseline_s") for r in by_size[size] if r["measure"] == row["measure"]),
                None,
            )
            for size in sizes
        }
        row["baseline_per_10x_records"] = (
            per_records(records, baseline) if records and all(baseline.values()) else None
        )
        # Ours against the baseline at each size: where it holds or falls, the app's own part of
        # the cost grows no faster than SQLite's part.
        row["ratios"] = {
            size: next(
                (r.get("ratio") for r in by_size[size] if r["measure"] == row["measure"]), None
            )
            for size in sizes
        }
    return table


def per_records(records: dict[int, Any], values: dict[int, Any]) -> float | None:
    """How many times a cost grows for 10 times the workload's records, between the smallest
    and largest size: the same power law as `per_10x`, against records instead of children."""
    sizes = sorted(values)
    first, last = values[sizes[0]], values[sizes[-1]]
    small, large = records[sizes[0]], records[sizes[-1]]
    if not first or not last or not small or not large or large <= small:
        return None
    return float(10 ** (math.log(last / first) / math.log(large / small)))


def print_growth(table: list[dict[str, Any]]) -> None:
    sizes = list(table[0]["values"]) if table else []
    steps = [f"{a}→{b}" for a, b in itertools.pairwise(sizes)]
    print(
        "\nGrowth with the caseload: our cost at each size, and how many times it grows for 10x "
        "children and for 10x the\nworkload's records (10x = in step with the caseload, more = "
        "faster than it, 1x = not at all), "
        f"{sizes[0]:,} to {sizes[-1]:,} children"
        + (f" and from each size to the next ({', '.join(steps)})" if len(steps) > 1 else "")
    )
    header = (
        f"{'measure':<44} "
        + " ".join(f"{size:>9,}" for size in sizes)
        + "  unit  per 10x  records  baseline  ratio at each size"
    )
    if len(steps) > 1:
        header += "  " + " ".join(f"{step:>10}" for step in steps)
    print(header)

    def factor(value: float | None) -> str:
        return f"{value:7.1f}x" if value is not None else f"{'—':>8}"

    for row in table:
        shape = "9.3f" if row["unit"] == "s" else "9,.0f"
        cells = " ".join(
            f"{value:{shape}}" if value is not None else f"{'—':>9}"
            for value in row["values"].values()
        )
        growing = row["per_10x"]
        by_records = row.get("per_10x_records")
        baseline = row.get("baseline_per_10x_records")
        verdict = (
            ""
            if growing is None or row["unit"] == "rows"  # the workload, not a cost
            else "ok"
            if growing <= 10.5
            else "ok: in step with the records"
            if by_records is not None and by_records <= 10.5
            else "ok: in step with SQLite's own on the same rows"
            if by_records is not None and baseline is not None and by_records <= baseline * 1.05
            else "FASTER THAN CASELOAD"
        )
        ratios = [value for value in row.get("ratios", {}).values() if value is not None]
        line = (
            f"{row['measure'][:44]:<44} {cells}  {row['unit']:<4} {factor(growing)} "
            f"{factor(by_records)}  {factor(baseline)}  "
            + f"{' → '.join(f'{value:.2f}' for value in ratios) or '—':<18}"
        )
        if len(steps) > 1:
            line += "  " + " ".join(f"{factor(step):>10}" for step in row["steps"])
        print(f"{line}  {verdict}")


def write_results(by_size: dict[int, list[dict[str, Any]]]) -> None:
    """bench-results.json: the first size's table, every size's, and the growth between them.
    Written after each size, so a long run stopped early keeps what it measured."""
    sizes = sorted(by_size)
    results: dict[str, Any] = {
        "workload": {k: str(v) for k, v in workload(sizes[0]).items()},
        "results": by_size[sizes[0]],
    }
    if len(sizes) > 1:
        table = growth(by_size)
        print_growth(table)
        results["sizes"] = {str(size): rows for size, rows in by_size.items()}
        results["growth"] = [
            {**row, "values": {str(k): v for k, v in row["values"].items()}} for row in table
        ]
    RESULTS.write_text(json.dumps(results, indent=2))


def main(argv: list[str]) -> int:
    if argv == ["--table"]:
        # The growth table again from bench-results.json, measuring nothing.
        if not RESULTS.exists() or "sizes" not in json.loads(RESULTS.read_text()):
            print("No sizes measured yet; run `make bench SIZES=...` first.", file=sys.stderr)
            return 2
        kept = json.loads(RESULTS.read_text())["sizes"]
        write_results({int(size): rows for size, rows in kept.items()})
        return 0
    try:
        sizes = tuple(int(arg) for arg in argv) or SIZES
    except ValueError:
        print("Give sizes as numbers of children, e.g. 400 1600 4000.", file=sys.stderr)
        return 2
    by_size: dict[int, list[dict[str, Any]]] = {}
    if KEEP and RESULTS.exists():
        earlier = json.loads(RESULTS.read_text())
        kept = earlier.get("sizes") or {earlier["workload"]["children"]: earlier["results"]}
        by_size = {int(size): rows for size, rows in kept.items() if int(size) not in sizes}
        if by_size:
            print(f"Keeping the figures at {', '.join(f'{s:,}' for s in sorted(by_size))} children")
    for children in sizes:
        began = time.perf_counter()
        print(f"\n== {children:,} children ==", flush=True)
        by_size[children] = measure(children)
        print(f"({children:,} children measured in {(time.perf_counter() - began) / 60:.1f} min)")
        write_results(by_size)
    smallest = min(by_size)
    targets = [row for row in by_size[smallest] if "met" in row]
    print(
        f"\nWrote {RESULTS.name}. Targets met at {smallest:,} children: "
        f"{sum(row['met'] for row in targets)} of {len(targets)}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
