"""Importing a Complaints Log workbook: read and validate everything, then one write.

The import runs in three steps, so that nothing is written from a file with a mistake in it:

1. :func:`read_log` (pure, no database): find the sheet and its header row, parse every cell
   with :mod:`complaints_cli.files.cells`, and collect each problem as sheet, row, column, value and
   reason. A row is either a :class:`ParsedRow` or rejected with its problems.
2. :func:`make_plan` (pure): compare the parsed rows with the cases already in the log and sort
   them into adds, updates (conflicts, when ``--update`` is not given) and unchanged rows, each
   change field by field.
3. :func:`apply_plan`: inside one :meth:`Store.transaction`, one ``executemany`` of the new
   cases (``session.add`` per row costs ~14 s and 1 GB at 100k rows; see :func:`insert_rows`),
   updates of the conflicting ones when asked (row version bumped, history with old and new),
   a history entry for every case imported or updated (command ``import``, naming the file,
   its SHA-256 and, for a new case, its row), and the reference counter advanced per prefix.

Values are imported as recorded: the "Met ..." columns are historical facts, so they are kept,
not recomputed. Columns the log does not know are kept per case (``extra``) and exported back.
"""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.dates import format_uk
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.action_cells import ActionCell, format_actions
from complaints_cli.files.cells import CellError, parse_column, parse_text
from complaints_cli.files.header_rows import HeaderRows, find_header
from complaints_cli.files.headers import (
    EXTRA_COLUMNS,
    ExtraColumn,
    HeaderError,
    HeaderMatch,
    column_letter,
)
from complaints_cli.files.row_kinds import drop_old_reasons, not_cases, short

if TYPE_CHECKING:
    from sqlmodel import Session

    from complaints_cli.files.spreadsheet import Sheet, Workbook
    from complaints_cli.store.writes import Store

AnyColumn = Column | ExtraColumn
Progress = Callable[[int], None]

#: Stored lengths the database enforces (PostgreSQL VARCHAR); checked before writing.
MAX_LENGTHS: Final = {"reference": 32, "handler": 200, "stage2_handler": 200}
#: Values a new case gets when its cell is blank: the model requires these fields.
DEFAULTS: Final[dict[str, object]] = {
    "status": "Open",
    "stage": "Stage 1",
    "handler": "",
    "complainant": "",
    "address": "",
    "kind": "complaint",
}
#: Money is parsed as pounds (``…compensation_amount``) and stored as whole pence.
PENCE_FIELDS: Final = {
    "compensation_amount": "compensation_pence",
    "stage2_compensation_amount": "stage2_compensation_pence",
}
#: The fields an import never writes from a sheet: the tool's own bookkeeping.
_BOOKKEEPING: Final = frozenset({"id", "created_at", "updated_at", "row_version", "folder"})


@contextmanager
def bulk_work() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk step.

    Reading and writing a 100k-case log creates some ten million small objects with no
    reference cycles; the collector would walk them again and again and free nothing,
    doubling the import's time (measured: read_log 3.5 s with it, 1.6 s without). Reference
    counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- problems ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row) of the file."""

    sheet: str
    row: int  #: Excel's row number (from 1)
    column: str  #: ``G 'Complaint received'``, or ``""`` for the whole row
    value: object
    reason: str

    def line(self) -> str:
        """``sheet 'Log', row 7, column G 'Complaint received', value '31/02/2025': reason``."""
        where = f"sheet {self.sheet!r}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = _show_value(self.value)
        if shown:
            where += f", value {shown}"
        return f"{where}: {self.reason}"


def _show_value(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "...'"


# --- step 1: reading ------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One valid row: the case's stored values, ready to compare and write."""

    row: int  #: Excel's row number
    reference: str
    #: model field -> value, for every field of every column the sheet has (``None``: blank).
    #: Compensation is ``compensation_pence`` / ``stage2_compensation_pence`` (whole pence).
    values: dict[str, object]
    #: unknown column header -> value (``None``: blank), for every unknown column of the sheet.
    extra: dict[str, object]


@dataclass
class RejectedRow:
    row: int
    raw: list[Any]
    problems: list[Problem]


@dataclass
class ReadResult:
    """Everything read from the file, before the database is consulted."""

    path: Path
    sha256: str
    sheet: str
    header_row: int  #: Excel's row number of the header row (the first, of a header on two)
    headers: list[Any]  #: the header's cells as written (a header on two rows: combined)
    match: HeaderMatch
    rows: list[ParsedRow]
    rejected: list[RejectedRow]
    #: model fields the sheet covers (its columns' fields), in log order
    fields: tuple[str, ...]
    #: unknown columns kept per case, in sheet order
    extra_keys: tuple[str, ...]
    #: things worth saying that are not errors (defaults used, merged cells filled down, ...)
    notes: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.rejected for p in r.problems]

    @property
    def unknown_headers(self) -> list[str]:
        return list(self.extra_keys)


def _column_label(index: int, header: object) -> str:
    text = " ".join(str(header).split()) if header not in (None, "") else ""
    return f"{column_letter(index)} {text!r}" if text else column_letter(index)


def _order(column: AnyColumn) -> tuple[int, int]:
    """The order :func:`.cells.parse_row` parses columns in (log columns first)."""
    if isinstance(column, Column):
        return 0, column.number
    return 1, EXTRA_COLUMNS.index(column)


_MISSING: Final = object()


