"""Retention, purge and legal holds: what is due, what is kept and why, and what is left behind.

The log (England and Wales, Spruce profile), everything received Fri 01/02/2019:
- SPRUCE001 Annabel Leeworth: closed 01/03/2019 -> due for purge 01/03/2025.
- SPRUCE002 Bo Chen: closed 01/03/2019, under a legal hold -> kept.
- SPRUCE003 Cy Doe: open -> kept.
- SPRUCE004 Di Evans: closed 03/06/2019 -> not due until 03/06/2025.
Purges run "today" 03/03/2025.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.retention import (
    RetentionFacts,
    Verdict,
    assess,
    due_date,
    kept_summary,
)
from complaints_cli.domain.vocabulary import Status
from complaints_cli.store.db import RawDatabase
from tests.conftest import LOG_ARGS

NAME = "Annabel Leeworth"
TODAY = "2025-03-03"


def run(cli: Any, monkeypatch: pytest.MonkeyPatch, day: str, *args: str, **kw: Any) -> Any:
    monkeypatch.setenv("COMPLAINTS_TODAY", day)
    return cli(*args, **kw)


@pytest.fixture
def old_log(cli: Any, db_url: str, monkeypatch: pytest.MonkeyPatch, root: Path) -> str:
    for name, address in (
        (NAME, "1 Essex Brewery"),
        ("Bo Chen", "2 Essex Brewery"),
        ("Cy Doe", "3 Essex Brewery"),
        ("Di Evans", "4 Essex Brewery"),
    ):
        args = list(LOG_ARGS)
        args[args.index("--complainant") + 1] = name
        args[args.index("--address") + 1] = address
        args[args.index("--received") + 1] = "2019-02-01"
        assert run(cli, monkeypatch, "2019-02-01", "log", *args).exit_code == 0
    ok = run(
        cli,
        monkeypatch,
        "2019-02-05",
        "acknowledge",
        "SPRUCE001",
        "--summary",
        f"{NAME} reports damp; {NAME} has asthma",
    )
    assert ok.exit_code == 0, ok.output
    (root / "1 Essex Brewery – SPRUCE001" / "letter.docx").write_bytes(b"Dear Ms Leeworth")
    for ref in ("SPRUCE001", "SPRUCE002", "SPRUCE004"):  # a case is closed once answered
        answered = run(cli, monkeypatch, "2019-02-11", "respond", ref, "--summary", "Answered")
        assert answered.exit_code == 0, answered.output
    for ref, day in (("SPRUCE001", "2019-03-01"), ("SPRUCE002", "2019-03-01")):
        closed = run(cli, monkeypatch, day, "close", ref, "--date", day)
        assert closed.exit_code == 0, closed.output
    assert run(cli, monkeypatch, "2019-06-03", "close", "SPRUCE004").exit_code == 0
    held = run(cli, monkeypatch, TODAY, "hold", "SPRUCE002", "--reason", "Disrepair claim")
    assert held.exit_code == 0, held.output
    return db_url


# --- the rules (pure) ---------------------------------------------------------------------------
def case(**fields: Any) -> RetentionFacts:
    base: dict[str, Any] = {
        "reference": "X1",
        "status": Status.CLOSED,
        "closed": date(2019, 3, 1),
        "folder": "f",
        "legal_hold": False,
        "legal_hold_reason": None,
    }
    return RetentionFacts(**{**base, **fields})


def test_due_date_is_the_anniversary_and_29_february_falls_back() -> None:
    assert due_date(date(2019, 3, 1), 6) == date(2025, 3, 1)
    assert due_date(date(2020, 2, 29), 6) == date(2026, 2, 28)


def test_every_reason_a_case_is_kept() -> None:
    today = date(2025, 3, 3)
    assert assess(case(), today=today, years=6) == Verdict(
        "X1", date(2019, 3, 1), date(2025, 3, 1), "f", True, ""
    )
    assert assess(case(), today=date(2025, 2, 28), years=6).reason == "not due until 01/03/2025"
    assert assess(case(closed=date(2025, 3, 1)), today=date(2031, 3, 1), years=6).purge
    assert assess(case(status=Status.OPEN), today=today, years=6).reason == "open (Open)"
    assert (
        assess(case(legal_hold=True, legal_hold_reason="Claim"), today=today, years=6).reason
        == "legal hold: Claim"
    )
    assert assess(case(closed=None), today=today, years=6).reason.startswith(
        "closed with no closing date"
    )
    assert assess(case(), today=today, years=7).reason == "not due until 01/03/2026"
    kept = [assess(case(status=Status.OPEN), today=today, years=6)] * 2 + [
        assess(case(legal_hold=True), today=today, years=6),
        assess(case(), today=date(2020, 1, 1), years=6),
    ]
    assert kept_summary(kept) == {"open": 2, "legal hold": 1, "not due yet": 1}


# --- the commands -------------------------------------------------------------------------------
def test_dry_run_lists_what_is_due_and_changes_nothing(
    cli: Any, old_log: str, monkeypatch: pytest.MonkeyPatch, root: Path
) -> None:
    result = run(cli, monkeypatch, TODAY, "purge", "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Due for purge: 1 case(s) closed 6 or more years ago (as of 03/03/2025)" in out
    assert "SPRUCE001" in out and "01/03/2019" in out and "01/03/2025" in out
    assert str(root / "1 Essex Brewery – SPRUCE001") in out
    assert "SPRUCE002" not in out and "SPRUCE003" not in out and "SPRUCE004" not in out
    assert "Kept: 1 legal hold, 1 open, 1 not due yet." in out
    assert "Nothing was changed (dry run)." in out
    rows = json.loads(run(cli, monkeypatch, TODAY, "purge", "--dry-run", "-f", "json").stdout)
    assert rows == [
        {
            "reference": "SPRUCE001",
            "closed": "2019-03-01",
            "due": "2025-03-01",
            "folder": str(root / "1 Essex Brewery – SPRUCE001"),
        }
    ]
    assert run(cli, monkeypatch, TODAY, "show", "SPRUCE001").exit_code == 0
    longer = run(cli, monkeypatch, TODAY, "purge", "--dry-run", "--retention-years", "7")
    assert longer.stdout == (
        "Nothing is due for purge (7-year retention period, as of 03/03/2025).\n"
        "Kept: 2 not due yet, 1 legal hold, 1 open.\n"
    )
    monkeypatch.setenv("COMPLAINTS_RETENTION_YEARS", "5")  # 001 due 01/03/2024, 004 03/06/2024
    five = run(cli, monkeypatch, "2024-06-03", "purge", "--dry-run", "-f", "json")
    assert [r["reference"] for r in json.loads(five.stdout)] == ["SPRUCE001", "SPRUCE004"]
    four = run(cli, monkeypatch, "2024-06-02", "purge", "--dry-run", "-f", "json")
    assert [r["reference"] for r in json.loads(four.stdout)] == ["SPRUCE001"]


def test_purge_removes_the_case_its_history_and_folder_and_keeps_a_record(
    cli: Any, old_log: str, monkeypatch: pytest.MonkeyPatch, root: Path
) -> None:
    folder = root / "1 Essex Brewery – SPRUCE001"
    assert folder.is_dir()
    result = run(cli, monkeypatch, TODAY, "--as", "Kim Ho", "purge", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Purged 1 case(s): SPRUCE001 (a purge record of each is kept: reference and dates "
        "only).\nRemoved 1 case folder(s).\n"
    )
    assert result.stderr == ""
    assert not folder.exists()
    gone = run(cli, monkeypatch, TODAY, "show", "SPRUCE001")
    assert gone.exit_code == 1
    assert gone.stderr.startswith("complaints: error: SPRUCE001 was purged on ")
    assert gone.stderr.endswith(" by Kim Ho under the 6-year retention period\n")
    listed = json.loads(run(cli, monkeypatch, TODAY, "list", "-f", "json").stdout)
    assert [c["reference"] for c in listed] == ["SPRUCE002", "SPRUCE003", "SPRUCE004"]
    with RawDatabase(old_log) as db:
        assert db.scalar("SELECT count(*) FROM history WHERE complaint_id = 1") == 0
        record = db.rows(
            "SELECT reference, received, closed, actor, retention_years FROM purge_record"
        )
        assert [
            (r["reference"], str(r["received"]), str(r["closed"]), r["actor"], r["retention_years"])
            for r in record
        ] == [("SPRUCE001", "2019-02-01", "2019-03-01", "Kim Ho", 6)]
        for table in ("complaint", "history"):
            for row in db.rows(f"SELECT * FROM {table}"):
                assert "Leeworth" not in json.dumps(row, default=str)
    # The next reference is never SPRUCE001 again.
    again = run(cli, monkeypatch, TODAY, "log", *LOG_ARGS, "-f", "json")
    assert json.loads(again.stdout)["reference"] == "SPRUCE005"
    assert run(cli, monkeypatch, TODAY, "db", "check").exit_code == 0


def test_after_purge_the_name_is_not_in_the_database_files_bytes(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, root: Path
) -> None:
    """SQLite: secure delete, VACUUM, and no rollback journal left with the old pages."""
    db = tmp_path / "log.db"
    args = list(LOG_ARGS)
    args[args.index("--complainant") + 1] = NAME
    args[args.index("--received") + 1] = "2019-02-01"
    for _ in range(3):  # more cases, so freed pages are not simply cut off the end of the file
        assert run(cli, monkeypatch, "2019-02-01", "log", *args).exit_code == 0
    run(cli, monkeypatch, "2019-02-05", "learning", "SPRUCE001", f"Called {NAME} back")
    answered = ("respond", "SPRUCE001", "--summary", "Answered")  # closed once answered
    assert run(cli, monkeypatch, "2019-02-11", *answered).exit_code == 0
    assert run(cli, monkeypatch, "2019-03-01", "close", "SPRUCE001").exit_code == 0
    for ref in ("SPRUCE002", "SPRUCE003"):  # the same name on cases that are kept
        with RawDatabase(f"sqlite:///{db}") as raw:
            raw.execute(
                "UPDATE complaint SET complainant = 'Someone Else' WHERE reference = :r", {"r": ref}
            )
            raw.execute(
                "UPDATE history SET changes = '{}' WHERE complaint_id = "
                "(SELECT id FROM complaint WHERE reference = :r)",
                {"r": ref},
            )
            raw._conn.commit()
    assert NAME.encode() in db.read_bytes()  # the test can fail: the name is there before
    result = run(cli, monkeypatch, TODAY, "purge", "--yes")
    assert result.exit_code == 0, result.output
    data = db.read_bytes()
    assert NAME.encode() not in data
    assert b"Leeworth" not in data
    assert "Leeworth".encode("utf-16-le") not in data
    assert not db.with_name("log.db-journal").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("log.db")] == ["log.db"]


def test_purge_on_both_backends_never_touches_open_or_held_cases(
    cli: Any, old_log: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaints_cli.store import purge

    monkeypatch.setattr(purge, "CHUNK", 1)  # a big purge goes in chunks: one case at a time here
    years_later = "2040-01-01"  # everything closed is long past due
    result = run(cli, monkeypatch, years_later, "purge", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Purged 2 case(s): SPRUCE001, SPRUCE004 ")
    listed = json.loads(run(cli, monkeypatch, years_later, "list", "-f", "json").stdout)
    assert [(c["reference"], c["status"], c["legal_hold"]) for c in listed] == [
        ("SPRUCE002", "Closed", True),
        ("SPRUCE003", "Open", False),
    ]
    released = run(
        cli, monkeypatch, years_later, "hold", "SPRUCE002", "--release", "--reason", "Claim settled"
    )
    assert released.exit_code == 0, released.output
    assert "no longer held" in released.stdout
    again = run(cli, monkeypatch, years_later, "purge", "--yes")
    assert again.stdout.startswith("Purged 1 case(s): SPRUCE002 ")
    with RawDatabase(old_log) as db:
        assert db.column("SELECT reference FROM purge_record ORDER BY id") == [
            "SPRUCE001",
            "SPRUCE004",
            "SPRUCE002",
        ]


def test_purge_needs_confirmation(cli: Any, old_log: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from complaints_cli.cli import data_protection as team

    refused = run(cli, monkeypatch, TODAY, "purge")  # not at a terminal, no --yes
    assert refused.exit_code == 1
    assert refused.stderr == (
        "complaints: error: purge would remove 1 case(s) for good and needs confirmation: run it "
        "at a terminal, or give --yes (check the list with --dry-run first)\n"
    )
    monkeypatch.setattr(team, "_interactive", lambda: True)
    said_no = run(cli, monkeypatch, TODAY, "purge", input="n\n")
    assert said_no.exit_code == 1
    assert "Remove these 1 case(s), their history, actions and folders for good?" in said_no.stdout
    assert "purge cancelled; nothing was changed" in said_no.stderr
    assert run(cli, monkeypatch, TODAY, "show", "SPRUCE001").exit_code == 0
    said_yes = run(cli, monkeypatch, TODAY, "purge", input="y\n")
    assert said_yes.exit_code == 0, said_yes.output
    assert "Purged 1 case(s): SPRUCE001" in said_yes.stdout


def test_folders_outside_the_root_are_never_followed_and_locked_files_are_reported(
    cli: Any,
    old_log: str,
    monkeypatch: pytest.MonkeyPatch,
    root: Path,
    tmp_path: Path,
) -> None:
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the tool's")
    # SPRUCE001's folder is a link to somewhere else; the log names SPRUCE004's folder as a
    # path outside the root (the name the log recorded is never trusted: its marker decides).
    folder1 = root / "1 Essex Brewery – SPRUCE001"
    for f in folder1.iterdir():
        f.unlink()
    folder1.rmdir()
    folder1.symlink_to(outside, target_is_directory=True)
    with RawDatabase(old_log) as db:
        db.execute("UPDATE complaint SET folder = '../outside' WHERE reference = 'SPRUCE004'")
        if db.dialect == "sqlite":
            db._conn.commit()
    result = run(cli, monkeypatch, "2040-01-01", "purge", "--yes")
    assert result.exit_code == 0, result.output
    assert "Purged 2 case(s): SPRUCE001, SPRUCE004" in result.stdout
    assert "Removed 1 case folder(s)." in result.stdout
    assert f"SPRUCE001: {folder1} is a link; not followed, left" in result.stderr
    assert not (root / "4 Essex Brewery – SPRUCE004").exists()
    assert (outside / "keep.txt").read_text() == "not the tool's"
    assert folder1.is_symlink()

    # A file held open by another program (Windows refuses to delete it): reported, not fatal.
    args = list(LOG_ARGS)
    args[args.index("--received") + 1] = "2019-02-01"
    run(cli, monkeypatch, "2019-02-01", "log", *args)
    run(cli, monkeypatch, "2019-02-11", "respond", "SPRUCE005", "--summary", "Answered")
    run(cli, monkeypatch, "2019-03-01", "close", "SPRUCE005")
    folder5 = root / "1 Essex Brewery – SPRUCE005"
    (folder5 / "log.xlsx").write_bytes(b"open in Excel")
    real_unlink = os.unlink

    def locked(path: Any, *a: Any, **k: Any) -> None:
        if str(path).endswith("log.xlsx"):
            raise PermissionError(13, "The process cannot access the file", str(path))
        real_unlink(path, *a, **k)

    monkeypatch.setattr(os, "unlink", locked)
    held = run(cli, monkeypatch, "2040-01-01", "purge", "--yes")
    assert held.exit_code == 0, held.output
    assert "Purged 1 case(s): SPRUCE005" in held.stdout
    assert f"SPRUCE005: {folder5} could not be removed (log.xlsx: The process cannot" in held.stderr
    assert "close any file open from it (Excel, Word, Explorer)" in held.stderr
    assert (folder5 / "log.xlsx").exists()
    # Once the file is closed, the next purge (nothing left to purge) removes the folder.
    monkeypatch.setattr(os, "unlink", real_unlink)
    again = run(cli, monkeypatch, "2040-01-01", "purge", "--yes")
    assert again.exit_code == 0, again.output
    assert "Removed 1 case folder(s) an earlier purge left." in again.stdout
    assert not folder5.exists()
    with RawDatabase(old_log) as db:
        assert db.scalar("SELECT COUNT(*) FROM folder_removal") == 0
    assert run(cli, monkeypatch, "2040-01-01", "show", "SPRUCE005").exit_code == 1


def test_linked_rows_go_with_the_case_and_a_case_pointing_at_it_says_so(
    cli: Any, old_log: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with RawDatabase(old_log) as db:
        db.execute(
            "INSERT INTO signatory (complaint_id, name, address, lead, added) "
            "VALUES (1, 'Fay Gold', '5 Essex Brewery', :f, '2019-02-02')",
            {"f": False},
        )
        db.execute("UPDATE complaint SET related_to_id = 1 WHERE reference = 'SPRUCE003'")
        if db.dialect == "sqlite":
            db._conn.commit()
    result = run(cli, monkeypatch, TODAY, "purge", "--yes")
    assert result.exit_code == 0, result.output
    with RawDatabase(old_log) as db:
        assert db.scalar("SELECT count(*) FROM signatory") == 0
        assert (
            db.scalar("SELECT related_to_id FROM complaint WHERE reference = 'SPRUCE003'") is None
        )
    entries = json.loads(run(cli, monkeypatch, TODAY, "history", "SPRUCE003", "-f", "json").stdout)
    assert entries[-1]["command"] == "purge"
    assert entries[-1]["changes"] == {"related_to_id": [1, None]}
    assert "the related case SPRUCE001 was purged" in entries[-1]["note"]


def test_a_case_reopened_after_the_listing_is_kept(
    cli: Any, old_log: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The purge re-checks each case under the write lock."""
    from complaints_cli.domain.retention import assess_all
    from complaints_cli.store.purge import purge_cases
    from complaints_cli.store.reads import retention_facts
    from complaints_cli.store.writes import Store

    with RawDatabase(old_log) as db:
        rows = retention_facts(db)
    due, _ = assess_all(rows, today=date(2025, 3, 3), years=6)
    assert [v.reference for v in due] == ["SPRUCE001"]
    assert run(cli, monkeypatch, TODAY, "reopen", "SPRUCE001").exit_code == 0
    with Store(old_log) as store:
        result = purge_cases(store, due, actor="t", years=6, today=date(2025, 3, 3))
    assert result.purged == []
    assert result.kept == [("SPRUCE001", "changed since it was listed: open (Open)")]
    assert run(cli, monkeypatch, TODAY, "show", "SPRUCE001").exit_code == 0


