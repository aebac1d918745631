"""``complaints subject-access NAME --output FILE``: every case, history entry and folder."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.domain.subject_access import fold, name_pattern
from complaints_cli.store.db import RawDatabase
from tests.conftest import LOG_ARGS


def log(cli: Any, complainant: str, address: str, summary: str | None = None) -> None:
    args = list(LOG_ARGS)
    args[args.index("--complainant") + 1] = complainant
    args[args.index("--address") + 1] = address
    if summary:
        args += ["--summary", summary]
    result = cli("log", *args)
    assert result.exit_code == 0, result.output


@pytest.fixture
def team(cli: Any, db_url: str, root: Path) -> str:
    log(cli, "Zoë Ní Bhriain", "1 Essex Brewery")  # SPRUCE001: the complainant
    log(cli, "Ann Lee", "2 Essex Brewery", "Neighbour zoe ni bhriain is a witness")  # 002: text
    log(cli, "Zoeller Smith", "3 Essex Brewery")  # 003: a different person (whole words)
    log(cli, "Bo Chen", "4 Essex Brewery")  # 004: named only in a history note
    assert cli("learning", "SPRUCE004", "Spoke to Ní Bhriain, Zoë about the noise").exit_code == 0
    log(cli, "Cy Doe", "5 Essex Brewery")  # 005: not named at all
    folder = root / "1 Essex Brewery – SPRUCE001"
    (folder / "Letters").mkdir()
    (folder / "Letters" / "ack.docx").write_bytes(b"x" * 1234)
    (folder / "photo.jpg").write_bytes(b"y" * 10)
    os.utime(folder / "photo.jpg", (1_700_000_000, 1_700_000_000))
    return db_url


def test_names_match_whole_words_ignoring_case_and_accents() -> None:
    pattern = name_pattern("Zoë Ní Bhriain")
    for text in (
        "ZOE NI BHRIAIN",
        "zoë  ní-bhriain said",
        "Ní Bhriain, Zoë",
        "Dear Zoe Ni Bhriain,",
    ):
        assert pattern.search(fold(text)), text
    for text in ("Zoeller Ni Bhriain", "Zoe Nibhriain", "Zoë", "Ní Bhriain"):
        assert not pattern.search(fold(text)), text


def test_json_answer_has_every_case_history_entry_and_folder_listing(
    cli: Any, team: str, tmp_path: Path, root: Path
) -> None:
    out = tmp_path / "sar.json"
    result = cli("subject-access", "Zoe Ni Bhriain", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Found 3 case(s), 3 history entry(ies) and 2 file(s) in 3 folder(s) naming "
        f"'Zoe Ni Bhriain'; written to {out}\n"
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["subject"] == "Zoe Ni Bhriain"
    assert data["summary"] == {
        "cases": 3,
        "history_entries_mentioning": 3,
        "folders": 3,
        "files": 2,
        "other_records": 0,
    }
    cases = {c["reference"]: c for c in data["cases"]}
    assert sorted(cases) == ["SPRUCE001", "SPRUCE002", "SPRUCE004"]
    assert cases["SPRUCE001"]["matched"] == ["complainant", "history"]
    assert cases["SPRUCE002"]["matched"] == ["complaint_summary", "history"]
    assert cases["SPRUCE004"]["matched"] == ["learning", "history"]
    assert cases["SPRUCE001"]["case"]["complainant"] == "Zoë Ní Bhriain"
    assert [(h["command"], h["mentions"]) for h in cases["SPRUCE004"]["history"]] == [
        ("log", False),
        ("learning", True),
    ]
    assert cases["SPRUCE004"]["history"][1]["at"].endswith("+00:00")
    listing = cases["SPRUCE001"]["folder"]
    assert listing["path"] == str(root / "1 Essex Brewery – SPRUCE001")
    assert listing["files"] == [
        {
            "name": "photo.jpg",
            "size": 10,
            "modified": "2023-11-14T22:13:20+00:00",
        },
        {"name": "Letters/ack.docx", "size": 1234, "modified": listing["files"][1]["modified"]},
    ]
    assert cases["SPRUCE002"]["folder"]["files"] == []


def test_markdown_answer_is_readable_and_never_overwritten_without_force(
    cli: Any, team: str, tmp_path: Path
) -> None:
    out = tmp_path / "Zoe SAR.md"
    assert cli("subject-access", "zoë ní bhriain", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Subject access: zoë ní bhriain\n")
    assert "- Cases: 3\n" in text
    assert "## SPRUCE001\n" in text and "## SPRUCE004\n" in text and "SPRUCE003" not in text
    assert "| complainant | Zoë Ní Bhriain |" in text
    assert "| Letters/ack.docx | 1234 |" in text
    before = out.read_bytes()
    again = cli("subject-access", "Ann Lee", "-o", str(out))
    assert again.exit_code == 1
    assert again.stderr == (
        f"complaints: error: {str(out)!r} exists: choose another name or give --force to "
        "replace it\n"
    )
    assert out.read_bytes() == before
    assert cli("subject-access", "Ann Lee", "-o", str(out), "--force").exit_code == 0
    assert "## SPRUCE002" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_other_tables_and_linked_rows_are_searched(cli: Any, team: str, tmp_path: Path) -> None:
    with RawDatabase(team) as db:
        db.execute(
            "INSERT INTO signatory (complaint_id, name, address, lead, added) "
            "VALUES (5, 'Zoe Ni Bhriain', '1 Essex Brewery', :f, '2025-02-04')",
            {"f": False},
        )
        db.execute(
            "INSERT INTO compliment (received, from_name, about, created_at, actor) "
            "VALUES ('2025-02-10', 'Zoë Ní Bhriain', 'Sam Patel', '2025-02-10 10:00:00', 't')"
        )
        if db.dialect == "sqlite":
            db._conn.commit()
    out = tmp_path / "sar.json"
    assert cli("subject-access", "Zoë Ní Bhriain", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    cases = {c["reference"]: c for c in data["cases"]}
    assert cases["SPRUCE005"]["matched"] == ["signatory.name"]
    assert cases["SPRUCE005"]["linked"]["signatory"][0]["name"] == "Zoe Ni Bhriain"
    assert [(o["table"], o["matched"]) for o in data["other_records"]] == [
        ("compliment", ["from_name"])
    ]


def test_bad_requests_are_one_line(cli: Any, tmp_path: Path) -> None:
    cli("log", *LOG_ARGS)
    bad = cli("subject-access", "Ann Lee", "-o", str(tmp_path / "sar.pdf"))
    assert bad.exit_code == 1
    assert "name it .json (JSON) or .md / .txt" in bad.stderr
    empty = cli("subject-access", "-o", str(tmp_path / "sar.md"), "--", "- ?")
    assert empty.exit_code == 1 and "has no letters to search for" in empty.stderr
    missing = cli("subject-access", "Ann Lee", "-o", str(tmp_path / "no" / "sar.md"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    assert not (tmp_path / "sar.md").exists()
