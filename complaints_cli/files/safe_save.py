"""The one safe save: every file the tool writes appears whole, in one step, or not at all.

Handlers open the tool's files from a shared drive while it writes them, and a command can be
killed or run out of disk at any moment. So every file is written the same way:

1. a temporary file in the target's own folder (a rename across folders or drives is not one
   step), named ``.~<name>.<8 random>.tmp`` so nobody mistakes it for the real thing (Word
   and Explorer treat ``~`` names as working files), created new (``O_EXCL``, never through
   a link) and readable by its owner only (``0600``), locked while it is written (POSIX:
   ``flock``; Windows: the open handle, without delete sharing), filled, flushed to disk
   (``fsync``) and, where given, checked (an xlsx's zip CRCs);
2. then given its name in one step:

   * :func:`save_atomically` (exports, reports, the feed, digests, subject-access answers) and
     :func:`save_through_path` (``db backup``, whose writer needs a path) replace the target
     only with ``force``. When the target is locked (open in Excel on Windows: the rename is
     refused), or an office program's lock file beside it says it is open (``~$NAME.xlsx``,
     ``.~lock.NAME#``), the old file is left as it was and the new one is saved beside it as
     ``NAME (2).xlsx``, and the caller says so.
   * :func:`save_new` (letters, packs, filed correspondence and drafts in a case folder, which
     are evidence) never replaces anything: the name is claimed with a hard link (which fails
     if it exists), trying ``NAME (2).docx``, ``NAME (3).docx``, ... The case folder itself is
     opened without following a link (POSIX: ``O_NOFOLLOW`` and every step relative to that
     descriptor; Windows: a reparse point, such as a junction, is refused), so a folder
     swapped for a link cannot send the file elsewhere.

A kill (``kill -9``, a power cut) between 1 and 2 leaves only the locked-then-abandoned
temporary file. Each save first removes the temporary files of earlier saves in the same
folder whose writer is gone (POSIX: the lock can be taken; Windows: the file is over a
minute old and nobody has it open), and only there: never outside the target's folder, never
a file that does not have the temporary name, never through a link. A failure removes the
temporary file and says what was (not) written; the target is never half-written. New files
get the usual permissions (the umask), not the temporary file's 0600.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from complaints_cli.errors import ComplaintsError

__all__ = [
    "MAX_COPIES",
    "Saved",
    "current_umask",
    "is_link",
    "is_temporary_name",
    "save_atomically",
    "save_new",
    "save_once",
    "save_through_path",
    "sweep_temporary",
]

#: How many numbered names to try beside a taken one.
MAX_COPIES = 999
#: The temporary files this module makes: ``.~<up to 40 characters>.<8 random>.tmp``. The
#: random part also matches the names earlier versions made (``tempfile.mkstemp``).
_TEMP_NAME = re.compile(r"\A\.~.*\.[A-Za-z0-9_]{8}\.tmp\Z", re.DOTALL)
#: Characters of the target's name kept in a temporary name (file names have a length limit).
_STEM_ROOM = 40
#: Windows has no lock to ask: a temporary file younger than this may still be written.
_WINDOWS_STALE_SECONDS = 60.0
#: Elsewhere too, a temporary file younger than this is a save in progress (made, not yet
#: locked), never a killed one's.
_YOUNG_SECONDS = 2.0

_WINDOWS = sys.platform == "win32"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0)
_BINARY = getattr(os, "O_BINARY", 0)
#: Every step relative to an open folder (POSIX).
_DIR_FD = (
    {os.open, os.link, os.rename, os.unlink, os.stat} <= os.supports_dir_fd
    and os.scandir in os.supports_fd
    and hasattr(os, "O_DIRECTORY")
)
_REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: junctions, mount points, symlinks


@dataclass(frozen=True)
class Saved:
    path: Path  #: where the file is
    locked: bool  #: the target was locked, so ``path`` is another name beside it
    #: the lock was the target's own read-only attribute (Windows refuses to replace a
    #: read-only file, as it does one Excel has open), not another program
    read_only: bool = False

    def left_unchanged(self, target: Path, what: str) -> str:
        """The one warning when ``target`` was locked and ``what`` (``export``, ``backup``,
        ...) went to :attr:`path` instead, naming why: open in another program, or read-only
        (and how to replace it then)."""
        if self.read_only:
            return (
                f"{target} is read-only, so it was left unchanged; the {what} was saved as "
                f"{self.path} instead (clear the file's read-only attribute to replace it)"
            )
        return (
            f"{target} is open in another program, so it was left unchanged; the {what} was "
            f"saved as {self.path} instead"
        )


def current_umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_link(info: os.stat_result) -> bool:
    """Whether an ``lstat`` result is a link of any kind: a symbolic link, or on Windows any
    reparse point (a junction, a mount point, an OneDrive placeholder). Such an entry is
    never followed, written through or listed by the tool."""
    if stat.S_ISLNK(info.st_mode):
        return True
    return bool(getattr(info, "st_file_attributes", 0) & _REPARSE_POINT)


def is_temporary_name(name: str) -> bool:
    """Whether ``name`` is one of this module's temporary files (``.~x.ab12cd34.tmp``)."""
    return bool(_TEMP_NAME.match(name))


