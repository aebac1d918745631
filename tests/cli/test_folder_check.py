"""``complaints folders --check``: real folders under a real root, through the CLI."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from tests.conftest import LOG_ARGS


def log(cli: Any, address: str) -> None:
    args = list(LOG_ARGS)
    args[args.index("--address") + 1] = address
    result = cli("log", *args)
    assert result.exit_code == 0, result.output


def check(cli: Any, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = cli("folders", "--check", "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


def test_all_well_exits_0(cli: Any, db_url: str, root: Path) -> None:
    log(cli, "1 Essex Brewery")
    log(cli, "Flat 2, 10 High St.")
    result = cli("folders", "--check")
    assert result.exit_code == 0, result.output
    assert "All 2 case(s) have one folder each" in result.stdout
    listing = json.loads(cli("folders", "--format", "json").stdout)
    assert listing == [
        {"reference": "SPRUCE001", "folder": "1 Essex Brewery – SPRUCE001"},
        {"reference": "SPRUCE002", "folder": "Flat 2, 10 High St – SPRUCE002"},
    ]


def test_every_kind_of_problem_is_found(cli: Any, tmp_path: Path, root: Path) -> None:
    log(cli, "1 Essex Brewery")  # SPRUCE001: folder removed below
    log(cli, "2 Essex Brewery")  # SPRUCE002: address corrected below
    log(cli, "3 Essex Brewery")  # SPRUCE003: a second, hand-made folder
    log(cli, "4 Essex Brewery")  # SPRUCE004: hand-made name with a hyphen: fine
    shutil.rmtree(root / "1 Essex Brewery – SPRUCE001")
    # The address is corrected in the log after the folder was made.
    with sqlite3.connect(tmp_path / "log.db") as db:
        db.execute("UPDATE complaint SET address = '2A Essex Brewery' WHERE reference='SPRUCE002'")
    (root / "SPRUCE003").mkdir()
    (root / "4 Essex Brewery – SPRUCE004").rename(root / "4 Essex Brewery - spruce004")
    (root / "9 Nowhere Road – SPRUCE009").mkdir()
    (root / "Templates").mkdir()
    (root / "notes.txt").write_text("a file, not a folder: not a problem")
    before = sorted(p.name for p in root.iterdir())

    status, problems = check(cli)
    assert status == 1
    found = [(p["problem"], p["reference"], p["folder"], p["expected"]) for p in problems]
    assert found == [
        ("no folder", "SPRUCE001", None, "1 Essex Brewery – SPRUCE001"),
        (
            "two folders",
            "SPRUCE003",
            "3 Essex Brewery – SPRUCE003 | SPRUCE003",
            "3 Essex Brewery – SPRUCE003",
        ),
        (
            "name out of date",
            "SPRUCE002",
            "2 Essex Brewery – SPRUCE002",
            "2A Essex Brewery – SPRUCE002",
        ),
        ("no case", None, "9 Nowhere Road – SPRUCE009", None),
        ("no reference", None, "Templates", None),
    ]
    assert "rename the folder to '2A Essex Brewery – SPRUCE002'" in problems[2]["detail"]
    # Read-only: nothing was created, renamed or removed.
    assert sorted(p.name for p in root.iterdir()) == before

    table = cli("folders", "--check")
    assert table.exit_code == 1
    assert "name out of date" in table.stdout
    assert table.stderr.strip() == "complaints: 5 folder problem(s) found"
    csv_out = cli("folders", "--check", "--format", "csv")
    assert csv_out.exit_code == 1
    assert csv_out.stdout.splitlines()[0] == "Problem,Reference,Folder,Expected name,What to do"


def test_a_missing_root_or_a_bad_format_is_one_clear_error(cli: Any, root: Path) -> None:
    result = cli("folders", "--check")
    assert result.exit_code == 1
    assert result.stderr.startswith("complaints: error: the complaints root")
    root.mkdir()
    bad = cli("folders", "--check", "--format", "xml")
    assert bad.exit_code == 1
    assert "format 'xml' is not one of" in bad.stderr
