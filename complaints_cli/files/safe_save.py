"""The one safe save: every file the tool writes appears whole, in one step, or not at all.

Handlers open the tool's files from a shared drive while it writes them, and a command can be
killed or run out of disk at any moment. So every file is written the same way:

1. a temporary file in the target's own folder (a rename across folders or drives is not one
   step), named ``.~<name>.<random>.tmp`` so nobody mistakes it for the real thing, filled,
   flushed to disk (``fsync``) and, where given, checked (an xlsx's zip CRCs);
2. then given its name in one step:

   * :func:`save_atomically` (exports, reports, backups, subject-access answers) replaces the
     target only with ``force``. When the target is locked (open in Excel on Windows: the
     rename is refused) the old file is left as it was and the new one is saved beside it as
     ``NAME (2).xlsx``, and the caller says so.
   * :func:`save_new` (letters and packs in a case folder, which are evidence) never replaces
     anything: the name is claimed with a hard link (which fails if it exists), trying
     ``NAME (2).docx``, ``NAME (3).docx``, ...

A failure removes the temporary file and says what was (not) written; the target is never
half-written. New files get the usual permissions (the umask), not the temporary file's 0600.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from complaints_cli.errors import ComplaintsError

__all__ = ["MAX_COPIES", "Saved", "current_umask", "save_atomically", "save_new"]

#: How many numbered names to try beside a taken one.
MAX_COPIES = 999


@dataclass(frozen=True)
class Saved:
    path: Path  #: where the file is
    locked: bool  #: the target was locked, so ``path`` is another name beside it


def current_umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _temporary(folder: Path, stem: str) -> Iterator[Path]:
    """A temporary file in ``folder``; removed on the way out unless it was renamed away."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".~{stem}.", suffix=".tmp")
    except OSError as exc:
        raise ComplaintsError(f"cannot write in {str(folder)!r}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        if tmp.exists():
            tmp.unlink()


def _fill(tmp: Path, write: Callable[[IO[bytes]], None], mode: int) -> None:
    with open(tmp, "wb") as fh:
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, mode)


def _free_name(target: Path) -> Path:
    for n in range(2, MAX_COPIES + 1):
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        if not candidate.exists():
            return candidate
    raise ComplaintsError(f"cannot find a free name beside {str(target)!r}")


def _claim(tmp: Path, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` unless it is taken; ``False`` when it is."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError:
        # No hard links here (some network shares): reserve the name, then fill it.
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            return False
        os.close(fd)
        os.replace(tmp, target)
        return True
    tmp.unlink()
    return True


def save_atomically(
    target: Path,
    write: Callable[[IO[bytes]], None],
    *,
    force: bool,
    check: Callable[[Path], None] | None = None,
) -> Saved:
    """Write ``target`` in one step (see the module notes); an existing target only with
    ``force``. Raises :class:`ComplaintsError` (nothing written, or the old file unchanged)."""
    target = Path(target)
    if target.is_dir():
        raise ComplaintsError(f"{str(target)!r} is a folder: give a file name")
    if not target.parent.is_dir():
        raise ComplaintsError(f"the folder {str(target.parent)!r} does not exist")
    existed = target.exists()
    if existed and not force:
        raise ComplaintsError(f"{str(target)!r} already exists: use --force to replace it")
    with _temporary(target.parent, target.stem) as tmp:
        try:
            mode = target.stat().st_mode & 0o777 if existed else 0o666 & ~current_umask()
            _fill(tmp, write, mode)
            if check is not None:
                check(tmp)
            try:
                os.replace(tmp, target)
                return Saved(target, locked=False)
            except PermissionError:
                for _ in range(5):
                    other = _free_name(target)
                    if _claim(tmp, other):
                        return Saved(other, locked=True)
                raise
        except OSError as exc:
            raise ComplaintsError(
                f"cannot write {str(target)!r}: {exc.strerror or exc}; "
                + ("the existing file is unchanged" if existed else "nothing was written")
            ) from None


def save_new(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Save ``data`` as ``folder/stem+suffix``, or ``stem (2)+suffix``, ... never replacing a
    file; return where it went."""
    if not folder.is_dir():
        raise ComplaintsError(f"the folder {str(folder)!r} does not exist")

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    with _temporary(folder, stem) as tmp:
        try:
            _fill(tmp, write, 0o666 & ~current_umask())
            for n in range(1, MAX_COPIES + 1):
                target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}")
                if not target.exists() and _claim(tmp, target):
                    return target
        except OSError as exc:
            raise ComplaintsError(
                f"cannot write {stem}{suffix} in {str(folder)!r}: {exc.strerror or exc}; "
                "nothing was written"
            ) from None
    raise ComplaintsError(f"cannot find a free name for {stem}{suffix} in {str(folder)!r}")
