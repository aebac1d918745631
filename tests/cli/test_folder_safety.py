"""Folders are reconciled, never guessed (issue 16, items 1-3 and 10).

A case folder is the case's by the marker inside it (``.complaints-case``), never by its name;
the root is one log's by its marker (``.complaints-log``). Kills are real processes stopped at
a marker (``tests/kill.py``), never a sleep.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.errors import ComplaintsError
from complaints_cli.files.markers import CASE_MARKER, ROOT_MARKER
from tests.conftest import LOG_ARGS, complaints_cmd, new_sqlite_log
from tests.kill import paused, stopped
from tests.paths import SAMPLE, contents

TODAY = "2025-02-20"


def log_args(address: str, complainant: str = "Ann Lee", received: str = "03/02/2025") -> list[str]:
    args = list(LOG_ARGS)
    args[args.index("--address") + 1] = address
    args[args.index("--complainant") + 1] = complainant
    args[args.index("--received") + 1] = received
    return ["log", "--no-input", *args]


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def one_line(result: Any) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def check(cli: Any, *extra: str) -> tuple[int, list[tuple[Any, ...]]]:
    result = cli("folders", "--check", "--format", "json", *extra)
    found = json.loads(result.stdout)
    return result.exit_code, [(p["problem"], p["reference"], p["folder"]) for p in found]


def complaints_in(where: Path | str) -> list[str]:
    """The references in the log at ``where`` (a SQLite path or a URL)."""
    from complaints_cli.store.db import RawDatabase

    url = where if isinstance(where, str) else f"sqlite:///{where}"
    with RawDatabase(url) as db:
        return [str(r) for r in db.column("SELECT reference FROM complaint ORDER BY id")]


def scalar(url: str, sql: str) -> Any:
    from complaints_cli.store.db import RawDatabase

    with RawDatabase(url) as db:
        return db.scalar(sql)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY)


# -- 1. the log is identified: another log's root is refused --------------------------------


def test_a_log_pointed_at_another_logs_root_is_refused_and_writes_nothing(
    cli: Any, tmp_path: Path, root: Path, log_template: Path
) -> None:
    ok(cli(*log_args("1 Essex Brewery")))
    assert (root / ROOT_MARKER).is_file()
    other = tmp_path / "other team.db"
    new_sqlite_log(log_template, other)
    refused = one_line(cli("--db", str(other), *log_args("9 Other Road")))
    assert refused.startswith(
        f"complaints: error: the complaints root {str(root)!r} holds another "
    )
    assert "nothing was changed; point --root (COMPLAINTS_ROOT) at this log's folders" in refused
    assert complaints_in(other) == []  # refused before the case was logged
    assert sorted(p.name for p in contents(root)) == ["1 Essex Brewery – SPRUCE001"]
    # Reading commands are refused too: the other log would list or write our residents.
    for argv in (["folders", "--check"], ["folders", "--check", "--fix"], ["check"]):
        line = one_line(cli("--db", str(other), *argv))
        assert "holds another log's case folders" in line, argv
    assert sorted(p.name for p in contents(root)) == ["1 Essex Brewery – SPRUCE001"]


def test_a_sqlite_log_replaced_while_a_command_runs_saves_nothing(
    tmp_path: Path, log_template: Path
) -> None:
    from complaints_cli.store.db import RawDatabase
    from complaints_cli.store.folders import log_id

    path = tmp_path / "log.db"
    replacement = tmp_path / "restored.db"
    new_sqlite_log(log_template, replacement)
    with RawDatabase(f"sqlite:///{replacement}") as other:
        theirs = log_id(other)
    with RawDatabase(f"sqlite:///{path}") as db:
        ours = log_id(db)
        os.replace(replacement, path)  # a backup restored over the log mid-run
        with pytest.raises(ComplaintsError) as refused, db.transaction() as tx:
            tx.execute("INSERT INTO counter (prefix, last_number) VALUES ('X', 1)")
    assert str(refused.value).startswith(
        f"the log file {str(path)!r} was replaced or moved while this command ran (it was log "
        f"{ours[:8]}; it is now log {theirs[:8]}): nothing was saved"
    )
    with sqlite3.connect(path) as check_db:
        assert check_db.execute("SELECT log_id FROM log_identity").fetchall() == [(theirs,)]


# -- 2. a folder is a case's by its marker, never its name ---------------------------------


def test_an_orphan_folder_of_the_same_reference_is_never_reused(cli: Any, root: Path) -> None:
    ok(cli(*log_args("1 Essex Brewery")))
    # A folder left from a log restored from a backup: SPRUCE002 will be handed out again.
    orphan = root / "9 Old Road – SPRUCE002"
    orphan.mkdir()
    (orphan / "another resident.docx").write_bytes(b"Dear Mr Old")
    logged = ok(cli(*log_args("2 New Street", "Bo Chen")))
    assert "'9 Old Road – SPRUCE002' also ends in SPRUCE002 but is not this case's folder" in (
        logged.stderr
    )
    mine = root / "2 New Street – SPRUCE002"
    assert json.loads((mine / CASE_MARKER).read_text())["reference"] == "SPRUCE002"
    ok(cli("letter", "SPRUCE002", "acknowledgement"))
    assert [p.name for p in contents(orphan)] == ["another resident.docx"]
    assert [p.name for p in contents(mine)] == ["SPRUCE002 Acknowledgement DRAFT 2025-02-20.docx"]
    status, problems = check(cli)
    assert status == 1
    assert problems == [
        ("two folders", "SPRUCE002", "2 New Street – SPRUCE002 | 9 Old Road – SPRUCE002")
    ]
    # --fix never touches it: a person decides.
    fixed = cli("folders", "--check", "--fix")
    assert fixed.exit_code == 1
    assert [p.name for p in contents(orphan)] == ["another resident.docx"]
    # An orphan under the very name the case would get: the case is logged, no folder made.
    taken = root / "3 Mill Lane – SPRUCE003"
    taken.mkdir()
    third = ok(cli(*log_args("3 Mill Lane", "Cy Doe")))
    assert (
        "SPRUCE003 is logged, but its folder was not made (a folder (or link) named" in third.stderr
    )
    assert not (taken / CASE_MARKER).exists()
    # stdout never calls it reused: it is not the case's folder.
    assert "(existing folder reused)" not in third.stdout
    assert "Folder: none made (see the warning)" in third.stdout
    letter = one_line(cli("letter", "SPRUCE003", "acknowledgement"))
    assert "has no marker from this log" in letter
    assert contents(taken) == []


def test_a_link_in_the_root_is_never_followed(cli: Any, root: Path, tmp_path: Path) -> None:
    ok(cli(*log_args("5 First Road")))  # the root exists and is this log's
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("another team's file")
    link = root / "1 Essex Brewery – SPRUCE002"
    link.symlink_to(outside, target_is_directory=True)
    logged = ok(cli(*log_args("1 Essex Brewery", "Bo Chen")))
    assert "SPRUCE002 is logged, but its folder was not made" in logged.stderr
    expected = (
        f"complaints: error: '1 Essex Brewery – SPRUCE002' under {str(root)!r} is a link (or a "
        "junction), not SPRUCE002's folder: nothing is written through a link; remove the link "
        "and run complaints folders --check --fix"
    )
    mail = tmp_path / "note.txt"
    mail.write_text("a note")
    for argv in (
        ["letter", "SPRUCE002", "acknowledgement"],
        ["pack", "SPRUCE002"],
        ["file", "SPRUCE002", str(mail)],
    ):
        assert one_line(cli(*argv)) == expected, argv
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    status, problems = check(cli)
    assert status == 1
    assert ("link", "SPRUCE002", "1 Essex Brewery – SPRUCE002") in problems
    # Subject access does not list the outside folder's files.
    out = tmp_path / "sar.json"
    ok(cli("subject-access", "Bo Chen", "--output", str(out)))
    assert "secret.txt" not in out.read_text()


# -- kills: real processes, stopped at a marker ---------------------------------------------


def test_a_log_killed_after_making_its_folder_is_finished_by_fix(
    cli: Any, root: Path, tmp_path: Path
) -> None:
    ok(cli(*log_args("5 First Road")))
    where = f"{root}{os.sep}"
    hit = stopped(
        log_args("1 Essex Brewery", "Bo Chen"),
        where=where,
        points="os.mkdir:after",
        tmp_path=tmp_path,
    )
    assert hit.path == root / "1 Essex Brewery – SPRUCE002"
    assert contents(hit.path) == [] and not (hit.path / CASE_MARKER).exists()
    # The next resident's case never gets it, whatever its name.
    ok(cli(*log_args("1 Essex Brewery", "Cy Doe")))
    assert (root / "1 Essex Brewery – SPRUCE003" / CASE_MARKER).is_file()
    status, problems = check(cli)
    assert (status, problems) == (1, [("not claimed", "SPRUCE002", "1 Essex Brewery – SPRUCE002")])
    fixed = cli("folders", "--check", "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert "Claimed the empty folder '1 Essex Brewery – SPRUCE002' for SPRUCE002" in fixed.stdout
    assert check(cli) == (0, [])
    ok(cli("letter", "SPRUCE002", "acknowledgement"))


def test_a_purge_killed_before_removing_folders_is_finished_by_the_next_purge(
    cli: Any, db_url: str, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2019-03-01")
    for n, address in enumerate(("1 Old Road", "2 Old Road", "3 Old Road"), start=1):
        ok(cli(*log_args(address, f"Person {n}", received="01/02/2019")))
        ok(cli("respond", f"SPRUCE00{n}", "--summary", "Answered", "--date", "11/02/2019"))
        ok(cli("close", f"SPRUCE00{n}", "--date", "01/03/2019"))
    (root / "2 Old Road – SPRUCE002" / "letter.docx").write_bytes(b"Dear Person 2")
    monkeypatch.setenv("COMPLAINTS_TODAY", "2040-01-01")
    hit = stopped(
        ["purge", "--yes"], where=f"{root}{os.sep}", points="os.unlink,os.rmdir", tmp_path=tmp_path
    )
    assert hit.path.parent.parent == root
    # Purged from the log; their folders (personal data) are still there, but listed.
    assert complaints_in(db_url) == []
    left = sorted(p.name for p in contents(root))
    assert len(left) == 3
    from complaints_cli.store.db import RawDatabase

    with RawDatabase(db_url) as db:
        pending = db.execute("SELECT reference, folder FROM folder_removal ORDER BY id").fetchall()
    assert [r for r, _ in pending] == ["SPRUCE001", "SPRUCE002", "SPRUCE003"]
    assert not any("Old Road" in str(f) for _, f in pending)  # no address kept
    status, problems = check(cli)
    assert status == 1
    assert [p[0] for p in problems] == ["purged, not removed"] * 3
    # A second purge (nothing left to purge) removes them.
    again = ok(cli("purge", "--yes"))
    assert "Removed 3 case folder(s) an earlier purge left." in again.stdout
    assert contents(root) == []
    assert check(cli) == (0, [])


def test_folders_fix_finishes_a_killed_purge(
    cli: Any, db_url: str, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2019-03-01")
    for n in (1, 2):
        ok(cli(*log_args(f"{n} Old Road", f"Person {n}", received="01/02/2019")))
        ok(cli("respond", f"SPRUCE00{n}", "--summary", "Answered", "--date", "11/02/2019"))
        ok(cli("close", f"SPRUCE00{n}", "--date", "01/03/2019"))
    monkeypatch.setenv("COMPLAINTS_TODAY", "2040-01-01")
    stopped(["purge", "--yes"], where=f"{root}{os.sep}", points="os.unlink", tmp_path=tmp_path)
    assert len(contents(root)) == 2
    fixed = cli("folders", "--check", "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert "Removed '1 Old Road – SPRUCE001' (purged case SPRUCE001)" in fixed.stdout
    assert contents(root) == []
    assert scalar(db_url, "SELECT COUNT(*) FROM folder_removal") == 0


def test_import_makes_folders_outside_the_write_lock_and_a_kill_is_finished_by_fix(
    cli: Any, db_url: str, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2026-11-30")
    monkeypatch.setenv("COMPLAINTS_BUSY_TIMEOUT", "2")
    with paused(
        ["import", str(SAMPLE), "--create-folders"],
        where=f"{root}{os.sep}",
        points="os.mkdir:after",
        tmp_path=tmp_path,
    ) as held:
        # Held while making its folders: the log is free, and the rows are committed.
        other = subprocess.run(
            [*complaints_cmd(), *log_args("1 Essex Brewery", "Zed Zee")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert other.returncode == 0, other.stderr
        assert len(complaints_in(db_url)) > 5
    assert held.path.parent == root
    assert contents(held.path) == []
    status, problems = check(cli)
    assert status == 1
    kinds = {p[0] for p in problems}
    assert kinds == {"no folder", "not claimed"}
    fixed = cli("folders", "--check", "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert check(cli) == (0, [])
    refs = complaints_in(db_url)
    assert len(contents(root)) == len(refs)
    assert scalar(db_url, "SELECT COUNT(*) FROM complaint WHERE folder IS NULL") == 0


# -- 10. Windows names on a real NTFS volume ------------------------------------------------

HOSTILE = [
    "Flat 1/2, 3 High St",
    "CON",
    'a:b*c?d"e<f>g|h',
    "trailing dots...",
    "  leading and trailing spaces  ",
    "Tab\there",
    "AUX.txt",
    "..",
    "\\\\server\\share",
    "Élodie’s flat, Łódź ø đ æ ß",
    "2 Rue de l’Église " * 20,
    "Flat 3 🏠 upstairs",
]


@pytest.fixture
def ntfs(tmp_path: Path) -> Any:
    """A real NTFS volume mounted with Windows' naming rules (``ntfs-3g -o windows_names``)."""
    for tool in ("ntfs-3g", "mkntfs"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (.ci/run installs ntfs-3g)")
    if os.geteuid() != 0 or not os.path.exists("/dev/fuse"):
        pytest.skip("mounting an NTFS image needs root and /dev/fuse (FUSE is unavailable)")
    image, mount = tmp_path / "ntfs.img", tmp_path / "ntfs"
    with image.open("wb") as fh:
        fh.truncate(16 * 1024 * 1024)
    subprocess.run(["mkntfs", "-F", "-q", "-Q", str(image)], check=True, capture_output=True)
    mount.mkdir()
    done = subprocess.run(
        ["ntfs-3g", "-o", "windows_names", str(image), str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"ntfs-3g could not mount the image: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False, capture_output=True)


def test_hostile_addresses_make_valid_folders_on_a_real_ntfs_volume(
    cli: Any, ntfs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = ntfs / "Complaints"
    monkeypatch.setenv("COMPLAINTS_ROOT", str(root))
    # The volume refuses what Windows refuses: the test would see it.
    with pytest.raises(OSError):
        (ntfs / "a:b").mkdir()
    for n, address in enumerate(HOSTILE, start=1):
        result = cli(*log_args(address, f"Person {n}"))
        assert result.exit_code == 0, (address, result.output)
        assert "warning" not in result.stderr, (address, result.stderr)
    folders = contents(root)
    assert len(folders) == len(HOSTILE)
    for folder in folders:
        assert folder.parent == root and folder.is_dir()
        assert (folder / CASE_MARKER).is_file()
    assert check(cli) == (0, [])
    for n in range(1, len(HOSTILE) + 1):
        ok(cli("letter", f"SPRUCE{n:03d}", "acknowledgement"))
