"""Handlers logging at the same moment never get the same reference, and nothing is lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.references import split_reference
from tests.conftest import LOG_ARGS, sample_new
from tests.paths import contents

WORKER = r"""
import sys, time
from datetime import date
from pathlib import Path
from complaints_cli.domain.intake import new_complaint
from complaints_cli.domain.case_folders import CaseClaim, creation_stamp
from complaints_cli.files.folders import make_case_folder, planned_name
from complaints_cli.files.markers import check_root_owner
from complaints_cli.store.folders import log_id
from complaints_cli.store.writes import Store

url, root, go, worker, count = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), *sys.argv[4:]
count = int(count)
store = Store(url)
identity = log_id(store.db)
check_root_owner(root, identity, url, claim=True)  # as TeamRoot does for `complaints log`
progress = go.with_name(f"logged-{worker}")
while not go.exists():
    time.sleep(0.005)
for i in range(count):
    new = new_complaint(complainant=f"Resident {worker}-{i}", address=f"{i} Worker {worker} Street",
                        received="2025-02-03", handler=f"Handler {worker}", channel="email",
                        summary=None, today=date(2025, 3, 1))
    # As `complaints log` does: the case in one transaction, then its folder.
    logged = store.log(new, prefix="SPRUCE", actor=f"worker{worker}",
                       folder=lambda ref: planned_name(root, new.address, ref))
    claim = CaseClaim(identity, logged.reference, creation_stamp(logged.case.created_at))
    folder, _, _ = make_case_folder(root, new.address, claim)
    if folder.name != logged.case.folder:
        store.set_folder(logged.reference, folder.name)
    with open(progress, "a") as fh:
        fh.write(logged.reference + "\n")