class _Folder:
    """The folder a save works in: by path, or (``no_follow`` on POSIX) by a descriptor
    opened without following a link, every later step relative to it."""

    def __init__(self, path: Path, *, no_follow: bool) -> None:
        self.path = path
        self.fd: int | None = None
        if not no_follow:
            return
        if _DIR_FD:
            try:
                self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC)
            except OSError as exc:
                raise ComplaintsError(_not_a_folder(path, exc)) from None
            return
        try:
            info = os.lstat(path)
        except OSError as exc:
            raise ComplaintsError(_not_a_folder(path, exc)) from None
        if is_link(info) or not stat.S_ISDIR(info.st_mode):
            raise ComplaintsError(_not_a_folder(path, None))

    def arg(self, name: str) -> str:
        return name if self.fd is not None else str(self.path / name)

    @property
    def kw(self) -> dict[str, Any]:
        return {"dir_fd": self.fd} if self.fd is not None else {}

    def exists(self, name: str) -> bool:
        try:
            os.stat(self.arg(name), follow_symlinks=False, **self.kw)
        except FileNotFoundError:
            return False
        return True

    def unlink(self, name: str) -> None:
        with suppress(FileNotFoundError):
            os.unlink(self.arg(name), **self.kw)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _not_a_folder(path: Path, exc: OSError | None) -> str:
    import errno

    if exc is not None and exc.errno == errno.ENOENT:
        return f"the folder {str(path)!r} does not exist"
    return (
        f"{str(path)!r} is a link (or a junction) or not a folder: nothing is written through "
        "a link (run complaints folders --check)"
    )


def _lock(fd: int) -> bool:
    """Take the writer's lock on an open temporary file; ``False`` when another holds it."""
    if _WINDOWS:
        return True  # the open handle itself keeps others from deleting the file
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return True  # a file system without locks: only this writer's own name is at stake
    return True


def _create_temporary(folder: _Folder, stem: str) -> tuple[str, int]:
    """A new, locked, empty temporary file in ``folder``: (its name, its descriptor)."""
    short = stem[:_STEM_ROOM]
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY
    for _ in range(100):
        name = f".~{short}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(folder.arg(name), flags, 0o600, **folder.kw)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ComplaintsError(
                f"cannot write in {str(folder.path)!r}: {exc.strerror or exc}"
            ) from None
        _lock(fd)
        return name, fd
    raise ComplaintsError(f"cannot make a temporary file in {str(folder.path)!r}")


def _stale(folder: _Folder, name: str) -> int | None:
    """An open descriptor of a temporary file nobody is writing (its lock taken), else None."""
    try:
        fd = os.open(folder.arg(name), os.O_RDONLY | _NOFOLLOW | _CLOEXEC, **folder.kw)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            return None
        if _WINDOWS:
            os.close(fd)  # Windows: deleting it fails while its writer has it open
            return -1 if time.time() - info.st_mtime > _WINDOWS_STALE_SECONDS else None
        # A file made this instant may not be locked by its writer yet (it is created, then
        # locked): only one old enough to be a killed save's is taken. Before this, 8 handlers
        # starting on a new root removed each other's markers half-made (tests/store/
        # test_concurrency.py, PostgreSQL, 1 run in 3).
        if time.time() - info.st_mtime < _YOUNG_SECONDS:
            os.close(fd)
            return None
        if _lock(fd):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def sweep_temporary(folder: Path, *, no_follow: bool = False) -> list[str]:
    """Remove the temporary files that killed saves left in ``folder`` (see the module notes);
    returns their names. Only this folder, only temporary names, only regular files, only
    those nobody is writing; a file that cannot be removed is left. Never raises."""
    try:
        where = _Folder(folder, no_follow=no_follow)
    except ComplaintsError:
        return []
    try:
        return _sweep(where)
    finally:
        where.close()