class SheetParser:
    """:func:`complaints_cli.files.cells.parse_row` over a whole sheet, column by column.

    The results are the same as calling ``parse_row`` on each row (a test checks them side by
    side). Why not just call it: ``parse_row`` takes ~87 µs a row, nearly 9 s for a 100k-case
    log, more than the import's whole time budget. A log repeats most of its values (statuses,
    stages, handlers, Yes/No, dates), so each distinct value of a column is parsed once; the
    columns are walked one at a time, so the inner loop is a cache look-up; and each row's
    fields are assembled with one ``dict(zip(...))``.

    The cache key is the value itself for text and dates, and ``(type, value)`` otherwise
    (``True == 1 == 1.0`` in Python, but TRUE and 1 do not parse alike). Fields two columns can
    both fill (the extended-to dates and the review type: a log column, then the tool's own
    column after it) must agree, as in ``parse_row``: the later column gets the error.

    For the importer (off by default, so a test can compare with ``parse_row``), ``store``
    also turns each distinct value into what the database stores, once per value rather than
    once per row: blank required fields take :data:`DEFAULTS`, compensation becomes whole
    pence (``compensation_pence``), and a text longer than :data:`MAX_LENGTHS` allows is a
    cell error.
    """

    _LIMIT: Final = 200_000  #: distinct values cached per column (bounded memory)

    def __init__(
        self,
        columns: Mapping[int, AnyColumn],
        *,
        epoch_1904: bool,
        prefix: str | None = None,
        store: bool = False,
        epoch: date | None = None,
    ) -> None:
        self.ordered = sorted(columns.items(), key=lambda item: _order(item[1]))
        self.epoch_1904 = epoch_1904
        self.epoch = epoch
        self.prefix = prefix
        self.store = store
        #: how many blank cells took a default, by field (``store`` only)
        self.defaulted: dict[str, int] = {}
        self._blank: dict[str, set[tuple[type, object]]] = {}
        owner: dict[str, int] = {}
        #: (position in ordered, field, position of the earlier column filling it)
        self.shared: list[tuple[int, str, int]] = []
        self.names: list[str] = []
        #: per column: whether its fields go into the flat row (a later sharer's do not)
        self.flat: list[bool] = []
        for pos, (_, column) in enumerate(self.ordered):
            clashes = [f for f in column.fields if f in owner]
            if clashes:
                # A column sharing a field is always one of the tool's single-field columns.
                assert len(column.fields) == 1, column
                self.shared.append((pos, column.fields[0], owner[column.fields[0]]))
                self.flat.append(False)
                continue
            for f in column.fields:
                owner[f] = pos
            self.names.extend(PENCE_FIELDS.get(f, f) if store else f for f in column.fields)
            self.flat.append(True)

    def _parse_one(self, column: AnyColumn, value: object) -> tuple[object, ...] | CellError:
        if (
            column is COLUMNS[0]
            and self.prefix is None
            and type(value) is str
            and _PLAIN_REFERENCE.fullmatch(value)
        ):
            # Already as the log writes it: parse_reference would return it unchanged (most
            # references are unique, so this is the one column the cache cannot help).
            return (value,)
        try:
            parsed = parse_column(
                column, value, epoch_1904=self.epoch_1904, prefix=self.prefix, epoch=self.epoch
            )
        except CellError as err:
            return err
        if self.store:
            return self._stored(parsed, value)
        return tuple(parsed[f] for f in column.fields)

    def _stored(self, parsed: Mapping[str, object], raw: object) -> tuple[object, ...] | CellError:
        out: list[object] = []
        for f, value in parsed.items():
            if f in PENCE_FIELDS:
                value = None if value is None else int(value * 100)  # type: ignore[operator]
            elif value is None and f in DEFAULTS:
                value = DEFAULTS[f]
                self._blank.setdefault(f, set()).add((type(raw), raw))
            elif f in MAX_LENGTHS and isinstance(value, str) and len(value) > MAX_LENGTHS[f]:
                return CellError(
                    f"is {len(value)} characters long; the log keeps at most {MAX_LENGTHS[f]}"
                )
            out.append(value)
        return tuple(out)

    def _column(self, column: AnyColumn, cells: Sequence[object]) -> tuple[list[Any], list[int]]:
        """Each cell parsed (a tuple of the column's field values, or the :class:`CellError`),
        and the positions of the cells that failed."""
        if _PLAIN_TYPES.issuperset(set(map(type, cells))):
            # Text, dates and blanks only: equal values parse alike, so a plain dict maps them.
            distinct = dict.fromkeys(cells)
            if len(distinct) <= self._LIMIT:
                parsed = {value: self._parse_one(column, value) for value in distinct}
                out = list(map(parsed.__getitem__, cells))
                bad = {v for v, hit in parsed.items() if type(hit) is not tuple}
                failed = [i for i, v in enumerate(cells) if v in bad] if bad else []
                self._count_defaults(column, cells)
                return out, failed
        cache: dict[object, Any] = {}
        out = []
        failed = []
        for i, value in enumerate(cells):
            key = (type(value), value)
            hit = cache.get(key, _MISSING)
            if hit is _MISSING:
                hit = self._parse_one(column, value)
                if len(cache) >= self._LIMIT:
                    cache.clear()
                cache[key] = hit
            if type(hit) is not tuple:
                failed.append(i)
            out.append(hit)
        self._count_defaults(column, cells)
        return out, failed

    def _count_defaults(self, column: AnyColumn, cells: Sequence[object]) -> None:
        for f in column.fields:
            blanks = self._blank.get(f)
            if blanks:
                found = sum(1 for v in cells if (type(v), v) in blanks)
                self.defaulted[f] = self.defaulted.get(f, 0) + found

    def parse(
        self, rows: Sequence[Sequence[object]]
    ) -> list[tuple[dict[str, object], list[tuple[int, object, str]]]]:
        """For each row: its values by field and its errors as ``(cell index, value, reason)``.

        A row with errors still gets the fields of the columns that parsed (as ``parse_row``).
        """
        if not rows:
            return []
        width = max(max(len(r) for r in rows), max(i for i, _ in self.ordered) + 1)
        padded = [r if len(r) == width else [*r, *([None] * (width - len(r)))] for r in rows]
        by_column = list(zip(*padded, strict=True))
        results: list[list[Any]] = []
        bad: set[int] = set()
        for index, column in self.ordered:
            out, failed = self._column(column, by_column[index])
            results.append(out)
            bad.update(failed)
        flat = [r for r, keep in zip(results, self.flat, strict=True) if keep]
        flat_fields = [c.fields for (_, c), k in zip(self.ordered, self.flat, strict=True) if k]
        names = self.names
        # Rows where a later column sharing a field says something (or fails): only those
        # need the agreement check.
        active = {
            i
            for pos, _name, _earlier in self.shared
            for i, hit in enumerate(results[pos])
            if type(hit) is not tuple or hit[0] is not None
        }
        rows_out: list[tuple[dict[str, object], list[tuple[int, object, str]]]] = []
        for i, hits in enumerate(zip(*flat, strict=True)):
            errors: list[tuple[int, object, str]] = []
            if i not in bad:
                values = dict(zip(names, chain.from_iterable(hits), strict=True))
            else:
                # As parse_row: a column whose cell is refused contributes no fields.
                values = {}
                for hit, fields in zip(hits, flat_fields, strict=True):
                    if type(hit) is tuple:
                        values.update(zip(fields, hit, strict=True))
                for pos, (index, _column) in enumerate(self.ordered):
                    hit = results[pos][i]
                    if type(hit) is not tuple:
                        errors.append((index, padded[i][index], hit.reason))
            for pos, name, earlier in self.shared if (i in active or i in bad) else ():
                hit = results[pos][i]
                if type(hit) is not tuple:
                    continue
                if hit[0] is None:
                    values.setdefault(name, None)
                    continue
                old = values.get(name)
                if old is None:
                    values[name] = hit[0]
                elif old != hit[0]:
                    index = self.ordered[pos][0]
                    header = self.ordered[earlier][1].header
                    reason = f"says {_uk(hit[0])} but {header!r} says {_uk(old)}"
                    errors.append((index, padded[i][index], reason))
            if len(errors) > 1:
                order = {index: pos for pos, (index, _c) in enumerate(self.ordered)}
                errors.sort(key=lambda e: order[e[0]])
            rows_out.append((values, errors))
        return rows_out


