"""A wheel built from the repo installs into a clean virtual environment and migrates a new log.

Slow (it builds and installs from the package index), so it runs in CI (``CI=true``) or when
``COMPLAINTS_TEST_WHEEL=1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from complaints_cli.store.schema import SCHEMA_HEAD
from tests.paths import REPO

pytestmark = pytest.mark.skipif(
    os.environ.get("CI") != "true" and os.environ.get("COMPLAINTS_TEST_WHEEL") != "1",
    reason="builds and installs a wheel: runs in CI, or set COMPLAINTS_TEST_WHEEL=1",
)


def test_wheel_installs_and_migrates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        timeout=600,
    )
    (wheel,) = dist.glob("complaints-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "complaints_cli/store/migrations/env.py" in names
    for migration in (REPO / "complaints_cli" / "store" / "migrations" / "versions").glob("*.py"):
        assert f"complaints_cli/store/migrations/versions/{migration.name}" in names
    assert "complaints_cli/domain/profiles.toml" in names
    assert not any(n.startswith("tests/") for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900
    )
    db = tmp_path / "fresh.db"
    env = {**os.environ, "COMPLAINTS_DB": str(db), "COMPLAINTS_ROOT": str(tmp_path / "C")}
    out = subprocess.run(
        [str(bindir / "complaints"), "db", "init"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"The log {db} is ready (empty)"
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
