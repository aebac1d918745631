"""An older copy of the log: every difference a blank cell where the log has a value."""

from __future__ import annotations

from datetime import date

from complaints_cli.domain.import_plan import CaseUpdate, FieldChange, ParsedRow, older_copy

ROW = ParsedRow(2, "SPRUCE001", {}, {})
BLANK = FieldChange("acknowledged", "Date complaint acknowledged", date(2025, 2, 4), None)
CHANGED = FieldChange("status", "Status", "Open", "Closed")


def test_only_blanks_is_an_older_copy():
    assert older_copy([CaseUpdate(ROW, {}, [BLANK])])


def test_a_value_the_file_changes_is_not():
    assert not older_copy([CaseUpdate(ROW, {}, [BLANK, CHANGED])])
    assert not older_copy([CaseUpdate(ROW, {}, [BLANK]), CaseUpdate(ROW, {}, [CHANGED])])


def test_no_conflicts_is_not():
    assert not older_copy([])