_PLAIN_REFERENCE: Final = re.compile(r"[A-Z]+[0-9]{3,}")
_PLAIN_TYPES: Final = frozenset({str, date, datetime, time, timedelta, type(None)})


def _uk(value: object) -> str:
    return format_uk(value) if isinstance(value, date) else str(value)


def extra_value(value: object) -> object:
    """An unknown column's cell as a JSON value: kept as written, never interpreted.

    Text stays text (``N/A`` included: the column is not ours to read), numbers stay numbers,
    dates and times become the text Excel shows (``03/02/2025``), blank is ``None``.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()
        return text or None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, datetime | date | time):
        return parse_text(value)
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _blank_row(row: Sequence[object]) -> bool:
    for value in row:
        if value is None or value == "" or (type(value) is str and not value.strip()):
            continue
        return False
    return True


def choose_sheet(workbook: Workbook, name: str | None) -> tuple[Sheet, HeaderRows]:
    """The sheet holding the log and its header (one row or two: :mod:`.header_rows`).

    With ``name``, that sheet (case-insensitively); without, the one worksheet whose header
    is found. Two sheets that both look like logs are an error, never a guess.
    """
    names = workbook.sheet_names
    if not names:
        raise ComplaintsError(f"{workbook.path.name!r} has no worksheets")
    if name is not None:
        chosen = [n for n in names if n == name] or [
            n for n in names if n.casefold() == name.casefold()
        ]
        if not chosen:
            listed = ", ".join(repr(n) for n in names)
            raise ComplaintsError(f"{workbook.path.name!r} has no sheet {name!r}: it has {listed}")
        sheet = workbook.sheet(chosen[0])
        try:
            return sheet, find_header(sheet.rows, sheet.merged)
        except HeaderError as err:
            raise HeaderError(f"sheet {sheet.name!r}: {err}") from None
    found: list[tuple[Sheet, HeaderRows]] = []
    failures: list[str] = []
    for candidate in names:
        sheet = workbook.sheet(candidate)
        try:
            header = find_header(sheet.rows, sheet.merged)
        except HeaderError as err:
            failures.append(f"sheet {candidate!r}: {err}")
            continue
        found.append((sheet, header))
    if len(found) > 1:
        listed = " and ".join(repr(s.name) for s, _ in found)
        raise ComplaintsError(
            f"sheets {listed} both look like a complaints log: choose one with --sheet"
        )
    if not found:
        if len(failures) == 1:
            raise HeaderError(failures[0])
        raise HeaderError("no sheet has the log's header row: " + "; ".join(failures))
    return found[0]


def _fill_merged(sheet: Sheet, header_index: int, notes: list[str]) -> None:
    """A cell merged down over several rows shows its value on each of them in Excel: give
    each row that value (and say which cells). Merges across columns keep the value in the
    first (a banner across the sheet is a heading row, see :func:`.row_kinds.not_cases`)."""
    filled = 0
    ranges: list[str] = []
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= header_index or r1 == r0 or c1 != c0 or r0 >= len(sheet.rows):
            continue
        top = sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else ""
        before = filled
        for r in range(r0 + 1, min(r1, len(sheet.rows) - 1) + 1):
            row = sheet.rows[r]
            if c0 < len(row) and _is_blank(row[c0]):
                row[c0] = top
                filled += 1
        if filled > before:
            last = min(r1, len(sheet.rows) - 1)
            ranges.append(f"{column_letter(c0)}{r0 + 1}:{column_letter(c0)}{last + 1}")
    if filled:
        listed = ", ".join(ranges[:10]) + (
            f" and {len(ranges) - 10} more" if len(ranges) > 10 else ""
        )
        notes.append(
            f"{filled} cell(s) merged down over several rows: each row took the value ({listed})"
        )


def _row_checks(
    values: Mapping[str, object],
    seen: Mapping[str, int],
    number: int,
    sheet: str,
    ref_label: str,
    rec_label: str,
    length_labels: Mapping[str, str],
    found: Sequence[Problem],
) -> list[Problem]:
    """A row's whole-row problems: no reference or date received, a text too long to store,
    a reference already on an earlier row. ``found`` are its cell problems so far (a cell
    already refused is not also called empty)."""
    out: list[Problem] = []
    named = {p.column for p in found}
    reference = values.get("reference")
    if reference is None and ref_label not in named:
        out.append(
            Problem(sheet, number, ref_label, "", "is empty: every complaint needs its reference")
        )
    if values.get("received", 0) is None and rec_label not in named:
        reason = "is empty: every complaint needs the date it was received"
        out.append(Problem(sheet, number, rec_label, "", reason))
    for key, limit in MAX_LENGTHS.items():
        text = values.get(key)
        if isinstance(text, str) and len(text) > limit:
            reason = f"is {len(text)} characters long; the log keeps at most {limit}"
            out.append(Problem(sheet, number, length_labels[key], text, reason))
    if isinstance(reference, str) and reference in seen:
        reason = f"is also on row {seen[reference]}: each complaint may appear once"
        out.append(Problem(sheet, number, ref_label, reference, reason))
    return out


def read_log(
    workbook: Workbook,
    *,
    sheet_name: str | None = None,
    prefix: str | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read and validate the log in ``workbook`` (see the module docstring). Pure: no database.

    Raises :class:`ComplaintsError` when the file as a whole cannot be used (no header row, a
    column named twice, two candidate sheets); problems with rows are returned, not raised.
    """
    sheet, header = choose_sheet(workbook, sheet_name)
    match, header_index = header.match, header.last
    notes: list[str] = []
    _fill_merged(sheet, header_index, notes)
    rows = sheet.rows
    headers = list(header.cells)
    unknown: dict[int, str] = dict(match.unknown)
    drop_old_reasons(rows, header_index, unknown, notes)
    # Data under a blank header still has to be kept: name the column by its letter.
    for index in match.blank:
        if any(index < len(r) and not _is_blank(r[index]) for r in rows[header_index + 1 :]):
            unknown[index] = f"Column {column_letter(index)}"
    width = max((len(r) for r in rows[header_index + 1 :]), default=0)
    for index in range(len(headers), width):
        if any(index < len(r) and not _is_blank(r[index]) for r in rows[header_index + 1 :]):
            unknown[index] = f"Column {column_letter(index)}"
    unknown_items = sorted(unknown.items())
    labels = {i: _column_label(i, headers[i] if i < len(headers) else None) for i in range(width)}
    for index in match.columns:
        labels[index] = _column_label(index, headers[index])
    present = set(match.columns.values())
    fields = tuple(
        dict.fromkeys(
            PENCE_FIELDS.get(f, f)
            for col in (*COLUMNS, *EXTRA_COLUMNS)
            if col in present
            for f in col.fields
        )
    )
    index_of = {col: i for i, col in match.columns.items()}
    ref_label = labels[index_of[COLUMNS[0]]]
    rec_label = labels[index_of[COLUMNS[6]]]
    length_labels = {
        key: labels[i] for col, i in index_of.items() for key in MAX_LENGTHS if key in col.fields
    }
    parser = SheetParser(
        match.columns,
        epoch_1904=workbook.epoch_1904,
        prefix=prefix,
        store=True,
        epoch=workbook.epoch,
    )
    parsed: list[ParsedRow] = []
    rejected: list[RejectedRow] = []
    seen: dict[str, int] = {}
    mapped = set(match.columns) | {i for i, _ in unknown_items}
    unreadable: dict[int, list[tuple[int, str]]] = {}
    for (r, c), reason in sorted(sheet.unreadable.items()):
        if c in mapped:
            unreadable.setdefault(r, []).append((c, reason))
    name = sheet.name
    data = [i for i in range(header_index + 1, len(rows)) if not _blank_row(rows[i])]
    skipped = not_cases(rows, data, index_of[COLUMNS[0]], index_of[COLUMNS[6]])
    if skipped:
        gone = {i for i, _ in skipped}
        data = [i for i in data if i not in gone]
        listed = ", ".join(f"row {i + 1} {short(text)!r}" for i, text in skipped[:10])
        more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
        notes.append(
            f"skipped {len(skipped)} row(s) that are headings, notes or totals, not cases: "
            f"{listed}{more}"
        )
    data_rows = [rows[i] for i in data]
    kept = [
        [extra_value(r[i] if i < len(r) else None) for r in data_rows] for i, _ in unknown_items
    ]
    kept_rows = list(zip(*kept, strict=True)) if kept else [()] * len(data_rows)
    kept_headers = [h for _, h in unknown_items]
    for position, (values, errors) in enumerate(parser.parse(data_rows)):
        if progress is not None and position % 1000 == 999:
            progress(1000)
        index = data[position]
        row = data_rows[position]
        number = index + 1
        reference = values.get("reference")
        if (
            errors
            or index in unreadable
            or reference is None
            or reference in seen
            or values.get("received", 0) is None
        ):
            problems = [
                Problem(name, number, labels.get(c, column_letter(c)), "", reason)
                for c, reason in unreadable.get(index, ())
            ]
            problems += [
                Problem(name, number, labels[cell], value, reason) for cell, value, reason in errors
            ]
            problems += _row_checks(
                values, seen, number, name, ref_label, rec_label, length_labels, problems
            )
            if problems:
                if isinstance(reference, str):
                    seen.setdefault(reference, number)
                rejected.append(RejectedRow(number, list(row), problems))
                continue
        assert isinstance(reference, str)
        seen[reference] = number
        extra = dict(zip(kept_headers, kept_rows[position], strict=True))
        parsed.append(ParsedRow(number, reference, values, extra))
    for key in ("status", "stage"):
        if parser.defaulted.get(key):
            notes.append(
                f"{parser.defaulted[key]} blank {key.title()} cell(s) taken as {DEFAULTS[key]!r}"
            )
    return ReadResult(
        path=workbook.path,
        sha256=workbook.sha256,
        sheet=name,
        header_row=header.first + 1,
        headers=headers,
        match=match,
        rows=parsed,
        rejected=rejected,
        fields=fields,
        extra_keys=tuple(h for _, h in unknown_items),
        notes=notes,
    )


