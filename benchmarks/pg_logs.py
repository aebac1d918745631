"""A PostgreSQL server for a benchmark run, and a generated log copied into it.

The server is the one the tests start (``tests/pg.py``: a throwaway cluster on a free local
port, ``fsync`` off); the copy is made by ``complaints db copy``, as a team moving its log
to a server would make it. Used by ``run.py`` and ``bench_report.py``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from tests.pg import PostgresServer


def start_server() -> PostgresServer:
    """A started server; exits with the install hint when PostgreSQL is not installed."""
    sys.path.insert(0, str(REPO))
    from tests.pg import INSTALL_HINT, PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit(INSTALL_HINT)
    server = PostgresServer(bindir)
    server.start()
    return server


def copy_log(
    server: PostgresServer, complaints: list[str], db: Path, env: dict[str, str], label: str
) -> str:
    """A new database on ``server`` holding the SQLite log ``db``; its URL."""
    url = server.new_database()
    print(f"copying the {label} log to PostgreSQL ...", flush=True)
    copied = subprocess.run(
        [*complaints, "--db", str(db), "db", "copy", "--to", url], capture_output=True, env=env
    )
    if copied.returncode != 0:
        raise SystemExit(f"db copy failed: {copied.stderr.decode()[:500]}")
    return url
