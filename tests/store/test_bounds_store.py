"""What the store is given beyond its bounds, on SQLite and a real PostgreSQL (issue 16):
one line and exit 1, nothing written; search that finds people with one folding; two imports
of the same new workbook at once; a disk that refuses a write.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.subject_access import name_pattern
from complaints_cli.domain.text import fold
from tests.conftest import LOG_ARGS, complaints_cmd


def one_error_line(result: Any) -> str:
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("complaints: error: "), lines[0]
    return lines[0]


def log_as(cli: Any, **values: str) -> None:
    args = list(LOG_ARGS)
    for name, value in values.items():
        option = f"--{name}"
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
    result = cli("log", *args)
    assert result.exit_code == 0, result.stderr


def references(cli: Any, *args: str) -> list[str]:
    result = cli("list", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [c["reference"] for c in json.loads(result.stdout)]


# -- a handler's name: at most 200 characters, on both backends ---------------------------------


def test_a_handler_name_over_200_characters_is_one_line_on_both_backends(
    cli: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-11")
    line = one_error_line(cli("log", *LOG_ARGS[:6], "--handler", "H" * 201, *LOG_ARGS[8:]))
    assert (
        line == "complaints: error: handler is 201 characters long; a handler's name is at most 200"
    )
    assert references(cli) == []
    log_as(cli, handler="H" * 200)  # the limit itself is kept, on PostgreSQL's VARCHAR(200) too
    assert references(cli) == ["SPRUCE001"]
    line = one_error_line(cli("correct", "SPRUCE001", "--handler", "K" * 250, "--reason", "typo"))
    assert "--handler is 250 characters long; a handler's name is at most 200" in line
    assert (
        cli("acknowledge", "SPRUCE001", "--date", "04/02/2025", "--summary", "Damp").exit_code == 0
    )
    assert cli("respond", "SPRUCE001", "--date", "10/02/2025", "--summary", "No").exit_code == 0
    escalate = ["escalate", "SPRUCE001", "--details", "Unhappy", "--received", "11/02/2025"]
    line = one_error_line(cli(*escalate, "--review", "manager", "--handler", "S" * 201))
    assert "--handler is 201 characters long" in line
    shown = json.loads(cli("show", "SPRUCE001", "--format", "json").stdout)
    assert (shown["handler"], shown["stage"]) == ("H" * 200, "Stage 1")


def test_a_nul_character_typed_is_one_line_on_both_backends(cli: Any, db_url: str) -> None:
    """argv cannot carry NUL, but a script calling the CLI in-process (or a pasted value read
    from a file) can: PostgreSQL refuses it before the query is sent."""
    log_as(cli)
    line = one_error_line(cli("show", "SPRUCE\x00001"))
    assert "NUL" in line or "no complaint with reference" in line
    assert "Traceback" not in line
    line = one_error_line(cli("log", LOG_ARGS[0], "Ann\x00Lee", *LOG_ARGS[2:]))
    assert "complainant holds a control character (U+0000, nul)" in line
    assert references(cli, "--search", "a\x00b") == []
    assert references(cli) == ["SPRUCE001"]


# -- search that finds people --------------------------------------------------------------------


@pytest.fixture
def people(cli: Any, db_url: str) -> str:
    names = [
        "Élodie Martin",  # 001
        "Łukasz Nowak",  # 002
        "Søren Dahl",  # 003
        "Đorđe Petrović",  # 004
        "Æsa Ólafsdóttir",  # 005
        "Hans Straße",  # 006
        "İsmail Yılmaz",  # 007
        "Ann Lee",  # 008
    ]
    for n, name in enumerate(names, start=1):
        log_as(cli, complainant=name, address=f"{n} Essex Brewery")
    log_as(cli, complainant="Bo Chen", address="9 Essex Brewery", summary="Rent up 100% in a year")
    log_as(cli, complainant="Cy Doe", address="10 Essex Brewery", summary="Email cy_doe wrong")
    return db_url


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Élodie", "SPRUCE001"),  # typed with its accent, as stored (SQLite's LOWER missed it)
        ("elodie", "SPRUCE001"),
        ("ÉLODIE", "SPRUCE001"),
        ("Ｅｌｏｄｉｅ", "SPRUCE001"),  # full-width, pasted from a PDF
        ("Łukasz", "SPRUCE002"),
        ("lukasz", "SPRUCE002"),
        ("søren", "SPRUCE003"),
        ("soren", "SPRUCE003"),
        ("dorde", "SPRUCE004"),
        ("Đorđe", "SPRUCE004"),
        ("petrovic", "SPRUCE004"),
        ("aesa", "SPRUCE005"),
        ("olafsdottir", "SPRUCE005"),
        ("strasse", "SPRUCE006"),
        ("STRASSE", "SPRUCE006"),
        ("ismail", "SPRUCE007"),
        ("İSMAİL", "SPRUCE007"),
        ("yilmaz", "SPRUCE007"),
        ("YILMAZ", "SPRUCE007"),
    ],
)
def test_search_folds_case_and_accents_the_same_on_both_backends(
    cli: Any, people: str, typed: str, found: str
) -> None:
    assert references(cli, "--search", typed) == [found]


def test_search_treats_percent_and_underscore_as_themselves(cli: Any, people: str) -> None:
    assert references(cli, "--search", "%") == ["SPRUCE009"]
    assert references(cli, "--search", "100%") == ["SPRUCE009"]
    assert references(cli, "--search", "_") == ["SPRUCE010"]
    assert references(cli, "--search", "cy_doe") == ["SPRUCE010"]
    assert references(cli, "--search", "cyXdoe") == []
    assert references(cli, "--search", "%%") == []
    assert len(references(cli)) == 10


#: Spellings a person (or a subject-access request) uses for the names above, every one of
#: which must find its person: without accents, with them, shouted, full-width, the Turkish
#: dotted and dotless i, the letters NFKD leaves whole.
SPELLINGS = [
    ("Elodie Martin", "Élodie Martin"),
    ("ELODIE MARTIN", "Élodie Martin"),
    ("Martin, Élodie", "Élodie Martin"),
    ("Ｅｌｏｄｉｅ Ｍａｒｔｉｎ", "Élodie Martin"),
    ("Lukasz Nowak", "Łukasz Nowak"),
    ("ŁUKASZ NOWAK", "Łukasz Nowak"),
    ("łukasz nowak", "Łukasz Nowak"),
    ("Soren Dahl", "Søren Dahl"),
    ("SØREN DAHL", "Søren Dahl"),
    ("Dorde Petrovic", "Đorđe Petrović"),
    ("ĐORĐE PETROVIĆ", "Đorđe Petrović"),
    ("Aesa Olafsdottir", "Æsa Ólafsdóttir"),
    ("æsa ólafsdóttir", "Æsa Ólafsdóttir"),
    ("Hans Strasse", "Hans Straße"),
    ("HANS STRASSE", "Hans Straße"),
    ("Ismail Yilmaz", "İsmail Yılmaz"),
    ("ISMAIL YILMAZ", "İsmail Yılmaz"),
    ("İSMAİL YILMAZ", "İsmail Yılmaz"),
    ("ismail yılmaz", "İsmail Yılmaz"),
]


@pytest.mark.parametrize(("typed", "stored"), SPELLINGS)
def test_subject_access_finds_every_spelling(typed: str, stored: str) -> None:
    assert name_pattern(typed).search(fold(stored)), (typed, fold(typed), fold(stored))
    assert name_pattern(stored).search(fold(typed)), (stored, typed)


def test_subject_access_and_search_fold_with_one_function() -> None:
    from complaints_cli.domain import subject_access, text

    assert subject_access.fold is text.fold
    assert fold("Straße ǅ ﬁ Ⅻ") == "strasse dz fi xii"


def test_subject_access_finds_a_name_spelled_without_its_letters(
    cli: Any, people: str, tmp_path: Path
) -> None:
    out = tmp_path / "sar.json"
    result = cli("subject-access", "Lukasz Nowak", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [c["reference"] for c in data["cases"]] == ["SPRUCE002"]


# -- two imports of the same new workbook at once (PostgreSQL) ---------------------------------


def _waiting_on_import_lock(url: str) -> int:
    import psycopg

    from complaints_cli.store.db import _driver_url

    with psycopg.connect(_driver_url(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
    return int(row[0]) if row else 0


def test_two_imports_of_the_same_new_workbook_at_once_on_postgresql(
    pg_server: Any, tmp_path: Path
) -> None:
    """Both imports are started while the test holds the import lock, and released only once
    both wait on it (a marker, not a sleep): one adds the 40 cases, the other finds them
    unchanged; no unique-violation traceback."""
    import psycopg

    from complaints_cli.store.bulk import IMPORT_LOCK
    from complaints_cli.store.db import _driver_url

    workbook = tmp_path / "sample.xlsx"
    subprocess.run(
        [sys.executable, "scripts/make_sample_log.py", "--output", str(workbook)],
        check=True,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    url = pg_server.new_log()
    env = {
        **os.environ,
        "COMPLAINTS_DB": url,
        "COMPLAINTS_ROOT": str(tmp_path / "Complaints"),
        "COMPLAINTS_TODAY": "2026-03-03",
    }
    holder = psycopg.connect(_driver_url(url))
    try:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (IMPORT_LOCK,))
        runs = [
            subprocess.Popen(
                [*complaints_cmd(), "import", str(workbook)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 90
        while _waiting_on_import_lock(url) < 2:
            assert time.monotonic() < deadline, "the imports never waited for each other"
            assert all(r.poll() is None for r in runs), [r.communicate() for r in runs]
            time.sleep(0.1)
    finally:
        holder.rollback()  # releases the lock: the imports go one after the other
        holder.close()
    outputs = [r.communicate(timeout=300) for r in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err
    said = sorted(out.splitlines()[-1] for out, _ in outputs)
    assert said == [
        "Imported sample.xlsx (sheet 'Complaints Log'): 0 added, 0 updated, 40 unchanged, "
        "0 conflicting, 0 rejected",
        "Imported sample.xlsx (sheet 'Complaints Log'): 40 added, 0 updated, 0 unchanged, "
        "0 conflicting, 0 rejected",
    ]


def test_a_reference_added_meanwhile_is_one_line_not_a_driver_error(db_url: str) -> None:
    """Whatever lets a row in between the plan and the write (a ``log`` racing an import),
    the unique reference is a one-line refusal and nothing of the batch is kept."""
    from complaints_cli.errors import ConflictError
    from complaints_cli.store.bulk import ADDED_MEANWHILE, insert_rows
    from complaints_cli.store.db import RawDatabase

    with RawDatabase(db_url) as db:
        with db.transaction() as tx:
            insert_rows(
                tx, "counter", ["prefix", "last_number"], [{"prefix": "X", "last_number": 1}]
            )
        with pytest.raises(ConflictError) as err, db.transaction() as tx:
            insert_rows(
                tx,
                "counter",
                ["prefix", "last_number"],
                [{"prefix": "Y", "last_number": 1}, {"prefix": "X", "last_number": 2}],
            )
        assert str(err.value) == ADDED_MEANWHILE
        assert db.rows("SELECT prefix, last_number FROM counter WHERE prefix IN ('X', 'Y')") == [
            {"prefix": "X", "last_number": 1}
        ]


# -- a disk that refuses a write (SQLite) ------------------------------------------------------


@pytest.mark.parametrize("command", ["log", "learning", "import"])
def test_a_disk_that_refuses_a_write_is_one_line_and_nothing_saved(
    cli: Any, tmp_path: Path, command: str
) -> None:
    """A real process whose files may not grow (``RLIMIT_FSIZE``: what a full disk or a
    quota does to SQLite's writes, a "disk I/O error" mid-commit)."""
    log_as(cli)
    db = tmp_path / "log.db"
    before = db.read_bytes()
    workbook = tmp_path / "sample.xlsx"
    if command == "import":
        subprocess.run(
            [sys.executable, "scripts/make_sample_log.py", "--output", str(workbook)],
            check=True,
            capture_output=True,
            cwd=Path(__file__).resolve().parents[2],
        )
    args = {
        "log": ["log", *LOG_ARGS, "--summary", "x" * 30_000],
        "learning": ["learning", "SPRUCE001", "y" * 30_000],
        "import": ["import", str(workbook), "--renumber-clashes"],
    }[command]
    size = len(before)

    def no_growth() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    done = subprocess.run(
        [*complaints_cmd(), *args],
        env={**os.environ, "COMPLAINTS_TODAY": "2026-03-03"},
        capture_output=True,
        text=True,
        preexec_fn=no_growth,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith(f"complaints: error: the disk holding the log '{db}' "), last
    assert "nothing was saved" in last
    assert references(cli) == ["SPRUCE001"]
    assert cli("db", "check").exit_code == 0


# -- the reference counter's last number -------------------------------------------------------


def test_a_counter_at_its_last_number_is_one_line_and_later_logs_still_work(
    cli: Any, db_url: str
) -> None:
    """A reference near the limit (imported, or the counter set high) never breaks a later
    ``log`` with a driver error: the last number is handed out, then a one-line refusal, on
    PostgreSQL's 32-bit counter as on SQLite."""
    from complaints_cli.domain.references import MAX_NUMBER
    from complaints_cli.store.db import RawDatabase

    log_as(cli)
    with RawDatabase(db_url) as db, db.transaction() as tx:
        tx.execute(
            "UPDATE counter SET last_number = :n WHERE prefix = 'SPRUCE'", {"n": MAX_NUMBER - 1}
        )
    log_as(cli, address="2 Essex Brewery")
    assert references(cli) == ["SPRUCE001", f"SPRUCE{MAX_NUMBER}"]
    line = one_error_line(cli("log", *LOG_ARGS))
    assert line == (
        "complaints: error: the references for SPRUCE have reached SPRUCE999999999, the last the "
        "log can number: use another prefix (the prefix setting)"
    )
    assert references(cli) == ["SPRUCE001", "SPRUCE999999999"]
    assert cli("show", f"SPRUCE{MAX_NUMBER}").exit_code == 0
    assert "no complaint with reference" in one_error_line(cli("show", f"SPRUCE{2**63 - 1}"))