# --- step 2: the plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of one case that the file and the log disagree on."""

    field: str  #: model field, or ``extra:<header>`` for a kept unknown column
    column: str  #: the column's header, for people
    old: object
    new: object


@dataclass
class CaseUpdate:
    row: ParsedRow
    existing: dict[str, Any]
    changes: list[Change]


@dataclass
class Plan:
    adds: list[ParsedRow] = field(default_factory=list)
    updates: list[CaseUpdate] = field(default_factory=list)  #: applied (``--update``)
    conflicts: list[CaseUpdate] = field(default_factory=list)  #: reported, not applied
    unchanged: list[ParsedRow] = field(default_factory=list)


_FIELD_HEADER: Final = {
    **{f: c.header for c in EXTRA_COLUMNS for f in c.fields},
    **{f: c.header for c in COLUMNS for f in c.fields},
    "compensation_pence": COLUMNS[14].header,
    **{PENCE_FIELDS[f]: c.header for c in EXTRA_COLUMNS for f in c.fields if f in PENCE_FIELDS},
}


def stored_extra(text: object) -> dict[str, object]:
    """The ``extra`` column as a dict (it is JSON text, or NULL)."""
    if not text:
        return {}
    loaded = json.loads(str(text))
    return loaded if isinstance(loaded, dict) else {}


