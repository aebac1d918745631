"""The domain is pure: its tests need no log. This ``isolated`` replaces the shared one (which
copies an empty log made by the migrations) for tests/domain, so a run of these tests alone, as
the mutation run does for each mutant (scripts/mutation.sh), does not build a database first.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Nothing reaches the user's home, config or data; there is no log to reach."""
    for var in list(os.environ):
        if var.startswith("COMPLAINTS_") and var != "COMPLAINTS_PG_BINDIR":
            monkeypatch.delenv(var)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("COMPLAINTS_DB", str(tmp_path / "no-log.db"))
    monkeypatch.setenv("COMPLAINTS_ROOT", str(tmp_path / "Complaints"))
    return tmp_path
