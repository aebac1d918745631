"""The layout's rules that ``import-linter`` cannot see: SQL lives in the store only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.paths import REPO

PACKAGE = REPO / "complaints_cli"
#: A string that starts like a SQL statement (or a clause built into one).
SQL = re.compile(
    r"^\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA|CREATE\s+TABLE|"
    r"ALTER\s+TABLE|DROP\s+TABLE|VACUUM|BEGIN|COMMIT|WITH\s+\w+\s+AS)\b",
    re.I,
)


def python_files(*, outside: str) -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != outside]


def sql_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            found.append((node.lineno, node.value[:60]))
    return found


def test_no_sql_outside_the_store() -> None:
    found = {
        str(p.relative_to(REPO)): strings
        for p in python_files(outside="store")
        if (strings := sql_strings(p))
    }
    assert found == {}


def test_the_check_finds_sql() -> None:
    """The check above can fail: it finds the store's own statements."""
    assert sql_strings(PACKAGE / "store" / "writes.py")


#: Modules that are data, not code: the header words real logs use (a table).
DATA_TABLES = frozenset({"files/header_aliases.py"})
#: "No module over about 600 lines except data tables" (issue 11): a newcomer reads a module
#: whole; past this a module holds two things and is split (lifecycle became lifecycle,
#: extensions, ombudsman_stage and derived; the importer's sheet reading sheet_parser).
MAX_LINES = 600


def module_sizes() -> dict[str, int]:
    return {
        str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }


def test_no_module_over_600_lines_except_data_tables() -> None:
    over = {
        name: lines
        for name, lines in module_sizes().items()
        if lines > MAX_LINES and name not in DATA_TABLES
    }
    assert over == {}


def test_the_size_check_sees_every_module() -> None:
    """The check above can fail: it measures the modules, the data table among them."""
    sizes = module_sizes()
    assert sizes["domain/lifecycle.py"] > 300
    assert "files/header_aliases.py" in sizes
