"""Looking after the database file: integrity checks, consistent backups, where it lives.

SQLite's own documentation warns against several machines writing one database file over a
network share; :func:`network_location` lets the CLI say so when the log is on one, and
recommend PostgreSQL for a team.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from complaints_cli.errors import ComplaintsError
from complaints_cli.store.db import RawDatabase

#: Linux file-system types that are network shares.
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph"}


def integrity_problems(db: RawDatabase) -> list[str]:
    """Problems SQLite's ``integrity_check`` and ``foreign_key_check`` find; ``[]`` when sound.

    On PostgreSQL the server keeps its own integrity; the check confirms the tables answer and
    that every history entry and action belongs to a case.
    """
    problems: list[str] = []
    if db.dialect == "sqlite":
        result = [r for r in db.column("PRAGMA integrity_check") if r != "ok"]
        problems += result
        for row in db.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"table {row[0]} row {row[1]} refers to a missing {row[2]}")
    else:
        for table in ("history", "action"):
            orphans = db.scalar(
                f"SELECT count(*) FROM {table} t LEFT JOIN complaint c ON c.id = t.complaint_id "
                "WHERE c.id IS NULL"
            )
            if orphans:
                problems.append(f"{orphans} {table} row(s) refer to a missing case")
    refs = db.scalar("SELECT count(*) - count(DISTINCT reference) FROM complaint")
    if refs:
        problems.append(f"{refs} duplicate reference(s)")
    return problems


def backup_target(db: RawDatabase, target: Path, *, force: bool) -> Path:
    """Where ``db backup`` may write: ``target`` resolved. Raises :class:`ComplaintsError` for
    a PostgreSQL log (backed up on the server), the log itself, an existing file without
    ``force``, or a folder that does not exist."""
    if db.dialect != "sqlite":
        raise ComplaintsError(
            "backups of a PostgreSQL log are taken on the server: pg_dump --format=custom "
            "--file=complaints.dump DBNAME (restore with pg_restore)"
        )
    target = target.expanduser().resolve()
    if db.path is not None and target == db.path.resolve():
        raise ComplaintsError("the backup must not be the database itself")
    if target.exists() and not force:
        raise ComplaintsError(f"{str(target)!r} exists: choose another name or give --force")
    if not target.parent.is_dir():
        raise ComplaintsError(f"the folder {str(target.parent)!r} does not exist")
    return target


def backup_into(db: RawDatabase, path: Path) -> int:
    """Copy the SQLite log into the (empty) file at ``path`` consistently while others keep
    working, and check the copy; returns its case count.

    SQLite's online backup: pages copied under a read lock, retried if a writer gets in. The
    copy keeps no journal while it is written (``journal_mode = OFF``): the caller writes
    ``path`` as a temporary file and moves it into place only once it is checked
    (:func:`complaints_cli.files.safe_save.save_through_path`), so a kill leaves no
    ``-journal`` file beside it. Raises :class:`ComplaintsError` when the copy fails its
    integrity check or cannot be written.
    """
    import sqlite3

    try:
        dest = sqlite3.connect(path)
        try:
            dest.execute("PRAGMA journal_mode = OFF")
            db._conn.backup(dest, pages=256, sleep=0.05)
            ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
            cases = int(dest.execute("SELECT count(*) FROM complaint").fetchone()[0])
        finally:
            dest.close()
    except sqlite3.Error as exc:
        raise ComplaintsError(f"backup failed: {exc}") from None
    if ok != "ok":
        raise ComplaintsError(f"the backup failed its integrity check ({ok}); nothing kept")
    return cases


def network_location(path: Path) -> str | None:
    """Why ``path`` is on a network share (``"UNC path"``, ``"mapped network drive Y:"``,
    ``"nfs mount"``), or ``None`` for a local disk or when it cannot be told."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return "UNC path"
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
            return f"mapped network drive {drive}" if kind == 4 else None  # DRIVE_REMOTE
        return None
    return _mount_type(path)


def _mount_type(path: Path, mounts: str = "/proc/mounts") -> str | None:
    try:
        lines = Path(mounts).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    best, kind = "", ""
    target = str(path.resolve())
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, parts[2]
    return f"{kind} network mount" if kind in _NETWORK_FS else None
