"""The plain table renderer and the bank-holiday cache."""

from __future__ import annotations

import io

from complaints_cli.render.listing import plain_table


def test_plain_table_fits_and_wraps(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "40")
    lines = plain_table(
        ["Ref", "Milestone"],
        [["SPRUCE001", "Update the resident on outstanding actions"]],
        no_wrap=[True, False],
        stream=io.StringIO(),
    )
    assert lines[0].split() == ["Ref", "Milestone"]
    assert all(len(line) <= 40 for line in lines)
    assert lines[2].startswith("SPRUCE001   Update the resident")
    assert " ".join(line[12:].strip() for line in lines[2:]) == (
        "Update the resident on outstanding actions"
    )


def test_plain_table_colours_only_on_a_terminal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    red = plain_table(["A"], [["late"]], ["red"], stream=Tty())
    assert red[-1] == "\x1b[31mlate\x1b[0m"
    assert plain_table(["A"], [["late"]], ["red"], stream=io.StringIO())[-1] == "late"
    monkeypatch.setenv("NO_COLOR", "1")
    assert plain_table(["A"], [["late"]], ["red"], stream=Tty())[-1] == "late"


def test_empty_table() -> None:
    assert plain_table(["A"], [], empty="Nothing due.") == ["Nothing due."]
