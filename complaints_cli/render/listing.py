"""Output formats, defined once: every listing goes through :func:`output_rows`.

``table`` is for people (plain columns fitted to the terminal, red and amber on a colour
terminal; fast for thousands of rows, where rich took seconds); ``json`` is for scripts (an
array of objects, ISO dates, stable keys documented in the README); ``csv`` is for
spreadsheets (UTF-8, and any cell that Excel would run as a formula is prefixed with ``'``);
``markdown`` (reports) is a GitHub-flavoured table for papers and wikis.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import repeat
from typing import IO, Any, Literal

from complaints_cli.domain.text import (
    csv_safe,
    display_width,
    single_width,
    terminal_safe,
    terminal_unsafe,
)

# ``json``, ``csv`` and the presentation module (which brings the case model, ~10 ms) are
# imported by the formats that use them: a table with its own ``text`` needs none of them.

Format = Literal["table", "json", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv")


def safe_csv_cell(value: Any, text: str | None = None) -> str:
    """Text for a CSV cell that a spreadsheet will never evaluate (see
    :func:`complaints_cli.domain.text.csv_safe`: the export's CSV uses the same guard);
    ``text``: the value as the listing shows it (default ``str(value)``). A number shown as
    itself is written as a number (``-18`` days left, not ``'-18``): it is not text a
    spreadsheet could run, and as text it would not sort or sum."""
    shown = ("" if value is None else str(value)) if text is None else text
    if (type(value) is int or type(value) is float) and shown == repr(value):
        return shown
    return csv_safe(shown)


def output_rows(
    rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: dict[str, str] | None = None,
    text: Callable[[str, Any], str] | None = None,
    styles: Callable[[Any], str | None] | None = None,
    title: str | None = None,
    empty: str = "Nothing to show.",
    no_wrap: Sequence[str] = (),
    as_text: Sequence[str] = (),
    out: IO[str] | None = None,
    fields: Sequence[str] | None = None,
) -> None:
    """Print ``rows`` (restricted to ``columns``) as a table, JSON or CSV.

    ``rows``: dicts, or with ``fields`` tuples of those fields in that order (a long list
    read straight from the store: no dict an item). ``text(column, value)`` turns a value
    into table/CSV text; ``styles(row)`` gives a style for a table row (overdue in red,
    ...). ``as_text``: columns where ``text`` gives a ``str`` value back as it is, so a table
    takes their text values without calling it (~0.5 µs a cell: ``due`` at 100k has 14,000
    such cells).
    """
    stream = out or sys.stdout
    if text is None:
        from complaints_cli.domain.presentation import json_value

        def json_text(_column: str, value: Any) -> str:
            return "" if value is None else str(json_value(value))

        text = json_text
    show = text
    values_of = _column_values(rows, columns, fields)
    if fmt == "json":
        # One object per line: readable, and made a column at a time (see _json_lines).
        lines = _json_lines(columns, values_of, len(rows))
        stream.write("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n")
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([(headers or {}).get(c, c) for c in columns])
        for r in zip(*values_of, strict=True) if columns else ([] for _ in rows):
            writer.writerow([safe_csv_cell(v, show(c, v)) for c, v in zip(columns, r, strict=True)])
        return
    by_column = []
    for c, values in zip(columns, values_of, strict=True):
        if c in as_text:
            by_column.append(
                values
                if set(map(type, values)) <= {str}
                else [v if type(v) is str else show(c, v) for v in values]
            )
        else:
            by_column.append(_texts(show, c, values))
    if fmt == "markdown":
        cells = list(zip(*by_column, strict=True)) if by_column else [() for _ in rows]
        heads = [(headers or {}).get(c, c) for c in columns]
        for line in markdown_table(heads, cells, title=title, empty=empty):
            stream.write(line + "\n")
        return
    # Styles are colours: worked out only for a colour terminal (~0.7 µs a row otherwise).
    row_styles = [styles(r) for r in rows] if styles and _use_colour(stream) else []
    heads = [(headers or {}).get(c, c) for c in columns]
    lines = _table_lines(
        heads,
        by_column,
        len(rows),
        row_styles,
        title=title,
        empty=empty,
        no_wrap=[c in no_wrap for c in columns],
        stream=stream,
        grouped=True,
    )
    stream.write("\n".join(lines) + "\n")  # one write: thousands of lines at 100k


def _json_lines(
    columns: Sequence[str], values_of: Sequence[Sequence[Any]], count: int
) -> list[str]:
    """Each row as the one line of JSON ``json.dumps({column: value, ...},
    ensure_ascii=False, default=json_default)`` gives, made a column at a time: each value's
    JSON once per distinct text, date, whole number or ``None`` (a due list's labels, days,
    handlers and states), by the same encoder, then each row's pieces joined as ``dumps``
    joins them (``{``, ``"key": value`` pairs separated by ``, ``, ``}``). 36,000 items
    at 1M: ~2 µs an item less than a ``dumps`` each (which makes an encoder every call)."""
    import json

    from complaints_cli.domain.presentation import json_default

    if not columns:
        return ["{}"] * count
    encode = json.JSONEncoder(ensure_ascii=False, default=json_default).encode
    pieces = []
    for n, (column, values) in enumerate(zip(columns, values_of, strict=True)):
        key = ("{" if n == 0 else "") + encode(column) + ": "
        end = "}" if n == len(columns) - 1 else ""
        if set(map(type, values)) <= _JSON_SAME_WHEN_EQUAL:
            each = {v: key + encode(v) + end for v in set(values)}
            pieces.append(list(map(each.__getitem__, values)))
        else:
            pieces.append([key + encode(v) + end for v in values])
    return list(map(", ".join, zip(*pieces, strict=True)))


#: Types whose equal values have the same JSON, none equal to a value of another of them (not
#: ``bool``: ``True == 1``; not ``float``: ``1.0 == 1``; not ``datetime``: a ``date``).
_JSON_SAME_WHEN_EQUAL = frozenset({str, int, type(None), date})


def _column_values(
    rows: Sequence[dict[str, Any]] | Sequence[tuple[Any, ...]],
    columns: Sequence[str],
    fields: Sequence[str] | None = None,
) -> list[Sequence[Any]]:
    """Each column's values, in order: with ``fields``, the rows are tuples of those fields
    (transposed in one C-level pass); otherwise dicts, ``row.get(column)`` for every row,
    read in one C-level pass (:func:`operator.itemgetter`) when the rows are plain dicts
    holding every column."""
    from operator import itemgetter

    if fields is not None:
        if not rows:
            return [[] for _ in columns]
        every = list(zip(*rows, strict=True))
        return [every[fields.index(c)] for c in columns]

    if len(columns) > 1 and rows and all(type(r) is dict for r in rows):
        try:
            # One visit to each row (36,000 dicts scattered in memory at 1M), then a transpose.
            return list(zip(*map(itemgetter(*columns), rows), strict=True))
        except KeyError:  # a row without one of the columns: ``get`` gives it None
            pass
    return [[r.get(c) for r in rows] for c in columns]  # type: ignore[union-attr]


#: Types whose equal values are the same value, so a cell's text can be made once per distinct
#: value (exact types only: ``True == 1`` and ``datetime`` is a ``date``).
_SAME_WHEN_EQUAL = frozenset({date, int, type(None)})


def _texts(show: Callable[[str, Any], str], column: str, values: Sequence[Any]) -> list[str]:
    """``show(column, value)`` for each value, made once per distinct date, whole number or
    ``None`` (``show`` is a pure function of its arguments): a due list of 36,000 items has a
    few hundred distinct days and day counts, and each call cost ~0.6 µs. When every value is
    of those types (none equal to a value of another: ``bool`` is not among them), the
    distinct ones are found and looked up in C-level passes."""
    if set(map(type, values)) <= _SAME_WHEN_EQUAL:
        each = {v: show(column, v) for v in set(values)}
        return list(map(each.__getitem__, values))
    memo: dict[Any, str] = {}
    get = memo.get
    out: list[str] = []
    append = out.append
    for v in values:
        if type(v) in _SAME_WHEN_EQUAL:
            text = get(v)
            if text is None:
                text = memo[v] = show(column, v)
        else:
            text = show(column, v)
        append(text)
    return out


_ANSI = {"red": "\x1b[31m", "yellow": "\x1b[33m", "bold": "\x1b[1m"}
_RESET = "\x1b[0m"


def _use_colour(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _width(stream: IO[str]) -> int:
    try:
        return max(40, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        pass
    if getattr(stream, "isatty", lambda: False)():
        return max(40, shutil.get_terminal_size((100, 24)).columns)
    return 100


def plain_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: Sequence[str | None] = (),
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
    no_wrap: Sequence[bool] = (),
    stream: IO[str] | None = None,
) -> list[str]:
    """A table as lines of text, fitted to the terminal: fast for thousands of rows.

    Columns are as wide as their longest cell (in columns on screen: a CJK character or an
    emoji takes two); when the table is wider than
    the terminal the widest wrappable columns give way and their cells wrap at spaces. Row
    styles (``red``, ``yellow``) become ANSI colours only on a colour terminal (``NO_COLOR``
    is honoured). Every row has one cell per header; raises ``ValueError`` otherwise.

    Hand-written for speed rather than one ``textwrap`` call and one ``ljust`` per cell:
    the whole table is scanned once for control characters and line breaks (nearly always
    none), each distinct cell of a wrapping column is wrapped once (a due list repeats a
    dozen milestone labels and a few handlers thousands of times), and a row that fits on
    one line is one ``str.format`` call. Measured on ``complaints due`` at 100k (3,583 rows,
    six columns, ``COLUMNS=120``), cell text included, old and new alternating in one process
    on a busy machine (2026-11-30): 46.5 -> 12.6 µs a row. The per-cell version it replaced
    (kept in ``tests/render/test_plain_table_reference.py``) gives the same lines.
    """
    if not rows:
        return [terminal_safe(empty)]
    if not headers:
        raise ValueError("a table needs at least one column")
    columns = list(zip(*rows, strict=True))
    if len(columns) != len(headers):
        raise ValueError(f"each row must have {len(headers)} cells")
    return _table_lines(
        headers,
        columns,
        len(rows),
        styles,
        title=title,
        empty=empty,
        no_wrap=no_wrap,
        stream=stream,
    )


def _table_lines(
    headers: Sequence[str],
    columns: Sequence[Sequence[str]],
    count: int,
    styles: Sequence[str | None] = (),
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
    no_wrap: Sequence[bool] = (),
    stream: IO[str] | None = None,
    grouped: bool = False,
) -> list[str]:
    """:func:`plain_table` of a table given as its ``columns`` (each ``count`` cells), as
    :func:`output_rows` has it: no transposing to rows and back (~1 µs a row at 36,000).
    ``grouped``: a row that wraps may come back as one text of its lines joined by line
    breaks (for output, which joins every line anyway): no Python loop over the rows."""
    out = stream or sys.stdout
    if not count:
        return [terminal_safe(empty)]
    headers = [terminal_safe(h) for h in headers]
    n = len(headers)
    if not n:
        raise ValueError("a table needs at least one column")
    if len(columns) != n or any(len(c) != count for c in columns):
        raise ValueError(f"each row must have {n} cells")
    # Each column's distinct cells: the control-character scan, the line-break count, the
    # widths and the wrapping look at each once (a due list repeats a dozen milestone labels,
    # a few handlers and a few hundred days thousands of times), joined into one text for
    # the scans.
    distinct = [set(c) for c in columns]
    whole = "\n".join(["\n".join(d) for d in distinct])
    if terminal_unsafe(whole):  # a control character somewhere: make each cell safe
        safe = [{cell: terminal_safe(cell) for cell in d} for d in distinct]
        columns = [list(map(s.__getitem__, c)) for s, c in zip(safe, columns, strict=True)]
        distinct = [set(s.values()) for s in safe]
        whole = "\n".join(["\n".join(d) for d in distinct])
    fixed = list(no_wrap) or [False] * n
    # Nearly always every character takes one column (checked at once for ASCII and Latin-1),
    # and a cell's length is its width; otherwise (CJK, emoji, combining marks) widths,
    # padding and wrapping count columns on screen (display_width).
    narrow = single_width(whole) and single_width("".join(headers))
    size = len if narrow else display_width
    if whole.count("\n") == sum(map(len, distinct)) - 1:  # no cell holds a line break
        widths = [max(size(headers[i]), max(map(size, distinct[i]))) for i in range(n)]
    else:
        widths = [
            max(
                size(headers[i]),
                *(
                    size(c.split("\n")[0]) if fixed[i] else max(map(size, c.split("\n")))
                    for c in distinct[i]
                ),
            )
            for i in range(n)
        ]
    room = _width(out) - 3 * (n - 1)
    while sum(widths) > room:
        flexible = [i for i in range(n) if not fixed[i] and widths[i] > max(8, len(headers[i]))]
        if not flexible:
            break
        widest = max(flexible, key=lambda i: widths[i])
        widths[widest] -= 1
    # Each distinct cell of a wrapping column is wrapped once.
    flex = [i for i in range(n) if not fixed[i]]
    wrap = _wrap if narrow else _wrap_wide
    wrapped = {i: {cell: wrap(cell, widths[i]) for cell in distinct[i]} for i in flex}
    fmt = "   ".join(f"{{:<{w}}}" for w in widths).format if narrow else _padder(widths)
    # A row's further lines depend only on its cells in the columns where some cell wraps to
    # more than one line (``keys``: the cell itself when that is one column), so they are
    # made once for each distinct combination (``more_of``).
    multi = [i for i in flex if any(len(lines_of) > 1 for lines_of in wrapped[i].values())]
    keys: Sequence[Any] = (
        columns[multi[0]]
        if len(multi) == 1
        else list(zip(*(columns[i] for i in multi), strict=True))
    )
    more_of: dict[Any, list[str]] = {}
    for key in (distinct[multi[0]] if len(multi) == 1 else set(keys)) if multi else ():
        cells = [[""]] * n
        for i, cell in zip(multi, (key,) if len(multi) == 1 else key, strict=True):
            cells[i] = wrapped[i][cell]
        more_of[key] = [
            fmt(*(c[j] if j < len(c) else "" for c in cells)).rstrip()
            for j in range(1, max(map(len, cells)))
        ]
    colour = _use_colour(out)
    lines = []
    if title:
        lines.append(terminal_safe(title))
    lines.append(fmt(*headers).rstrip())
    lines.append("   ".join("-" * w for w in widths))
    style_of = list(styles) or [None] * count
    if len(style_of) != count:
        raise ValueError(f"{len(style_of)} styles for {count} rows")
    paint = colour and any(s in _ANSI for s in style_of)
    more = any(more_of.values())
    if not narrow:  # wide characters: padded by their width on screen
        firsts: list[Sequence[str]] = list(columns)
        for i in flex:
            first_line = {cell: lines_of[0] for cell, lines_of in wrapped[i].items()}
            firsts[i] = list(map(first_line.__getitem__, columns[i]))
        body = [fmt(*parts).rstrip() for parts in zip(*firsts, strict=True)]
    elif grouped and more and not paint:  # each row's lines as one text: no loop over rows
        after = {key: "".join(["\n" + t for t in lines_of]) for key, lines_of in more_of.items()}
        lines += _padded_rows(columns, distinct, wrapped, widths, map(after.__getitem__, keys))
        return lines
    else:
        body = _padded_rows(columns, distinct, wrapped, widths)
    if not paint and not more:
        lines += body
        return lines
    append, extend = lines.append, lines.extend
    if not paint:
        for first, further in zip(body, map(more_of.__getitem__, keys), strict=True):
            append(first)
            if further:
                extend(further)
        return lines
    for first, key, style in zip(body, keys if multi else [None] * count, style_of, strict=True):
        further = more_of.get(key, [])
        if style in _ANSI:
            on = _ANSI[style]
            append(f"{on}{first}{_RESET}")
            extend(f"{on}{t}{_RESET}" for t in further)
        else:
            append(first)
            if further:
                extend(further)
    return lines


def emphasis(text: str, stream: IO[str] | None = None) -> str:
    """``text`` in bold on a colour terminal (plain elsewhere), made terminal-safe."""
    safe = terminal_safe(text)
    return f"{_ANSI['bold']}{safe}{_RESET}" if _use_colour(stream or sys.stdout) else safe


def key_values(pairs: Sequence[tuple[str, str]], *, stream: IO[str] | None = None) -> list[str]:
    """``label   value`` lines, labels in a column, values wrapped to the terminal's width
    (a value's own line breaks are kept); everything made terminal-safe."""
    out = stream or sys.stdout
    safe = [(terminal_safe(k), terminal_safe(v)) for k, v in pairs]
    width = max((len(k) for k, _ in safe), default=0)
    room = max(20, _width(out) - width - 3)
    lines: list[str] = []
    for key, value in safe:
        wrapped = _wrap(value, room) or [""]
        lines.append(f"{key.ljust(width)}   {wrapped[0]}".rstrip())
        lines += [f"{'':{width}}   {more}".rstrip() for more in wrapped[1:]]
    return lines


def _md_cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, line breaks as ``<br>``, HTML left inert."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return "<br>".join(text.splitlines()) if "\n" in text or "\r" in text else text


def markdown_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
) -> list[str]:
    """A GitHub-flavoured Markdown table (for reports pasted into papers and wikis)."""
    lines = [f"### {title}", ""] if title else []
    if not rows:
        return [*lines, empty]
    lines.append("| " + " | ".join(_md_cell(h) for h in headers) + " |")
    lines.append("|" + "|".join(" --- " for _ in headers) + "|")
    for row in rows:
        lines.append("| " + " | ".join(_md_cell(cell) for cell in row) + " |")
    return lines


def _padded_rows(
    columns: Sequence[Sequence[str]],
    distinct: Sequence[set[str]],
    wrapped: dict[int, dict[str, list[str]]],
    widths: Sequence[int],
    after: Iterable[str] | None = None,
) -> list[str]:
    """Each row's first line from its columns' cells (one character a column on screen;
    ``distinct``: each column's distinct cells; ``wrapped``: each wrapping column's distinct
    cells as lines), padded (``ljust``, what ``fmt`` does to text) and joined in C-level
    passes (~2 µs a row less than a ``str.format`` per row, which parses its format string on
    every call), then ``after`` (each row's, if given). A column's cell and the three spaces
    after it are one ``ljust`` (unless a cell is longer than its column: a line break in a
    column that does not wrap), made once per distinct cell when the column's cells repeat (a
    due list's labels, handlers, days and stages) and looked up. When every row ends with
    text, ``rstrip`` would take only the last column's padding: the last column is left
    unpadded and nothing is stripped."""
    n = len(widths)
    count = len(columns[0])

    def padded(i: int, width: int, gap: str = "") -> Iterable[str]:
        cells = columns[i]
        if i in wrapped:
            first_of = {cell: lines_of[0] for cell, lines_of in wrapped[i].items()}
        elif len(distinct[i]) * 4 > count:  # mostly distinct (references): padded each
            if not width and not gap:
                return cells
            if gap and max(map(len, distinct[i])) <= width:  # the gap is more padding
                return map(str.ljust, cells, repeat(width + len(gap), count))
            each_cell = map(str.ljust, cells, repeat(width, count))
            return map(str.__add__, each_cell, repeat(gap, count)) if gap else each_cell
        else:
            first_of = dict(zip(distinct[i], distinct[i], strict=True))
        if gap and max(map(len, first_of.values())) <= width:  # the gap is more padding
            width, gap = width + len(gap), ""
        each = {cell: first.ljust(width) + gap for cell, first in first_of.items()}
        return map(each.__getitem__, cells)

    cols = [padded(i, widths[i], "   ") for i in range(n - 1)]
    last = (
        {lines_of[0] for lines_of in wrapped[n - 1].values()}
        if n - 1 in wrapped
        else distinct[n - 1]
    )
    if all(first and not first[-1].isspace() for first in last):
        cols.append(padded(n - 1, 0))
        if after is not None:
            cols.append(after)
        return list(map("".join, zip(*cols, strict=True)))
    cols.append(padded(n - 1, widths[-1]))
    rows = map(str.rstrip, map("".join, zip(*cols, strict=True)))
    return list(rows if after is None else map(str.__add__, rows, after))


def _padder(widths: Sequence[int]) -> Callable[..., str]:
    """A row's cells joined as ``str.format`` with ``{:<w}`` fields would, each padded to
    its column's width on screen (:func:`display_width`), not its length."""

    seen: dict[str, int] = {}  # a due list repeats a few labels and handlers thousands of times

    def width_of(cell: str) -> int:
        found = seen.get(cell)
        if found is None:
            found = seen[cell] = display_width(cell)
        return found

    def fmt(*cells: str) -> str:
        return "   ".join(
            cell + " " * (w - width_of(cell)) for cell, w in zip(cells, widths, strict=True)
        )

    return fmt


def _wrap_wide(cell: str, width: int) -> list[str]:
    """:func:`_wrap` counting columns on screen (:func:`display_width`): ``cell`` as lines of
    at most ``width`` columns, broken at spaces (runs of spaces become one, as ``textwrap``
    makes them), a word wider than a line cut (a character wider than the whole line alone on
    its line), its own line breaks kept."""
    if display_width(cell) <= width and "\n" not in cell and cell.isprintable():
        return [cell]
    out: list[str] = []
    for para in cell.split("\n"):
        lines: list[str] = []
        line, used = "", 0
        for word in para.split():
            size = display_width(word)
            while size > width:  # a word longer than a line: cut at the width
                if line:
                    lines.append(line)
                    line, used = "", 0
                head, taken = "", 0
                for ch in word:
                    w = display_width(ch)
                    if taken + w > width and head:
                        break
                    head, taken = head + ch, taken + w
                lines.append(head)
                word = word[len(head) :]
                size = display_width(word)
            if not word:
                continue
            if line and used + 1 + size <= width:
                line, used = f"{line} {word}", used + 1 + size
            else:
                if line:
                    lines.append(line)
                line, used = word, size
        if line:
            lines.append(line)
        out += lines or [""]
    return out


def _wrap(cell: str, width: int) -> list[str]:
    """``cell`` as lines of at most ``width`` characters, broken at spaces (a word longer
    than a line is cut), its own line breaks kept: :func:`textwrap.wrap` on each line.

    A cell that already fits, holds only printable characters (no tab, line break or other
    whitespace ``textwrap`` would turn into a space) and does not end with a space comes back
    as it is without ``textwrap``: ``textwrap`` would give the same one line (~4 µs a cell).
    """
    if width > 0 and len(cell) <= width and cell.isprintable() and not cell.endswith(" "):
        return [cell]
    out: list[str] = []
    for para in cell.split("\n") or [""]:
        out += textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=False) or [""]
    return out