store.close()
"""


def run_workers(url: str, root: Path, tmp_path: Path, workers: int, each: int) -> None:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(root), str(go), str(w), str(each)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    time.sleep(1.0)  # let every worker import and open the store
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err


def check(refs: list[str], root: Path, total: int) -> None:
    numbers = sorted(n for _, n in map(split_reference, refs))  # type: ignore[arg-type]
    assert numbers == list(range(1, total + 1)), "references must be distinct and consecutive"
    folders = sorted(p.name.rsplit(" ", 1)[-1] for p in contents(root))
    assert folders == sorted(refs)


def test_eight_processes_logging_12_each_into_one_sqlite_file(tmp_path: Path) -> None:
    db = tmp_path / "log.db"  # an empty log (tests/conftest.py)
    root = tmp_path / "Complaints"
    run_workers(f"sqlite:///{db}", root, tmp_path, workers=8, each=12)
    with sqlite3.connect(db) as conn:
        refs = [r for (r,) in conn.execute("SELECT reference FROM complaint")]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT last_number FROM counter").fetchone() == (96,)
        assert conn.execute("SELECT count(*) FROM history").fetchone() == (96,)
    assert len(refs) == 96
    check(refs, root, 96)


def test_eight_processes_on_postgresql(tmp_path: Path, pg_server) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    url = pg_server.new_log()
    root = tmp_path / "Complaints"
    run_workers(url, root, tmp_path, workers=8, each=10)
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        refs = [r for (r,) in conn.execute("SELECT reference FROM complaint")]
    assert len(refs) == 80
    check(refs, root, 80)


def test_a_root_that_cannot_hold_folders_is_refused_before_a_number_is_used(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The complaints root is checked before the case is written: the number is not used up."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the root should be")
    monkeypatch.setenv("COMPLAINTS_ROOT", str(blocker))
    refused = cli("log", *LOG_ARGS)
    assert refused.exit_code == 1
    assert "the complaints root" in refused.stderr and "is a file" in refused.stderr
    assert refused.stdout == ""
    monkeypatch.setenv("COMPLAINTS_ROOT", str(tmp_path / "Complaints"))
    ok = cli("log", *LOG_ARGS)
    assert ok.stdout.startswith("Logged SPRUCE001:")
    assert (tmp_path / "Complaints" / "1 Essex Brewery – SPRUCE001").is_dir()


def test_a_crash_inside_the_transaction_leaves_no_case_no_folder_and_no_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaints_cli.store.writes import Store

    store = Store(f"sqlite:///{tmp_path / 'log.db'}")
    new = sample_new()

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "record", boom)
    with pytest.raises(RuntimeError):
        store.log(new, prefix="SPRUCE", actor="t", folder=str)
    with sqlite3.connect(tmp_path / "log.db") as conn:
        assert conn.execute("SELECT count(*) FROM complaint").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM counter WHERE last_number > 0").fetchone() == (0,)
    store.close()


def test_a_process_killed_while_logging_leaves_a_consistent_log(tmp_path: Path) -> None:
    """kill -9 at arbitrary moments: never half a case, never a used-up or repeated number."""
    import signal

    db = tmp_path / "log.db"
    root = tmp_path / "Complaints"
    go = tmp_path / "go"
    go.touch()
    for attempt in range(4):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                f"sqlite:///{db}",
                str(root),
                str(go),
                str(attempt),
                "500",
            ],
            stderr=subprocess.DEVNULL,
        )
        # Killed once it has logged a few cases (a different number each time), part-way
        # through the next: waits for its own marker, never for a guessed time.
        progress = tmp_path / f"logged-{attempt}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if progress.exists() and len(progress.read_text().split()) >= 3 + 4 * attempt:
                break
            time.sleep(0.001)
        time.sleep(0.003 * attempt)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        refs = [r for (r,) in conn.execute("SELECT reference FROM complaint ORDER BY id")]
        (last,) = conn.execute("SELECT last_number FROM counter").fetchone()
        (histories,) = conn.execute("SELECT count(*) FROM history").fetchone()
        folders = [f for (f,) in conn.execute("SELECT folder FROM complaint")]
    assert refs, "the workers should have logged something before being killed"
    assert last == len(refs) == histories
    assert [split_reference(r)[1] for r in refs] == list(range(1, len(refs) + 1))  # type: ignore[index]
    # The folder is made after the case is saved: a kill in between leaves that one case
    # without its folder (`complaints folders --check` lists it), never a folder without a case.
    missing = [f for f in folders if not (root / f).is_dir()]
    assert len(missing) <= 4, missing  # at most one per killed process
    assert {p.name for p in contents(root)} <= set(folders)


RACER = r"""
import sys, time
from pathlib import Path

go = Path(sys.argv[1])
from complaints_cli.cli.app import main  # imports done before the start line
while not go.exists():
    time.sleep(0.002)
