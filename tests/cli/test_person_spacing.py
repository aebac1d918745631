"""A name is kept as the import keeps a person cell (``domain/text.person_lines``: each line
single-spaced), so what ``log`` stored reads back from its export unchanged (the fresh-user
trial: ``Ann<TAB>Lee`` and ``Ffion  jones`` were stored as typed; re-importing the export
called them differences and refused the file, and ``--update`` rewrote them silently)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from complaints_cli.store.db import make_engine
from tests.process_steps import Day


def test_log_and_correct_single_space_a_complainant(day: Day, db_url: str) -> None:
    day.log("2025-02-03", "--complainant", "Ann\tLee")  # a later --complainant wins
    assert day.show("2025-02-03")["complainant"] == "Ann Lee"
    day.ok("2025-02-03", "correct", "SPRUCE001", "--complainant", " Ffion   Jones \n Bo  Hart",
           "--reason", "Both signed the letter")  # fmt: skip
    assert day.show("2025-02-03")["complainant"] == "Ffion Jones\nBo Hart"


def test_a_name_stored_with_double_spaces_is_no_difference_on_reimport(
    day: Day, db_url: str, tmp_path: Path
) -> None:
    day.log("2025-02-03")
    day.log("2025-02-03", "--address", "2 Mill Lane")
    # As an older version stored it, before log single-spaced names.
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE complaint SET complainant = 'Ffion  jones' WHERE id = 1"))
    engine.dispose()
    exported = tmp_path / "log.xlsx"
    day.ok("2025-03-01", "export", str(exported))
    again = day.ok("2025-03-01", "import", str(exported)).stdout
    assert "0 added, 0 updated, 2 unchanged, 0 conflicting" in again
    updated = day.ok("2025-03-01", "import", str(exported), "--update").stdout
    assert "0 updated" in updated
    assert day.show("2025-03-01")["complainant"] == "Ffion  jones"  # not rewritten silently
