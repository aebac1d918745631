"""``list`` and ``due`` line up when names and addresses hold wide characters (CJK, emoji),
and never pass a bidirectional override to the terminal (the fresh-user trial)."""

from __future__ import annotations

import re
from typing import Any

from complaints_cli.domain.text import display_width
from tests.conftest import LOG_ARGS


def _log(cli: Any, complainant: str, address: str) -> None:
    args = list(LOG_ARGS)
    args[args.index("--complainant") + 1] = complainant
    args[args.index("--address") + 1] = address
    result = cli("log", *args)
    assert result.exit_code == 0, result.output


def _starts(line: str) -> list[int]:
    """The screen column where each cell starts (cells are separated by 3+ spaces)."""
    return [display_width(line[: m.start()]) for m in re.finditer(r"(?:^|(?<= {3}))\S", line)]


def test_list_and_due_line_up_with_wide_names(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLAINTS_TODAY", "2025-02-03")
    _log(cli, "李小龍", "🏠 1 Essex Brewery")
    _log(cli, "Ann Lee", "2 Mill Lane")
    for command in (("list",), ("due", "--as-of", "2025-02-03")):
        lines = cli(*command).stdout.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("-"))
        # Every row's cells start under their headers, on screen.
        want = _starts(lines[header - 1])
        body = [line for line in lines[header + 1 :] if line.strip()]
        assert body and all(_starts(line) == want for line in body), lines


def test_a_bidi_override_in_an_address_is_shown_not_obeyed(cli: Any) -> None:
    args = list(LOG_ARGS)
    args[args.index("--address") + 1] = "1 Essex \u202eyrewerB"
    args[args.index("--complainant") + 1] = "Ann \u2066Lee"
    logged = cli("log", *args)
    assert logged.exit_code == 0, logged.output
    # log's own "Logged ..." line says it back shown, not obeyed (it was sent raw).
    assert "\u202e" not in logged.stdout and "\u2066" not in logged.stdout
    assert "Ann \\u2066Lee, 1 Essex \\u202eyrewerB, received" in logged.stdout
    out = cli("list").stdout
    assert "\u202e" not in out
    assert "1 Essex \\u202eyrewerB" in out


def test_a_tab_or_line_break_in_a_handlers_name_is_a_space(cli: Any) -> None:
    """One person's name is one line: ``Kim<TAB>Ho`` would break every table's column (it was
    stored as typed, and ``due`` wrapped it over two lines)."""
    args = list(LOG_ARGS)
    args[args.index("--handler") + 1] = " Kim\tHo\n "
    assert cli("log", *args).exit_code == 0
    import json

    shown = json.loads(cli("show", "SPRUCE001", "--format", "json").stdout)
    assert shown["handler"] == "Kim Ho"