def test_a_case_another_handlers_purge_took_meanwhile_is_said_so_not_kept(
    cli: Any, old_log: str, monkeypatch: pytest.MonkeyPatch, root: Path
) -> None:
    """Two handlers run `purge --yes` at once: the second, listing SPRUCE001 before the first
    committed, is told it was purged meanwhile; never that it "was kept" (it is gone)."""
    import subprocess

    from complaints_cli.store import purge
    from tests.conftest import complaints_cmd

    real = purge.purge_cases
    first: list[subprocess.CompletedProcess[str]] = []

    def other_handler_purges_first(*args: Any, **kwargs: Any) -> Any:
        first.append(
            subprocess.run(
                [*complaints_cmd(), "--as", "Kim Ho", "purge", "--yes"],
                capture_output=True,
                text=True,
            )
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(purge, "purge_cases", other_handler_purges_first)
    second = run(cli, monkeypatch, TODAY, "purge", "--yes")
    assert first[0].returncode == 0, first[0].stderr
    assert first[0].stdout.startswith("Purged 1 case(s): SPRUCE001 ")
    assert second.exit_code == 0, second.output
    assert second.stdout == (
        "Purged 0 case(s) (a purge record of each is kept: reference and dates only).\n"
        "Removed 0 case folder(s).\n"
        "1 more case(s) were purged meanwhile by another handler's purge: SPRUCE001\n"
    )
    assert second.stderr == ""
    assert not (root / "1 Essex Brewery – SPRUCE001").exists()


def test_hold_and_release_are_in_the_history(
    cli: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("log", *LOG_ARGS)
    assert cli("hold", "SPRUCE001").stderr == (
        "complaints: error: give --reason (why the case must be kept) or --release\n"
    )
    assert cli("hold", "SPRUCE001", "--release").stderr == (
        "complaints: error: SPRUCE001 is not under a legal hold\n"
    )
    held = cli("hold", "SPRUCE001", "--reason", "Ombudsman investigation")
    assert held.exit_code == 0, held.output
    assert "SPRUCE001 is under a legal hold: it will not be purged until released." in held.stdout
    twice = cli("hold", "SPRUCE001", "--reason", "Another")
    assert twice.exit_code == 1
    assert "already under a legal hold (Ombudsman investigation)" in twice.stderr
    shown = json.loads(cli("show", "SPRUCE001", "-f", "json").stdout)
    assert (shown["legal_hold"], shown["legal_hold_reason"], shown["version"]) == (
        True,
        "Ombudsman investigation",
        2,
    )
    assert "Legal hold" in cli("show", "SPRUCE001").stdout
    stale = cli("hold", "SPRUCE001", "--release", "--expect-version", "1")
    assert stale.exit_code == 1 and "reload with `complaints show SPRUCE001`" in stale.stderr
    assert cli("hold", "SPRUCE001", "--release", "--expect-version", "2").exit_code == 0
    entries = json.loads(cli("history", "SPRUCE001", "-f", "json").stdout)
    assert [(e["command"], e["changes"].get("legal_hold")) for e in entries] == [
        ("log", None),
        ("hold", [False, True]),
        ("release hold", [True, False]),
    ]


def test_a_bad_retention_setting_is_one_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTS_RETENTION_YEARS", "six")
    result = cli("purge", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: retention_years 'six' (from env COMPLAINTS_RETENTION_YEARS) must be "
        "a whole number of years, 1-100\n"
    )
    monkeypatch.delenv("COMPLAINTS_RETENTION_YEARS")
    zero = cli("purge", "--dry-run", "--retention-years", "0")
    assert zero.stderr == (
        "complaints: error: --retention-years 0 must be a whole number of years, 1-100\n"
    )
