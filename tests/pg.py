"""A real PostgreSQL server for the tests, started from the installed binaries.

The server runs from a temporary folder on a free loopback port for the whole test session.
When the binaries are missing, tests that need it are skipped with a message naming what to
install. As root (CI), the server runs as the ``postgres`` OS user, since ``initdb`` refuses
to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

INSTALL_HINT = (
    "PostgreSQL server binaries not found: install them (Debian: apt-get install postgresql) "
    "or set COMPLAINTS_PG_BINDIR to the folder holding initdb and pg_ctl"
)


def find_bindir() -> Path | None:
    explicit = os.environ.get("COMPLAINTS_PG_BINDIR")
    candidates = [explicit] if explicit else []
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(os.path.realpath(found)).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="complaints-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]
        self._counter = 0
        self._template = False

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
        )
        opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} -c fsync=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.base / "log"),
            "-w",
            "start",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_log(self) -> str:
        """A new database holding an empty log (copied from a template made once)."""
        import psycopg

        from complaints_cli.store.db import RawDatabase

        admin = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        if not self._template:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute('CREATE DATABASE "log_template"')
            RawDatabase(self.url("log_template"), create=True).close()
            self._template = True
        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "log_template"')
        return self.url(name)

    def new_database(self) -> str:
        """A new, empty database (no log in it)."""
        import psycopg

        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}"
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