def _differs(old: object, new: object) -> bool:
    """Whether a stored value and a file's value differ (``1`` and ``True`` do; ``None`` and
    a value do)."""
    if old is None or new is None:
        return (old is None) != (new is None)
    if isinstance(old, datetime) and not isinstance(new, datetime):
        old = old.date()
    return bool(old != new) or (type(old) is not type(new) and not isinstance(old, date))


def diff_case(row: ParsedRow, existing: Mapping[str, Any], fields: Iterable[str]) -> list[Change]:
    """What the file would change in a stored case: only the columns the sheet has."""
    changes: list[Change] = []
    for name in fields:
        old, new = existing.get(name), row.values.get(name)
        if _differs(old, new):
            changes.append(Change(name, _FIELD_HEADER.get(name, name), old, new))
    kept = stored_extra(existing.get("extra"))
    for header, new in row.extra.items():
        old = kept.get(header)
        if _differs(old, new):
            changes.append(Change(f"extra:{header}", header, old, new))
    return changes


def make_plan(
    rows: Sequence[ParsedRow],
    existing: Mapping[str, Mapping[str, Any]],
    fields: Sequence[str],
    *,
    update: bool,
) -> Plan:
    """Sort the file's rows into adds, updates or conflicts, and unchanged. Pure."""
    plan = Plan()
    for row in rows:
        stored = existing.get(row.reference)
        if stored is None:
            plan.adds.append(row)
            continue
        changes = diff_case(row, stored, fields)
        if not changes:
            plan.unchanged.append(row)
        elif update:
            plan.updates.append(CaseUpdate(row, dict(stored), changes))
        else:
            plan.conflicts.append(CaseUpdate(row, dict(stored), changes))
    return plan