sys.argv = ["complaints", *sys.argv[2:]]
main()
"""


def test_two_processes_racing_on_one_case_one_wins_the_other_is_told_to_reload(
    cli: Any, db_url: str, tmp_path: Path
) -> None:
    """Both read version 1 and change the case at the same moment with --expect-version 1."""
    import json

    assert cli("log", *LOG_ARGS).exit_code == 0
    version = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)["version"]
    assert version == 1
    results = race(
        tmp_path,
        db_url,
        *(
            ["--as", who, "learning", "SPRUCE001", f"Learning from {who}", "--expect-version", "1"]
            for who in ("Kim Ho", "Sam Patel")
        ),
    )
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], results
    (_, _, refused) = next(r for r in results if r[0] == 1)
    assert refused.startswith("complaints: error: SPRUCE001 was changed by someone else")
    assert "reload with `complaints show SPRUCE001` and try again" in refused
    assert "nothing was saved" in refused
    entries = json.loads(cli("history", "SPRUCE001", "-f", "json").stdout)
    assert [e["command"] for e in entries] == ["log", "learning"]
    shown = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    assert shown["version"] == 2
    winner = next(e for e in entries if e["command"] == "learning")["actor"]
    assert shown["learning"] == f"Learning from {winner}"


def race(tmp_path: Path, db_url: str, *commands: list[str]) -> list[tuple[int, str, str]]:
    """Each command as a real process, all released at one moment: (status, stdout, stderr)."""
    import os

    go = tmp_path / "race-go"
    env = {**os.environ, "COMPLAINTS_DB": db_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(go), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for command in commands
    ]
    time.sleep(1.5)  # every process has imported everything and waits at the start line
    go.touch()
    return [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]


def test_a_case_is_never_void_as_the_duplicate_of_a_void_case(cli: Any, db_url: str) -> None:
    # One after the other: the second handler is refused, and nothing is saved.
    import json

    for _ in range(2):
        assert cli("log", *LOG_ARGS).exit_code == 0
    assert (
        cli("void", "SPRUCE002", "--duplicate-of", "SPRUCE001", "--reason", "Twice").exit_code == 0
    )
    refused = cli("void", "SPRUCE001", "--duplicate-of", "spruce2", "--reason", "Twice")
    assert (refused.exit_code, refused.stderr) == (
        1,
        "complaints: error: SPRUCE002 is void itself (Twice): SPRUCE001 cannot be void as its "
        "duplicate, or the complaint would be in no list or figure; name the case that stays, "
        "or reopen SPRUCE002 if it was voided by mistake; nothing was saved\n",
    )
    shown = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    assert (shown["status"], shown["version"]) == ("Open", 1)
    # Voided in error (no original), a case stays void; one of another case stays allowed.
    assert cli("log", *LOG_ARGS).exit_code == 0
    assert (
        cli("void", "SPRUCE003", "--duplicate-of", "SPRUCE001", "--reason", "Again").exit_code == 0
    )


def test_two_handlers_voiding_each_of_a_pair_at_once_leave_one_case(
    cli: Any, db_url: str, tmp_path: Path
) -> None:
    """Each handler voids one of a complaint logged twice as the other's duplicate, at the same
    moment: one is voided, the other refused (on PostgreSQL, by the check or as a deadlock
    between the two), and the complaint stays in the log."""
    import json

    for _ in range(2):
        assert cli("log", *LOG_ARGS).exit_code == 0
    results = race(
        tmp_path,
        db_url,
        ["--as", "Kim Ho", "void", "SPRUCE001", "--duplicate-of", "SPRUCE002", "--reason", "A"],
        ["--as", "Sam Patel", "void", "SPRUCE002", "--duplicate-of", "SPRUCE001", "--reason", "B"],
    )
    assert sorted(code for code, _, _ in results) == [0, 1], results
    refused = next(err for code, _, err in results if code == 1)
    assert refused.count("\n") == 1 and refused.startswith("complaints: error: ")
    assert "nothing was saved" in refused
    statuses = [
        json.loads(cli("show", r, "-f", "json").stdout)["status"]
        for r in ("SPRUCE001", "SPRUCE002")
    ]
    assert sorted(statuses) == ["Open", "Void"]


def assert_stale(result: Any, *, now: int, read: int) -> None:
    """The one line a change refused by ``--expect-version`` gives, exit status 1."""
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: SPRUCE001 was changed by someone else since you read it (it is now "
        f"at version {now}, you read version {read}); nothing was saved: reload with "
        "`complaints show SPRUCE001` and try again\n"
    )


def test_expect_version_refuses_a_stale_change_and_accepts_a_current_one(
    cli: Any, db_url: str
) -> None:
    import json

    cli("log", *LOG_ARGS)
    answered = cli("respond", "SPRUCE001", "--summary", "Answered", "--date", "10/02/2025")
    assert answered.exit_code == 0, answered.output  # version 2
    assert cli("learning", "SPRUCE001", "First", "--expect-version", "2").exit_code == 0
    assert_stale(cli("close", "SPRUCE001", "--expect-version", "2"), now=3, read=2)
    assert json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)["status"] == "Open"
    assert cli("close", "SPRUCE001", "--expect-version", "3").exit_code == 0
    assert json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)["version"] == 4


def test_a_stale_signatory_add_is_refused_and_changes_nothing(cli: Any, db_url: str) -> None:
    # `signatory add --lead` changes the case's complainant: like every command that changes a
    # case, it takes the version the handler read.
    import json

    assert cli("log", "--kind", "petition", *LOG_ARGS).exit_code == 0
    added = ("signatory", "add", "SPRUCE001", "--name", "Raj Singh", "--address", "2 Road")
    assert cli(*added, "--expect-version", "1").exit_code == 0  # now version 2
    lead = ("--name", "Mo Khan", "--address", "3 Road", "--lead", "--expect-version", "1")
    assert_stale(cli("signatory", "add", "SPRUCE001", *lead), now=2, read=1)
    shown = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    assert (shown["version"], shown["complainant"]) == (2, "Ann Lee")
    assert [s["name"] for s in shown["signatories"]] == ["Ann Lee", "Raj Singh"]


def big_workbook(path: Path, rows: int) -> Path:
    """A plain log of ``rows`` cases (SPRUCE00101 onwards): long enough to kill half-way."""
    from openpyxl import Workbook

    from complaints_cli.domain.columns import HEADERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Log")
    ws.append(list(HEADERS[:7]))
    for n in range(101, 101 + rows):
        ws.append(
            [
                f"SPRUCE{n:05d}",
                "Open",
                "Stage 1",
                "Sam Patel",
                f"Resident {n}",
                f"{n} Road",
                "03/02/2025",
            ]
        )
    wb.save(path)
    return path


def test_a_process_killed_while_importing_leaves_the_log_unchanged(
    cli: Any, tmp_path: Path
) -> None:
    """kill -9 at moments spread over the import's write (its rollback journal exists).

    Whatever the moment, the log holds either none of the workbook or all of it: never some
    of its cases, never cases without their history, never a counter moved on for nothing.
    """
    import os
    import shutil
    import signal

    for _ in range(2):
        assert cli("log", *LOG_ARGS).exit_code == 0
    db = tmp_path / "log.db"
    pristine = shutil.copy(db, tmp_path / "pristine.db")
    journal = tmp_path / "log.db-journal"
    book = big_workbook(tmp_path / "big.xlsx", 20_000)
    env = {**os.environ, "COMPLAINTS_DB": str(db)}
    killed_mid_write = 0
    for pause in (0.02, 0.1, 0.2, 0.3):
        journal.unlink(missing_ok=True)  # rolled back by the check below; not for the copy
        shutil.copy(pristine, db)
        proc = subprocess.Popen(
            [sys.executable, "-m", "complaints_cli", "import", str(book)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not journal.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(pause)
        mid_write = journal.exists() and proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        conn = sqlite3.connect(db)  # the first read rolls a hot journal back, as SQLite does
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            state = (
                conn.execute("SELECT count(*) FROM complaint").fetchone()[0],
                conn.execute("SELECT count(*) FROM history").fetchone()[0],
                conn.execute("SELECT last_number FROM counter").fetchone()[0],
            )
        finally:
            conn.close()
        assert state in ((2, 2, 2), (20_002, 20_002, 20_100)), f"killed {pause}s in: {state}"
        killed_mid_write += mid_write and state == (2, 2, 2)
    assert killed_mid_write >= 2, "the import finished before it could be killed: use more rows"


def test_a_postgresql_deadlock_is_one_line_saying_nothing_was_saved() -> None:
    # Two handlers each holding a case the other's change needs (voiding each of a pair as
    # the other's duplicate): the server aborts one; it is told so, not "lost the connection".
    import psycopg

    from complaints_cli.errors import BusyError
    from complaints_cli.store.db import translate_pg_error

    for error in (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
        with pytest.raises(BusyError) as raised:
            translate_pg_error(error("deadlock detected"))
        assert str(raised.value) == (
            "another handler was saving a change to the same cases at the same moment: "
            "nothing was saved; try again"
        )
