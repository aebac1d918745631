"""Every command and every option is documented in the README, with an example (as sqlite-utils'
``tests/test_docs.py`` does); the root's command table says what each command's help says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer

from complaints_cli.cli.app import COMMANDS, app, leaf_commands, load_command
from tests.paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def code_lines(text: str) -> list[str]:
    """Every line of the text's fenced code blocks (a line continued with ``\\`` joined)."""
    out: list[str] = []
    inside = False
    for line in text.replace("\\\n", " ").splitlines():
        if line.strip().startswith("```"):
            inside = not inside
        elif inside:
            out.append(line.strip())
    return out


#: Every line of the README's code blocks.
EXAMPLES = code_lines(README)
#: Options every command has, documented once in "Settings" and "Output".
SHARED = {"--help", "-h"}


def commands() -> Iterator[tuple[str, Any]]:
    """``(path, click command)`` for every command, groups' subcommands included."""
    for words, command in leaf_commands():
        yield " ".join(words), command


ALL = list(commands())


@pytest.mark.parametrize(("path", "command"), ALL, ids=[p for p, _ in ALL])
def test_every_command_has_an_example_in_the_readme(path: str, command: Any) -> None:
    examples = [e for e in EXAMPLES if re.match(rf"complaints( --\S+ \S+)* {re.escape(path)}\b", e)]
    assert examples, f"the README has no example of `complaints {path}` in a code block"
    assert f"Example: complaints {path}" in (command.help or ""), "its --help ends with one too"


@pytest.mark.parametrize(("path", "command"), ALL, ids=[p for p, _ in ALL])
def test_every_option_is_in_the_readme(path: str, command: Any) -> None:
    missing = [
        opt
        for param in command.params
        for opt in param.opts
        if opt.startswith("--") and opt not in SHARED and opt not in README
    ]
    assert not missing, f"`complaints {path}` options missing from the README: {missing}"


def test_the_root_options_are_in_the_readme() -> None:
    root = typer.main.get_command(app)
    missing = [
        opt
        for param in root.params
        for opt in param.opts
        if opt.startswith("--") and opt not in SHARED and "completion" not in opt
        if opt not in README
    ]
    assert not missing


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_command_table_says_what_the_command_says(name: str) -> None:
    """``complaints --help`` lists commands from the table without importing them: the table's
    text must be the first paragraph of each command's own help."""
    command = load_command(name)
    first = (command.help or "").split("\n\n")[0]
    assert " ".join(first.split()) == " ".join(COMMANDS[name][2].split())