def describe_conflict(sheet: str, item: CaseUpdate) -> list[str]:
    """One line per differing column: ``SPRUCE003 (row 9) 'Status': log 'Open', file 'Closed'``."""
    out = []
    for ch in item.changes:
        out.append(
            f"{item.row.reference} (sheet {sheet!r}, row {item.row.row}) {ch.column!r}"
            + (f" [{ch.field}]" if not ch.field.startswith("extra:") else "")
            + f": log has {_show_change(ch.old)}, file has {_show_change(ch.new)}"
        )
    return out


def _show_change(value: object) -> str:
    if value is None:
        return "blank"
    if isinstance(value, date):
        return format_uk(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


# --- step 3: writing -----------------------------------------------------------------------------


@dataclass
class Outcome:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    folders_created: int = 0


def _json_default(value: object) -> object:
    """``json.dumps(default=...)``: only dates and money reach it, so the C encoder stays fast."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _changes_text(changes: Mapping[str, Sequence[object]]) -> str:
    """The history's ``changes`` JSON, the shape :func:`complaints_cli.store.writes.changes_json`
    writes (``{"field": [old, new]}``, sorted keys, ISO dates)."""
    return json.dumps(changes, ensure_ascii=False, sort_keys=True, default=_json_default)


def _extra_text(extra: Mapping[str, object]) -> str | None:
    if not extra:
        return None
    kept = {k: v for k, v in extra.items() if v is not None}
    return json.dumps(kept, ensure_ascii=False) if kept else None


def existing_folders(root: Path) -> dict[str, str]:
    """Reference (upper case) -> folder name, for the case folders already under ``root``.

    One directory listing for the whole import (``find_case_folder`` per case would list the
    root once per case).
    """
    from complaints_cli.files.folders import DASH

    out: dict[str, str] = {}
    try:
        entries = list(os.scandir(root))
    except OSError:
        return out
    for entry in entries:
        if not entry.is_dir():
            continue
        name = entry.name
        for sep in (f" {DASH} ", " - "):
            if sep in name:
                out.setdefault(name.rsplit(sep, 1)[1].strip().upper(), name)
                break
        else:
            out.setdefault(name.strip().upper(), name)
    return out


def insert_rows(
    session: Session, table: Any, names: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """``INSERT`` many rows in one ``executemany`` at the driver, in the session's transaction.

    Why not ``session.execute(table.insert(), rows)``: SQLAlchemy runs its bind processors on
    every value of every row, which took 4.4 of the 6.6 s a 100k-case import spent writing;
    the driver itself needs 1.8 s. The values here are already the stored types, so the only
    conversion SQLite needs is done here, once per column kind: dates and date-times to the
    text SQLAlchemy's SQLite dialect stores and reads back (``2025-02-03``,
    ``2025-02-03 10:48:25.168942``, UTC); psycopg adapts Python values itself.
    """
    from sqlalchemy import Date, DateTime

    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join([mark] * len(names))})"
    )
    getter = itemgetter(*names)
    if dialect.name != "sqlite":
        params: list[Any] = [getter(row) for row in rows]
        if len(names) == 1:
            params = [(p,) for p in params]
    else:
        kinds = [getattr(table.c[n].type, "impl", table.c[n].type) for n in names]
        stamps = [i for i, kind in enumerate(kinds) if isinstance(kind, DateTime)]
        dates = [i for i, kind in enumerate(kinds) if isinstance(kind, Date) and i not in stamps]
        params = []
        append = params.append
        iso: dict[date, str] = {}  # a log has a few thousand distinct days: convert each once
        for row in rows:
            values = list(getter(row)) if len(names) > 1 else [getter(row)]
            for i in dates:
                value = values[i]
                if value is not None:
                    text = iso.get(value)
                    if text is None:
                        text = iso[value] = value.isoformat()
                    values[i] = text
            for i in stamps:
                value = values[i]
                if value is not None:
                    values[i] = _sqlite_stamp(value)
            append(tuple(values))
    conn.exec_driver_sql(sql, params)


@lru_cache(maxsize=64)
def _sqlite_stamp(value: datetime) -> str:
    """A date-time as SQLAlchemy's SQLite dialect stores it: naive UTC, microseconds always.
    (Cached: an import stamps every row with the same moment.)"""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def load_existing(session: Session, references: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored cases with these references, locked for the rest of the transaction."""
    from sqlalchemy import exists, select

    from complaints_cli.store.models import Complaint

    table: Any = Complaint.__table__  # type: ignore[attr-defined]
    out: dict[str, dict[str, Any]] = {}
    if not session.execute(select(exists().where(table.c.id.is_not(None)))).scalar():
        return out  # an empty log (the first import): nothing to look up
    for start in range(0, len(references), 1000):
        chunk = list(references[start : start + 1000])
        stmt = select(table).where(table.c.reference.in_(chunk)).with_for_update()
        for row in session.execute(stmt).mappings():
            out[row["reference"]] = dict(row)
    _attach_linked(session, out)
    return out


