"""Killing a real ``complaints`` process at a chosen moment, found by a marker, never a sleep.

:func:`stopped` runs the command as a separate process (the interpreter of
:func:`tests.conftest.complaints_cmd`, with the CLI's ``main``) in which one standard-library
function (``os.fsync``, ``os.replace``, ``os.mkdir``, ``shutil.rmtree``, ...) is wrapped: the
first call whose path contains ``where`` writes the marker file (naming that path) and then
blocks, before or after doing its work. The test waits for the marker, kills the process
with SIGKILL and looks at what was left: the state a power cut or ``kill -9`` at that moment
leaves, every time, on any machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import complaints_cmd

STOPPER = r"""
import os, shutil, sys, time

marker, where, points, *args = sys.argv[1:]


def named(value):
    if isinstance(value, int):  # a descriptor: its path
        try:
            return os.readlink(f"/proc/self/fd/{value}")
        except OSError:
            return ""
    if isinstance(value, (str, bytes, os.PathLike)):
        return os.fsdecode(value)
    return ""


def stopping(real, after):
    def wrapper(*a, **k):
        path = named(a[0]) if a else ""
        hit = where in path
        if hit and after:
            result = real(*a, **k)
        if hit:
            with open(marker + ".part", "w") as fh:
                fh.write(path)
            os.replace(marker + ".part", marker)
            time.sleep(600)
        return real(*a, **k)
    return wrapper


for point in points.split(","):
    name, _, when = point.partition(":")
    module, attr = name.rsplit(".", 1)
    owner = {"os": os, "shutil": shutil}[module]
    setattr(owner, attr, stopping(getattr(owner, attr), when == "after"))

from complaints_cli.cli.app import main

sys.argv = ["complaints", *args]
main()
"""


@dataclass(frozen=True)
class Stopped:
    #: The path the wrapped function was called with when the process was killed.
    path: Path
    stderr: str


def stopped(
    args: list[str], *, where: Path | str, points: str, tmp_path: Path, timeout: float = 90
) -> Stopped:
    """Run ``complaints ARGS`` until a function in ``points`` (``"os.fsync,os.replace"``;
    ``"os.mkdir:after"`` stops once it has made the folder) is called on a path containing
    ``where``; kill it there with SIGKILL. Fails when the point is never reached."""
    with paused(args, where=where, points=points, tmp_path=tmp_path, timeout=timeout) as found:
        pass
    return Stopped(found.path, found.stderr)


class Paused:
    """A process held at a point (see :func:`paused`); ``stderr`` is filled once killed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stderr = ""


@contextmanager
def paused(
    args: list[str], *, where: Path | str, points: str, tmp_path: Path, timeout: float = 90
) -> Iterator[Paused]:
    """As :func:`stopped`, but the test runs its body while the process is held at the point
    (another handler's command, say), and the process is killed with SIGKILL on leaving."""
    marker = tmp_path / f"stopped-{time.monotonic_ns()}"
    python, *module = complaints_cmd()
    assert module == ["-m", "complaints_cli"]
    proc = subprocess.Popen(
        [python, "-c", STOPPER, str(marker), str(where), points, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not marker.exists():
            if proc.poll() is not None:
                raise AssertionError(
                    f"complaints {' '.join(args)} ended ({proc.returncode}) before {points} on "
                    f"{where}: {proc.stderr.read() if proc.stderr else ''}"
                )
            assert time.monotonic() < deadline, f"{points} on {where} was never reached"
            time.sleep(0.005)
        held = Paused(Path(marker.read_text()))
        yield held
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    held.stderr = err


def leftovers(folder: Path) -> list[str]:
    """Names in ``folder`` a user could mistake for data: the temporary files of a save."""
    return sorted(n for n in os.listdir(folder) if n.startswith(".~") or n.endswith(".tmp"))
