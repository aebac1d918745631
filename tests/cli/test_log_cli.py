"""``complaints log``, ``show`` and ``list`` driven through the CLI against a temporary log."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.store.db import RawDatabase
from tests.conftest import LOG_ARGS


def rows(db: Path | str, sql: str) -> list[tuple[Any, ...]]:
    """Rows from a SQLite file, or from any log URL (dates as ISO text, as SQLite keeps them)."""
    if isinstance(db, Path):
        with sqlite3.connect(db) as conn:
            return conn.execute(sql).fetchall()
    with RawDatabase(db) as raw:
        return [
            tuple(v.isoformat() if isinstance(v, date) else v for v in row)
            for row in raw.execute(sql).fetchall()
        ]


def test_log_records_every_value_and_makes_the_folder(cli: Any, db_url: str, root: Path) -> None:
    result = cli("log", *LOG_ARGS, "--summary", "Damp in bathroom")
    assert result.exit_code == 0, result.output
    assert "Logged SPRUCE001" in result.stdout
    folder = root / "1 Essex Brewery – SPRUCE001"
    assert folder.is_dir()
    assert f"Folder: {folder}" in result.stdout
    assert rows(
        db_url,
        "SELECT reference, status, stage, handler, complainant, address, received, "
        "channel, complaint_summary, folder, row_version FROM complaint",
    ) == [
        (
            "SPRUCE001",
            "Open",
            "Stage 1",
            "Sam Patel",
            "Ann Lee",
            "1 Essex Brewery",
            "2025-02-03",
            "email",
            "Damp in bathroom",
            "1 Essex Brewery – SPRUCE001",
            1,
        )
    ]
    ((actor, command, changes),) = rows(db_url, "SELECT actor, command, changes FROM history")
    assert (actor, command) == ("tester", "log")
    assert json.loads(changes)["received"] == [None, "2025-02-03"]


def test_references_are_consecutive_and_grow_past_999(cli: Any, db_url: str) -> None:
    for _ in range(3):
        assert cli("log", *LOG_ARGS).exit_code == 0
    with RawDatabase(db_url) as db:
        db.execute("UPDATE counter SET last_number = 998")
        if db.dialect == "sqlite":
            db._conn.commit()
    refs = []
    for _ in range(2):
        out = json.loads(cli("log", *LOG_ARGS, "--format", "json").stdout)
        refs.append(out["reference"])
    assert refs == ["SPRUCE999", "SPRUCE1000"]
    assert [r for (r,) in rows(db_url, "SELECT reference FROM complaint ORDER BY id")] == [
        "SPRUCE001",
        "SPRUCE002",
        "SPRUCE003",
        "SPRUCE999",
        "SPRUCE1000",
    ]


def test_prefix_from_flag(cli: Any) -> None:
    out = json.loads(cli("--prefix", "hp", "log", *LOG_ARGS, "-f", "json").stdout)
    assert out["reference"] == "HP001"


def test_received_defaults_to_today(cli: Any, db_url: str) -> None:
    args = [a for a in LOG_ARGS]
    i = args.index("--received")
    del args[i : i + 2]
    result = cli("log", *args, env={"COMPLAINTS_TODAY": "2025-06-30"})
    assert result.exit_code == 0, result.output
    assert rows(db_url, "SELECT received FROM complaint") == [("2025-06-30",)]


def test_missing_values_are_prompted_for(cli: Any, db_url: str) -> None:
    answers = "Ann Lee\n14 Mill Road\nSam Patel\nphone\n"
    result = cli("log", "--received", "03/02/2025", input=answers)
    assert result.exit_code == 0, result.output
    assert rows(
        db_url,
        "SELECT complainant, address, received, handler, channel FROM complaint",
    ) == [("Ann Lee", "14 Mill Road", "2025-02-03", "Sam Patel", "phone")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--no-input", "--complainant", "Ann"), "--address is required with --no-input"),
        (
            ("--no-input", *LOG_ARGS[:4], "--received", "02/30/2025", *LOG_ARGS[6:]),
            "date received '02/30/2025' is not a real date",
        ),
        (
            ("--no-input", *LOG_ARGS[:4], "--received", "01/01/2099", *LOG_ARGS[6:]),
            "date received 01/01/2099 is in the future",
        ),
        (("--no-input", *LOG_ARGS[:8], "--channel", "pigeon"), "channel 'pigeon' is not one of"),
        (
            ("--no-input", *LOG_ARGS[:8], "--channel", "emial"),
            "channel 'emial' is not one of: email, phone, letter, in person, website, social "
            "media; did you mean email?\n",
        ),
        (("--no-input", "--complainant", " ", *LOG_ARGS[2:]), "complainant is required"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_nothing_written(
    cli: Any, tmp_path: Path, root: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli("log", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not root.exists()
    db = tmp_path / "log.db"
    assert not db.exists() or rows(db, "SELECT count(*) FROM complaint") == [(0,)]


def test_no_answer_to_a_prompt_is_an_error_not_a_hang(cli: Any) -> None:
    result = cli("log", "--complainant", "Ann", input="")
    assert result.exit_code == 1
    assert "--address is required" in result.stderr


def test_channel_aliases(cli: Any, db_url: str) -> None:
    assert cli("log", *LOG_ARGS[:8], "--channel", "Telephone").exit_code == 0
    assert rows(db_url, "SELECT channel FROM complaint") == [("phone",)]


def test_show_prints_every_column_folder_and_history(cli: Any, root: Path) -> None:
    cli("log", *LOG_ARGS, "--summary", "Damp [red]bathroom[/red]")
    result = cli("show", "spruce1")  # typed loosely: normalised to SPRUCE001
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in (
        "Complaints reference",
        "Met HOS acknowledgment timeframe",
        "Compensation paid & reasons under framework",
        "Organisational learning",
    ):
        assert header in out
    assert "03/02/2025" in out
    assert "Damp [red]bathroom[/red]" in out  # user text is never rich markup
    assert str(root / "1 Essex Brewery – SPRUCE001") in out
    assert "History" in out and "tester" in out


def test_show_json_is_stable(cli: Any, db_url: str, root: Path) -> None:
    cli("log", *LOG_ARGS)
    data = json.loads(cli("show", "SPRUCE001", "--format", "json").stdout)
    assert data["reference"] == "SPRUCE001"
    assert data["received"] == "2025-02-03"
    assert data["acknowledged"] is None
    assert data["compensation_amount"] is None
    assert data["folder_path"] == str(root / "1 Essex Brewery – SPRUCE001")
    assert data["history"][0]["command"] == "log"
    assert data["history"][0]["changes"]["status"] == [None, "Open"]
    assert list(data)[:7] == [
        "reference",
        "status",
        "stage",
        "handler",
        "complainant",
        "address",
        "received",
    ]


def test_unknown_reference_suggests_the_nearest(cli: Any, db_url: str) -> None:
    cli("log", *LOG_ARGS)
    cli("log", *LOG_ARGS)
    assert cli("show", "SPRUCE0002").exit_code == 0  # extra zeros are forgiven
    result = cli("show", "SPRUCE021")
    assert result.exit_code == 1
    assert result.stderr == (
        "complaints: error: no complaint with reference 'SPRUCE021'; "
        "did you mean SPRUCE002, SPRUCE001?\n"
    )


def test_list_filters_and_formats(cli: Any, db_url: str) -> None:
    cli("log", *LOG_ARGS)
    cli(
        "log",
        "--complainant",
        "Bo Diaz",
        "--address",
        "2 Mill Road",
        "--received",
        "2025-03-01",
        "--handler",
        "Kim Ho",
        "--channel",
        "letter",
        "--summary",
        "Repairs to roof",
    )
    everything = json.loads(cli("list", "-f", "json").stdout)
    assert [c["reference"] for c in everything] == ["SPRUCE001", "SPRUCE002"]
    assert [
        c["reference"] for c in json.loads(cli("list", "--handler", "kim ho", "-f", "json").stdout)
    ] == ["SPRUCE002"]
    assert [c["reference"] for c in json.loads(cli("list", "-s", "ROOF", "-f", "json").stdout)] == [
        "SPRUCE002"
    ]
    assert json.loads(cli("list", "--status", "Closed", "-f", "json").stdout) == []
    table = cli("list", "--stage", "stage 1").stdout
    assert "SPRUCE001" in table and "SPRUCE002" in table and "01/03/2025" in table
    parsed = list(csv.reader(io.StringIO(cli("list", "-f", "csv").stdout)))
    assert parsed[0] == [
        "Reference",
        "Status",
        "Stage",
        "Handler",
        "Complainant",
        "Address",
        "Received",
    ]
    assert parsed[2] == [
        "SPRUCE002",
        "Open",
        "Stage 1",
        "Kim Ho",
        "Bo Diaz",
        "2 Mill Road",
        "01/03/2025",
    ]


def test_csv_cells_never_become_formulas(cli: Any) -> None:
    cli(
        "log",
        "--complainant",
        '=HYPERLINK("http://x")',
        "--address",
        "+44 1 Road",
        "--received",
        "2025-03-01",
        "--handler",
        "@sam",
        "--channel",
        "email",
    )
    parsed = list(csv.reader(io.StringIO(cli("list", "-f", "csv").stdout)))
    assert parsed[1][3:6] == ["'@sam", '\'=HYPERLINK("http://x")', "'+44 1 Road"]


def test_list_on_an_empty_log_says_the_log_is_empty(cli: Any) -> None:
    result = cli("list")
    assert result.exit_code == 0
    assert "No complaints match." not in result.stdout
    assert result.stdout.startswith("The log ") and " is empty: log a complaint" in result.stdout


def test_bad_format_is_refused(cli: Any) -> None:
    result = cli("list", "--format", "xml")
    assert result.exit_code == 1
    assert "format 'xml' is not one of: table, json, csv" in result.stderr


def test_two_handlers_logging_one_complaint_at_once_the_second_is_warned(
    cli: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two handlers log the same e-mail from the team inbox at the same moment: the other
    # handler's `complaints log` (a real process) saves it after this one has read the log
    # but before this one saves. The second to save is told of the first; the first is not
    # (so nobody is told to void the one that stays).
    import subprocess

    from complaints_cli.store.writes import Store
    from tests.conftest import complaints_cmd

    real_log = Store.log
    other: list[subprocess.CompletedProcess[str]] = []

    def other_handler_saves_first(self: Store, *args: Any, **kwargs: Any) -> Any:
        if not other:
            other.append(
                subprocess.run(
                    [*complaints_cmd(), "log", "--no-input", *LOG_ARGS],
                    capture_output=True,
                    text=True,
                )
            )
        return real_log(self, *args, **kwargs)

    monkeypatch.setattr(Store, "log", other_handler_saves_first)
    mine = cli("log", "--no-input", *LOG_ARGS)
    assert mine.exit_code == 0, mine.output
    assert other[0].returncode == 0, other[0].stderr
    assert other[0].stdout.startswith("Logged SPRUCE001:")
    assert "warning" not in other[0].stderr
    assert mine.stdout.startswith("Logged SPRUCE002:")
    assert (
        "complaints: warning: SPRUCE001 has the same complainant, address and date received: "
        "if SPRUCE002 is the same complaint logged twice, void it with complaints void "
        "SPRUCE002 --duplicate-of SPRUCE001 --reason TEXT\n"
    ) in mine.stderr