def _attach_linked(session: Session, cases: dict[str, dict[str, Any]]) -> None:
    """Give each stored case its actions and its related case as the ``Actions`` and
    ``Related case`` columns read them (``None``: none), so a file's cells compare with them
    like any other field."""
    from sqlalchemy import select

    from complaints_cli.files.action_cells import action_from_row
    from complaints_cli.store.models import Action, Complaint

    table: Any = Action.__table__  # type: ignore[attr-defined]
    complaint: Any = Complaint.__table__  # type: ignore[attr-defined]
    by_id = {case["id"]: case for case in cases.values()}
    related_ids = {c["related_to_id"] for c in cases.values() if c.get("related_to_id")}
    references: dict[int, str] = {}
    if related_ids:
        stmt = select(complaint.c.id, complaint.c.reference).where(complaint.c.id.in_(related_ids))
        references = {i: r for i, r in session.execute(stmt).all()}
    for case in cases.values():
        case["related_to"] = references.get(case.get("related_to_id") or 0)
    found: dict[int, list[Any]] = {}
    ids = list(by_id)
    for start in range(0, len(ids), 1000):
        stmt = select(table).where(table.c.complaint_id.in_(ids[start : start + 1000]))
        for row in session.execute(stmt).mappings():
            found.setdefault(row["complaint_id"], []).append(action_from_row(dict(row)))
    for complaint_id, case in by_id.items():
        actions = found.get(complaint_id)
        case["actions"] = tuple(sorted(actions)) if actions else None


def _link_related(session: Session, links: Sequence[tuple[str, int, str]]) -> None:
    """Point each case (reference, row) at its related case by reference; the related case
    must be in the log by now (in the file or already there), else nothing is imported."""
    from sqlalchemy import select, update

    from complaints_cli.store.models import Complaint

    if not links:
        return
    table: Any = Complaint.__table__  # type: ignore[attr-defined]
    wanted = sorted({related for _, _, related in links})
    ids: dict[str, int] = {}
    for start in range(0, len(wanted), 1000):
        stmt = select(table.c.reference, table.c.id).where(
            table.c.reference.in_(wanted[start : start + 1000])
        )
        ids.update({r: i for r, i in session.execute(stmt).all()})
    for reference, row, related in links:
        if related not in ids:
            raise ComplaintsError(
                f"{reference} (row {row}) 'Related case': {related} is neither in the file nor "
                "in the log; nothing was imported"
            )
        if related == reference:
            raise ComplaintsError(
                f"{reference} (row {row}) 'Related case' names the case itself; nothing was "
                "imported"
            )
        session.execute(
            update(table).where(table.c.reference == reference).values(related_to_id=ids[related])
        )


def _write_actions(
    session: Session,
    complaint_id: int,
    new: Sequence[Any],
    stored: Sequence[Any] | None,
    now: datetime,
) -> None:
    """Insert the file's actions a case does not have, and update those whose number it has.
    An action the file lacks is kept: an import never deletes an action."""
    from sqlalchemy import insert, update

    from complaints_cli.store.models import Action

    table: Any = Action.__table__  # type: ignore[attr-defined]
    have = {a.number for a in stored or ()}
    for a in new:
        values = {
            "stage": a.stage,
            "kind": a.kind,
            "text": a.text,
            "owner": a.owner,
            "due": a.due,
            "done": a.done,
        }
        if a.number in have:
            session.execute(
                update(table)
                .where(table.c.complaint_id == complaint_id, table.c.number == a.number)
                .values(**values)
            )
        else:
            session.execute(
                insert(table).values(
                    complaint_id=complaint_id, number=a.number, created_at=now, **values
                )
            )


