"""Helpers for the process tests (tests/cli/test_process_*.py): run the CLI on a given day."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import LOG_ARGS


class Day:
    """``day("2025-02-03", "log", ...)`` runs the CLI with COMPLAINTS_TODAY set to that day."""

    def __init__(self, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.cli, self.monkeypatch = cli, monkeypatch

    def __call__(self, day: str, *args: str) -> Any:
        self.monkeypatch.setenv("COMPLAINTS_TODAY", day)
        return self.cli(*args)

    def ok(self, day: str, *args: str) -> Any:
        result = self(day, *args)
        assert result.exit_code == 0, result.output
        return result

    def fails(self, day: str, *args: str) -> str:
        """The one error line of a refused command (exit 1, nothing on stdout)."""
        result = self(day, *args)
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("complaints: error: "), result.stderr
        return lines[0].removeprefix("complaints: error: ")

    def show(self, day: str, ref: str = "SPRUCE001") -> dict[str, Any]:
        return json.loads(self.ok(day, "show", ref, "-f", "json").stdout)  # type: ignore[no-any-return]

    def due(self, day: str, *extra: str) -> list[tuple[str, str, str, str]]:
        """``(reference, key, due, milestone)`` of ``due --as-of day --format json``."""
        out = self.ok(day, "due", "--as-of", day, "--format", "json", *extra).stdout
        return [(i["reference"], i["key"], i["due"], i["milestone"]) for i in json.loads(out)]

    def log(self, day: str, *extra: str, received: str = "03/02/2025") -> Any:
        args = list(LOG_ARGS)
        args[args.index("--received") + 1] = received
        return self.ok(day, "log", *args, *extra)


def warnings(result: Any) -> list[str]:
    return [
        line.removeprefix("complaints: warning: ")
        for line in result.stderr.splitlines()
        if line.startswith("complaints: warning: ")
    ]
