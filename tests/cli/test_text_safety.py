"""One owner of text safety (``complaints_cli.domain.text``), used by every writer and renderer.

Before: a vertical tab typed into ``--summary`` (or ``_x000B_`` in an imported cell) made
``letter`` and ``report emt --output`` die with a library traceback, only the log export made
text XML-safe; escape sequences in a stored name reached the terminal raw through ``list``
and ``show``; ``list --format csv`` and ``export --format csv`` defused different characters.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook

from complaints_cli.config import database_url
from complaints_cli.store.db import RawDatabase
from tests.conftest import LOG_ARGS

VT = "\x0b"
TITLE = "\x1b]0;pwned\x07"  # retitles a terminal window
CLEAR = "\x1b[2J"  # clears the screen


def store_text(url: str, **columns: str) -> None:
    """Write text straight into the log, as an earlier version or an import could have."""
    with RawDatabase(url) as db, db.transaction() as tx:
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        tx.execute(f"UPDATE complaint SET {sets} WHERE reference = 'SPRUCE001'", columns)


def test_a_control_character_is_refused_at_intake_with_its_position(cli: Any) -> None:
    result = cli("log", *LOG_ARGS, "--summary", f"Damp{VT}bathroom")
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: summary holds a control character (U+000B, vertical tab) at "
        "character 5: remove it (paste the text as plain text)\n"
    )
    assert "SPRUCE001" not in cli("list").stdout  # nothing was written
    escaped = cli("log", *LOG_ARGS[:2], "--address", f"1 Road{CLEAR}", *LOG_ARGS[4:])
    assert escaped.exit_code == 1 and "U+001B, escape" in escaped.stderr
    # Line breaks and tabs are text: kept.
    kept = cli("log", *LOG_ARGS, "--summary", "Damp\n\tbathroom")
    assert kept.exit_code == 0, kept.output


def test_stored_control_characters_are_written_safely_by_every_writer(
    cli: Any, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-05")
    assert cli("log", *LOG_ARGS).exit_code == 0
    store_text(db_url, complaint_summary=f"Damp{VT}bathroom", complainant=f"Ann{VT}Lee")
    letter = cli("letter", "SPRUCE001", "acknowledgement")
    assert letter.exit_code == 0, letter.output
    path = Path(letter.stdout.split("Wrote ", 1)[1].splitlines()[0])
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Damp_x000B_bathroom" in text  # visible in Word, never a crash
    report = cli("report", "emt", "--month", "2025-02", "--output", str(tmp_path / "emt.xlsx"))
    assert report.exit_code == 0, report.output
    exported = cli("export", str(tmp_path / "log.xlsx"))
    assert exported.exit_code == 0, exported.output
    sheet = load_workbook(tmp_path / "log.xlsx").active
    row = [c.value for c in sheet[2]]
    # Excel's own escape: Excel and LibreOffice read it back as the character.
    assert "Ann_x000B_Lee" in row
    pack = cli("pack", "SPRUCE001")
    assert pack.exit_code == 0, pack.output


def test_escape_sequences_never_reach_the_terminal(cli: Any) -> None:
    assert cli("log", *LOG_ARGS).exit_code == 0
    url = database_url(os.environ["COMPLAINTS_DB"])
    store_text(url, complainant=f"Ann{TITLE}Lee", complaint_summary=f"Damp{CLEAR}")
    for argv in (["list"], ["show", "SPRUCE001"], ["history", "SPRUCE001"]):
        out = cli(*argv).stdout
        assert "\x1b" not in out and "\x07" not in out, argv
    assert "Ann\\x1b]0;pwned\\x07Lee" in cli("list").stdout
    assert "Damp\\x1b[2J" in cli("show", "SPRUCE001").stdout


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "|", "%", "\uff1d", "\uff20"])
def test_list_and_export_csv_defuse_the_same_formulas(cli: Any, tmp_path: Path, start: str) -> None:
    """One CSV guard for ``list --format csv`` and ``export --format csv`` (OWASP)."""
    name = f"{start}HYPERLINK(1)"
    assert cli("log", *LOG_ARGS[:2], "--address", name, *LOG_ARGS[4:]).exit_code == 0
    listed = list(csv.reader(io.StringIO(cli("list", "-f", "csv").stdout)))
    assert listed[1][5] == "'" + name
    target = tmp_path / "log.csv"
    assert cli("export", str(target)).exit_code == 0
    exported = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert exported[1][5] == "'" + name


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--address", "\u200b\u00ad"),  # a zero-width space and a soft hyphen
        ("--complainant", "\u200b"),
        ("--handler", "\u2060 \ufeff"),  # a word joiner, a space, a byte order mark
    ],
)
def test_a_required_value_of_invisible_characters_only_is_refused(
    cli: Any, option: str, value: str
) -> None:
    """A trial: ``--address $'\\u200b\\u00ad'`` (pasted from a web page) logged a case with
    an address that shows as nothing, and a folder named by the reference alone; an invisible
    ``--handler`` made a case no ``--handler`` filter finds. Each is refused as missing."""
    args = list(LOG_ARGS)
    args[args.index(option) + 1] = value
    result = cli("log", *args, "--no-input")
    assert result.exit_code == 1, result.output
    what = option.removeprefix("--")
    assert result.stderr == (
        f"complaints: error: {what} holds only invisible characters (a zero-width space, a "
        "soft hyphen, ...): type it again\n"
    )
    assert "SPRUCE001" not in cli("list").stdout  # nothing was written
