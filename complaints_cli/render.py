"""Output formats, defined once: every listing goes through :func:`output_rows`.

``table`` is for people (rich, fitted to the terminal); ``json`` is for scripts (an array of
objects, ISO dates, stable keys documented in the README); ``csv`` is for spreadsheets (UTF-8,
and any cell that Excel would run as a formula is prefixed with ``'``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from typing import IO, Any, Literal

from complaints_cli.presentation import json_value

Format = Literal["table", "json", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")

#: First characters that make Excel or LibreOffice treat a CSV cell as a formula (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_csv_cell(value: Any) -> str:
    """Text for a CSV cell that a spreadsheet will never evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def output_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: dict[str, str] | None = None,
    text: Callable[[str, Any], str] | None = None,
    styles: Callable[[dict[str, Any]], str | None] | None = None,
    title: str | None = None,
    empty: str = "Nothing to show.",
    no_wrap: Sequence[str] = (),
    out: IO[str] | None = None,
) -> None:
    """Print ``rows`` (restricted to ``columns``) as a table, JSON or CSV.

    ``text(column, value)`` turns a value into table/CSV text; ``styles(row)`` gives a rich
    style for a table row (overdue in red, ...).
    """
    stream = out or sys.stdout
    show = text or (lambda _c, v: "" if v is None else str(json_value(v)))
    if fmt == "json":
        data = [{c: json_value(r.get(c)) for c in columns} for r in rows]
        stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([(headers or {}).get(c, c) for c in columns])
        for r in rows:
            writer.writerow([safe_csv_cell(show(c, r.get(c))) for c in columns])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream)
    if not rows:
        console.print(empty)
        return
    table = Table(title=title, header_style="bold", show_lines=False)
    for c in columns:
        table.add_column((headers or {}).get(c, c), overflow="fold", no_wrap=c in no_wrap)
    for r in rows:
        # Text() keeps user text literal: "[bold]" in an address is not rich markup.
        cells = (Text(show(c, r.get(c))) for c in columns)
        table.add_row(*cells, style=styles(r) if styles else None)
    console.print(table)
