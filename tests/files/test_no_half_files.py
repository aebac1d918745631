"""No half files (issue 16, item 4): a command killed while it saves leaves nothing a user can
mistake for data, and the next run of the same command cleans up what it left, in the target's
own folder and nowhere else.

Each test kills a real process (``tests/kill.py``) once its temporary file is written and
flushed (``os.fsync``) or about to be moved into place (``os.replace``), so the temporary
file holds the whole answer (personal data); then runs the command again.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LOG_ARGS
from tests.kill import leftovers, stopped

TODAY = "2025-02-20"


@pytest.fixture
def logged(cli: Any, monkeypatch: pytest.MonkeyPatch, root: Path) -> Path:
    """One case, SPRUCE001, acknowledged; today is 20/02/2025. Returns its folder."""
    monkeypatch.setenv("COMPLAINTS_TODAY", TODAY)
    assert cli("log", "--no-input", *LOG_ARGS).exit_code == 0
    ack = cli("acknowledge", "SPRUCE001", "--date", "04/02/2025", "--summary", "Damp")
    assert ack.exit_code == 0, ack.output
    (folder,) = [p for p in root.iterdir() if p.is_dir()]
    return folder


def _out(tmp_path: Path) -> Path:
    out = tmp_path / "Reports"
    out.mkdir()
    (out / "keep.txt").write_text("a user's own file")
    return out


# (command and arguments, where the file goes: "out" or "case"), {out} filled in.
SAVES = {
    "export": (["export", "{out}/log.xlsx"], "out"),
    "export csv": (["export", "{out}/log.csv"], "out"),
    "report --output": (
        ["report", "emt", "--month", "2025-02", "--output", "{out}/emt.xlsx"],
        "out",
    ),
    "db backup": (["db", "backup", "{out}/backup.db"], "out"),
    "feed": (["feed", "--output", "{out}/due.ics"], "out"),
    "digest": (["digest", "--output", "{out}/week.eml"], "out"),
    "subject-access": (["subject-access", "Ann Lee", "--output", "{out}/sar.md"], "out"),
    "letter": (["letter", "SPRUCE001", "acknowledgement"], "case"),
    "pack": (["pack", "SPRUCE001"], "case"),
}


@pytest.mark.parametrize("what", list(SAVES))
def test_a_save_killed_half_way_leaves_nothing_the_next_run_does_not_clean(
    what: str, cli: Any, logged: Path, tmp_path: Path
) -> None:
    template, kind = SAVES[what]
    out = _out(tmp_path)
    args = [a.format(out=out) for a in template]
    folder = out if kind == "out" else logged
    before = set(os.listdir(folder))

    killed = stopped(args, where=folder, points="os.fsync,os.replace", tmp_path=tmp_path)
    # Killed with the whole file written under its temporary name: the state a kill leaves.
    assert killed.path.parent == folder, killed
    left = leftovers(folder)
    assert left == [killed.path.name], left
    assert killed.path.name.startswith(".~") and killed.path.name.endswith(".tmp")
    assert set(os.listdir(folder)) - before == {killed.path.name}  # nothing under a real name

    # The next run of the same command removes it, and writes its file whole (a temporary
    # file younger than 2 s is a save in progress: the killed one is made older here).
    _age(killed.path)
    again = cli(*args)
    assert again.exit_code == 0, again.output
    assert leftovers(folder) == []
    made = set(os.listdir(folder)) - before
    assert len(made) == 1, made
    assert (out / "keep.txt").read_text() == "a user's own file"


def test_a_temporary_file_being_written_by_another_run_is_left_alone(
    cli: Any, logged: Path, tmp_path: Path
) -> None:
    """Two handlers export into one folder at once: the second never removes the first's
    temporary file while the first is still writing it (it holds the lock)."""
    import fcntl

    out = _out(tmp_path)
    busy = out / ".~log.0123abcd.tmp"
    fd = os.open(busy, os.O_WRONLY | os.O_CREAT, 0o600)
    _age(busy)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert cli("export", str(out / "other.xlsx")).exit_code == 0
        assert busy.exists()
    finally:
        os.close(fd)
    assert cli("export", str(out / "third.xlsx")).exit_code == 0
    assert not busy.exists()


def test_a_temporary_file_just_made_is_left_alone_even_before_its_lock(
    cli: Any, logged: Path, tmp_path: Path
) -> None:
    """A save makes its temporary file, then locks it: in between, another handler's save
    must not take it for a killed one's (8 handlers starting on a new root removed each
    other's markers half-made)."""
    out = _out(tmp_path)
    young = out / ".~log.89abcdef.tmp"
    young.write_bytes(b"")  # made this instant, not locked yet
    assert cli("export", str(out / "other.xlsx")).exit_code == 0
    assert young.exists()
    _age(young)
    assert cli("export", str(out / "third.xlsx")).exit_code == 0
    assert not young.exists()


def _age(path: Path, seconds: float = 10.0) -> None:
    """Make a file look ``seconds`` old."""
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_only_the_target_folder_and_only_temporary_names_are_cleaned(
    cli: Any, logged: Path, tmp_path: Path
) -> None:
    out = _out(tmp_path)
    inner = out / "Sub"
    inner.mkdir()
    stale_inside = inner / ".~log.0123abcd.tmp"
    stale_inside.write_text("in a sub-folder: not the target's folder")
    lookalikes = [
        ".~lock.log.xlsx#",
        "~$log.xlsx",
        ".log.xlsx.tmp",
        ".~log.tmp",
        "log.0123abcd.tmp",
    ]
    for name in lookalikes:
        (out / name).write_text("not the tool's temporary file")
    elsewhere = tmp_path / "Elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".~log.0123abcd.tmp").write_text("another folder's")
    os.symlink(elsewhere / ".~log.0123abcd.tmp", out / ".~log.4567cdef.tmp")
    assert cli("export", str(out / "log.xlsx")).exit_code == 0
    assert stale_inside.exists()
    assert all((out / name).exists() for name in lookalikes)
    assert (elsewhere / ".~log.0123abcd.tmp").exists()  # a link is not followed ...
    assert (out / ".~log.4567cdef.tmp").is_symlink()  # ... nor removed (not a regular file)