def _sweep(folder: _Folder) -> list[str]:
    removed: list[str] = []
    try:
        with os.scandir(folder.fd if folder.fd is not None else folder.path) as entries:
            names = [e.name for e in entries if is_temporary_name(e.name)]
    except OSError:
        return removed
    for name in names:
        fd = _stale(folder, name)
        if fd is None:
            continue
        try:
            folder.unlink(name)
            removed.append(name)
        except OSError:
            pass
        finally:
            if fd >= 0:
                os.close(fd)
    return removed


class _Temporary:
    """A temporary file being written: its folder, name and (locked) descriptor."""

    def __init__(self, folder: _Folder, stem: str) -> None:
        self.folder = folder
        _sweep(folder)
        self.name, self.fd = _create_temporary(folder, stem)
        self.done = False

    @property
    def path(self) -> Path:
        return self.folder.path / self.name

    def fill(self, write: Callable[[IO[bytes]], None], mode: int) -> None:
        with os.fdopen(self.fd, "wb", closefd=False) as fh:
            write(fh)
            fh.flush()
            os.fsync(self.fd)
        self.set_mode(mode)

    def set_mode(self, mode: int) -> None:
        if hasattr(os, "fchmod"):
            os.fchmod(self.fd, mode)
        else:  # pragma: no cover - Windows keeps only the read-only bit
            os.chmod(self.path, mode)

    def release(self) -> None:
        """Close the descriptor (Windows cannot rename a file it has open)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def close(self) -> None:
        try:
            if not self.done:
                self.folder.unlink(self.name)
        finally:
            self.release()


@contextmanager
def _temporary(folder: _Folder, stem: str) -> Iterator[_Temporary]:
    tmp = _Temporary(folder, stem)
    try:
        yield tmp
    finally:
        tmp.close()


def _free_name(target: Path) -> Path:
    for n in range(2, MAX_COPIES + 1):
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        if not candidate.exists():
            return candidate
    raise ComplaintsError(f"cannot find a free name beside {str(target)!r}")


def _claim(folder: _Folder, tmp: str, target: str) -> bool:
    """Give the temporary file ``tmp`` the name ``target`` in ``folder`` unless it is taken
    (``False``)."""
    fd = folder.fd
    try:
        os.link(folder.arg(tmp), folder.arg(target), src_dir_fd=fd, dst_dir_fd=fd)
    except FileExistsError:
        return False
    except FileNotFoundError:
        raise  # the temporary file is gone: never reserve the name with nothing to fill it
    except OSError:
        # No hard links here (some network shares): reserve the name, then fill it.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        try:
            new = os.open(folder.arg(target), flags, 0o666, **folder.kw)
        except FileExistsError:
            return False
        os.close(new)
        os.replace(folder.arg(tmp), folder.arg(target), src_dir_fd=fd, dst_dir_fd=fd)
        return True
    folder.unlink(tmp)
    return True


def _check_target(target: Path, force: bool) -> bool:
    """Refuse a target that cannot be written; whether it exists."""
    if target.is_dir():
        raise ComplaintsError(f"{str(target)!r} is a folder: give a file name")
    if not target.parent.is_dir():
        raise ComplaintsError(f"the folder {str(target.parent)!r} does not exist")
    existed = target.exists()
    if existed and not force:
        raise ComplaintsError(f"{str(target)!r} already exists: use --force to replace it")
    return existed


def _open_in_office(target: Path) -> bool:
    """Whether an office program says it has ``target`` open: Excel's owner file
    (``~$NAME.xlsx``) or LibreOffice's lock file (``.~lock.NAME#``) beside it. Only Windows
    refuses to replace a file Excel holds open; from another computer on the share, or from a
    Mac or Linux, the rename would succeed and Excel would later save its old copy over it."""
    return any(
        os.path.lexists(target.with_name(name))
        for name in (f"~${target.name}", f".~lock.{target.name}#")
    )


def _put_in_place(tmp: _Temporary, target: Path) -> Saved:
    """Replace ``target`` with the finished temporary file (a locked target, or one an office
    program has open: a free name)."""
    if _WINDOWS:
        tmp.release()
    try:
        if _open_in_office(target):
            raise PermissionError(13, "open in an office program", str(target))
        os.replace(tmp.path, target)
        tmp.done = True
        return Saved(target, locked=False)
    except PermissionError:
        # Read-only, not open elsewhere: the attribute on Windows (os.access reads it there),
        # an immutable file on Linux; an office program's lock file beside it says "open".
        read_only = not _open_in_office(target) and not os.access(target, os.W_OK)
        for _ in range(5):
            other = _free_name(target)
            if _claim(tmp.folder, tmp.name, other.name):
                tmp.done = True
                return Saved(other, locked=True, read_only=read_only)
        raise


def _save(
    target: Path,
    fill: Callable[[_Temporary, int], None],
    *,
    force: bool,
    check: Callable[[Path], None] | None,
) -> Saved:
    target = Path(target)
    existed = _check_target(target, force)
    folder = _Folder(target.parent, no_follow=False)
    with _temporary(folder, target.stem) as tmp:
        try:
            mode = target.stat().st_mode & 0o777 if existed else 0o666 & ~current_umask()
            fill(tmp, mode)
            if check is not None:
                check(tmp.path)
            return _put_in_place(tmp, target)
        except OSError as exc:
            raise ComplaintsError(
                f"cannot write {str(target)!r}: {exc.strerror or exc}; "
                + ("the existing file is unchanged" if existed else "nothing was written")
            ) from None


def save_atomically(
    target: Path,
    write: Callable[[IO[bytes]], None],
    *,
    force: bool,
    check: Callable[[Path], None] | None = None,
) -> Saved:
    """Write ``target`` in one step (see the module notes); an existing target only with
    ``force``. ``write(stream)`` fills the temporary file; ``check(path)`` may read it back
    and raise. Returns where it went. Raises :class:`ComplaintsError` (nothing written, or
    the old file unchanged)."""
    return _save(target, lambda tmp, mode: tmp.fill(write, mode), force=force, check=check)


def save_through_path(
    target: Path,
    fill: Callable[[Path], None],
    *,
    force: bool,
    check: Callable[[Path], None] | None = None,
) -> Saved:
    """:func:`save_atomically` for a writer that needs a path (SQLite's online backup):
    ``fill(path)`` writes the locked temporary file at ``path`` through its own handle."""

    def through(tmp: _Temporary, mode: int) -> None:
        fill(tmp.path)
        with open(tmp.path, "rb+") as fh:
            os.fsync(fh.fileno())
        tmp.set_mode(mode)

    return _save(target, through, force=force, check=check)


def _save_under(folder: Path, stem: str, data: bytes, names: Iterable[str]) -> str | None:
    """Write ``data`` to a temporary file in ``folder`` (a real folder, opened without following
    a link) and give it the first of ``names`` that is free; ``None`` when none was."""
    where = _Folder(Path(folder), no_follow=True)
    try:

        def write(stream: IO[bytes]) -> None:
            stream.write(data)

        with _temporary(where, stem) as tmp:
            tmp.fill(write, 0o666 & ~current_umask())
            if _WINDOWS:
                tmp.release()
            for name in names:
                if not where.exists(name) and _claim(where, tmp.name, name):
                    tmp.done = True
                    return name
            return None
    finally:
        where.close()


def save_new(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Save ``data`` as ``folder/stem+suffix``, or ``stem (2)+suffix``, ... never replacing a
    file, never through a link (``folder`` itself must be a real folder); return where it
    went. Raises :class:`ComplaintsError` (nothing written)."""
    names = (
        f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}" for n in range(1, MAX_COPIES + 1)
    )
    try:
        name = _save_under(folder, stem, data, names)
    except OSError as exc:
        raise ComplaintsError(
            f"cannot write {stem}{suffix} in {str(folder)!r}: {exc.strerror or exc}; "
            "nothing was written"
        ) from None
    if name is None:
        raise ComplaintsError(f"cannot find a free name for {stem}{suffix} in {str(folder)!r}")
    return Path(folder) / name


def save_once(folder: Path, name: str, data: bytes) -> bool:
    """Save ``data`` as ``folder/name`` unless that name is taken (``False``), in one step and
    never through a link: the markers that claim a root or a case folder (two handlers
    claiming at once: one wins, the other reads the winner's). Raises
    :class:`ComplaintsError` when it cannot be written (nothing is left)."""
    try:
        return _save_under(folder, name, data, [name]) is not None
    except OSError as exc:
        raise ComplaintsError(
            f"cannot write {name} in {str(folder)!r}: {exc.strerror or exc}"
        ) from None
