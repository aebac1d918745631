"""``complaints pack REF``: the chronology and the folder index, read back from the .docx."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest

from tests.conftest import LOG_ARGS
from tests.paths import contents


@pytest.fixture
def at(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    def run(day: str, *args: str) -> Any:
        monkeypatch.setenv("COMPLAINTS_TODAY", day)
        return cli(*args)

    return run


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def tables(path: Path) -> list[list[list[str]]]:
    return [
        [[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables
    ]


def test_pack_has_the_chronology_and_the_folder_index(at: Any, db_url: str, root: Path) -> None:
    ok(at("2025-02-03", "log", *LOG_ARGS))
    ok(at("2025-02-04", "acknowledge", "SPRUCE001", "--summary", "Damp in the bathroom"))
    ok(
        at(
            "2025-02-14",
            "respond",
            "SPRUCE001",
            "--summary",
            "Upheld: repair booked",
            "--compensation",
            "50",
            "--compensation-reason",
            "time and trouble",
            "--action",
            "Replace extractor fan",
            "--action-due",
            "28/02/2025",
        )
    )
    ok(at("2025-02-21", "action", "done", "SPRUCE001", "1"))
    (case_folder,) = contents(root)
    evidence = case_folder / "Photos" / "bathroom ceiling.jpg"
    evidence.parent.mkdir()
    evidence.write_bytes(b"x" * 2048)
    stamp = datetime(2025, 2, 5, 9, 30).timestamp()
    os.utime(evidence, (stamp, stamp))
    (case_folder / "~$draft.docx").write_bytes(b"Word's lock file")

    result = ok(at("2025-03-03", "pack", "SPRUCE001"))
    path = case_folder / "SPRUCE001 Case pack 2025-03-03.docx"
    assert result.stdout.strip() == f"Wrote {path}: 9 chronology entries, 1 file(s) indexed"
    chronology, index = tables(path)
    assert chronology[0] == ["Date", "Time (UTC)", "Source", "Who", "What happened"]
    record = [(r[0], r[3], r[4]) for r in chronology[1:] if r[2] == "Case record"]
    assert record == [
        ("03/02/2025", "Sam Patel", "Complaint received by email from Ann Lee"),
        ("04/02/2025", "Sam Patel", "Complaint acknowledged: Damp in the bathroom"),
        (
            "14/02/2025",
            "Sam Patel",
            "Stage 1 response sent: Upheld: repair booked. Compensation £50.00 (time and trouble)",
        ),
        ("21/02/2025", "Sam Patel", "Action 1 (Stage 1) done"),
        ("28/02/2025", "Sam Patel", "Action 1 (Stage 1) due: Replace extractor fan"),
    ]
    history = [r for r in chronology[1:] if r[2] == "History"]
    assert [r[4].split(" ", 1)[0] for r in history] == ["log", "acknowledge", "respond", "action"]
    assert all(r[3] == "tester" and r[1] for r in history)
    # The last action done clears the update reminder: the history says so in plain words.
    assert "Last update on actions: 14/02/2025 -> (blank)" in history[3][4]
    respond = history[2][4]
    assert "Compensation paid: (blank) -> £50.00" in respond
    assert "Met HOS code response timeframe?: (blank) -> Yes" in respond
    assert "Date response was sent: (blank) -> 14/02/2025" in respond
    # Every row is in date order.
    days = [datetime.strptime(r[0], "%d/%m/%Y") for r in chronology[1:]]
    assert days == sorted(days)
    # The index: every evidence file, not Word's lock file.
    assert index == [
        ["File", "Size", "Modified"],
        [str(Path("Photos") / "bathroom ceiling.jpg"), "2,048 bytes", "05/02/2025 09:30"],
    ]

    # A second pack the same day is a new file; the first is untouched.
    before = path.read_bytes()
    again = ok(at("2025-03-03", "pack", "SPRUCE001"))
    assert "SPRUCE001 Case pack 2025-03-03 (2).docx" in again.stdout
    assert "2 file(s) indexed" in again.stdout  # the first pack is in the folder now
    assert path.read_bytes() == before


def test_pack_without_a_folder_or_case_is_refused(at: Any, root: Path) -> None:
    ok(at("2025-02-03", "log", *LOG_ARGS))
    for child in contents(root):
        shutil.rmtree(child)
    result = at("2025-02-03", "pack", "SPRUCE001")
    assert result.exit_code == 1
    assert "SPRUCE001 has no case folder" in result.stderr
    assert "complaints folders --check" in result.stderr
    unknown = at("2025-02-03", "pack", "SPRUCE002")
    assert unknown.exit_code == 1
    assert "no complaint with reference 'SPRUCE002'" in unknown.stderr