def apply_plan(
    store: Store,
    session: Session,
    plan: Plan,
    result: ReadResult,
    *,
    actor: str,
    root: Path | None,
    create_folders: bool,
    created: list[Path],
    progress: Progress | None = None,
) -> Outcome:
    """Write the plan in the caller's transaction. Folders it makes are appended to
    ``created`` so the caller can remove them if the transaction then fails."""
    from sqlalchemy import select, update

    from complaints_cli.files.folders import ensure_case_folder
    from complaints_cli.store.models import Complaint, HistoryEntry
    from complaints_cli.store.writes import utcnow

    table: Any = Complaint.__table__  # type: ignore[attr-defined]
    history: Any = HistoryEntry.__table__  # type: ignore[attr-defined]
    now = utcnow()
    note = f"imported from {result.path.name} (sha256 {result.sha256})"
    add_note = f"imported from {result.path.name} (sha256 {result.sha256}),"
    outcome = Outcome(unchanged=len(plan.unchanged), conflicts=len(plan.conflicts))
    folders = existing_folders(root) if root is not None else {}

    # Only the columns the sheet fills, the required ones and the bookkeeping are written:
    # every other column (the sheet lacks it, or a later migration added it) gets its default
    # or NULL from the database, and fewer columns bind faster (~20% of the insert's time).
    wanted = set(DEFAULTS) | set(result.fields)
    names = [c.name for c in table.columns if c.name in wanted]
    base: dict[str, Any] = {n: DEFAULTS.get(n) for n in names if n in DEFAULTS}
    names_with_stamps = list(
        dict.fromkeys([*names, "folder", "extra", "created_at", "updated_at", "row_version"])
    )
    history_rows: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    refs: list[str] = []
    notes_by_ref: dict[str, str] = {}
    actions_by_ref: dict[str, Any] = {}
    links: list[tuple[str, int, str]] = []

    def flush() -> None:
        # A plain executemany, then one query for the new ids: INSERT ... RETURNING with
        # executemany runs one statement per row on SQLite (5x slower at 100k rows).
        if not batch:
            return
        insert_rows(session, table, names_with_stamps, batch)
        found = session.execute(
            select(table.c.id, table.c.reference).where(table.c.reference.in_(refs))
        ).all()
        for complaint_id, reference in found:
            actions = actions_by_ref.pop(reference, None)
            if actions:
                _write_actions(session, complaint_id, actions, None, now)
            history_rows.append(
                {
                    "complaint_id": complaint_id,
                    "at": now,
                    "actor": actor,
                    "command": "import",
                    "changes": "{}",
                    "note": notes_by_ref.pop(reference),
                }
            )
        if progress is not None:
            progress(len(batch))
        batch.clear()
        refs.clear()

    # The highest number per prefix (references are stored as letters then digits).
    highest: dict[str, int] = {}
    for parsed in (*plan.adds, *(u.row for u in plan.updates), *plan.unchanged):
        ref = parsed.reference
        digits = len(ref) - len(ref.rstrip("0123456789"))
        if digits:
            prefix, number = ref[:-digits], int(ref[-digits:])
            if number > highest.get(prefix, -1):
                highest[prefix] = number
    # Before the inserts: a prefix's first counter row is seeded by scanning the references
    # already stored, which is cheap while the new cases are not there yet.
    for prefix, number in sorted(highest.items()):
        store.advance_counter(session, prefix, number)

    for parsed in plan.adds:
        values = parsed.values
        folder = folders.get(parsed.reference.upper())
        if folder is None and create_folders and root is not None:
            path, made = ensure_case_folder(
                root, str(values.get("address") or ""), parsed.reference
            )
            if made:
                created.append(path)
                outcome.folders_created += 1
            folder = path.name
        row = {
            **base,
            **values,
            "folder": folder,
            "extra": _extra_text(parsed.extra),
            "created_at": now,
            "updated_at": now,
            "row_version": 1,
        }
        # A new case's history entry names its source row; its values are the row's (every
        # later change records old and new). Listing each value as [null, value] too cost
        # ~1.5 s of a 100k-case import's ~10 s, for no information the case does not hold.
        notes_by_ref[parsed.reference] = f"{add_note} sheet {result.sheet!r} row {parsed.row}"
        if values.get("actions"):
            actions_by_ref[parsed.reference] = values["actions"]
        if values.get("related_to"):
            links.append((parsed.reference, parsed.row, str(values["related_to"])))
        batch.append(row)
        refs.append(parsed.reference)
        if len(batch) >= 5000:
            flush()
    flush()
    outcome.added = len(plan.adds)

    for item in plan.updates:
        stored = item.existing
        new_values: dict[str, Any] = {}
        history_changes: dict[str, tuple[object, object]] = {}
        kept = stored_extra(stored.get("extra"))
        extra_changed = False
        for ch in item.changes:
            if ch.field.startswith("extra:"):
                header = ch.field.removeprefix("extra:")
                if ch.new is None:
                    kept.pop(header, None)
                else:
                    kept[header] = ch.new
                extra_changed = True
            elif ch.field == "actions":
                old_actions = cast("tuple[ActionCell, ...]", ch.old or ())
                new_actions = cast("tuple[ActionCell, ...]", ch.new or ())
                _write_actions(session, stored["id"], new_actions, old_actions, now)
                history_changes[ch.field] = (
                    format_actions(old_actions),
                    format_actions(new_actions),
                )
                continue
            elif ch.field == "related_to":
                if ch.new is None:  # as with actions, an import never removes a link
                    continue
                links.append((item.row.reference, item.row.row, str(ch.new)))
            else:
                new_values[ch.field] = ch.new
            history_changes[ch.field] = (ch.old, ch.new)
        if extra_changed:
            new_values["extra"] = _extra_text(kept)
        new_values["updated_at"] = now
        new_values["row_version"] = int(stored["row_version"] or 0) + 1
        stmt = (
            update(table)
            .where(table.c.id == stored["id"])
            .where(table.c.row_version == stored["row_version"])
            .values(**new_values)
        )
        if session.execute(stmt).rowcount != 1:  # type: ignore[attr-defined]
            from complaints_cli.errors import ConflictError

            raise ConflictError(
                f"{item.row.reference} was changed by someone else during the import; "
                "nothing was imported: run it again"
            )
        history_rows.append(
            {
                "complaint_id": stored["id"],
                "at": now,
                "actor": actor,
                "command": "import",
                "changes": _changes_text(history_changes),
                "note": note,
            }
        )
    outcome.updated = len(plan.updates)
    _link_related(session, links)

    history_names = ["complaint_id", "at", "actor", "command", "changes", "note"]
    for start in range(0, len(history_rows), 5000):
        insert_rows(session, history, history_names, history_rows[start : start + 5000])

    return outcome


def unknown_columns_note(result: ReadResult) -> str | None:
    """``Kept 2 columns the log does not know: 'Notes', 'Column K'``."""
    if not result.extra_keys:
        return None
    listed = ", ".join(repr(h) for h in result.extra_keys)
    return f"kept {len(result.extra_keys)} column(s) the log does not know: {listed}"


__all__ = [
    "Change",
    "Outcome",
    "ParsedRow",
    "Plan",
    "Problem",
    "ReadResult",
    "RejectedRow",
    "SheetParser",
    "apply_plan",
    "bulk_work",
    "describe_conflict",
    "diff_case",
    "extra_value",
    "load_existing",
    "make_plan",
    "read_log",
]
