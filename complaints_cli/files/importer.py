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
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.import_plan import (
    DEFAULTS,
    MAX_LENGTHS,
    PENCE_FIELDS,
    ParsedRow,
    make_plan,
)
from complaints_cli.domain.order import order_findings
from complaints_cli.errors import ComplaintsError
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
    from complaints_cli.files.spreadsheet import Sheet, Workbook

AnyColumn = Column | ExtraColumn
Progress = Callable[[int], None]

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


#: A reference exactly as the log writes it, within the grammar's bounds (a prefix of at most
#: 12 letters, a number of at most 12 digits: see domain/references).
_PLAIN_REFERENCE: Final = re.compile(r"[A-Z]{1,12}[0-9]{3,12}")
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
    today: date | None = None,
) -> ReadResult:
    """Read and validate the log in ``workbook`` (see the module docstring). Pure: no database.

    Each row's dates are checked as the commands check them (:func:`order_findings`: the
    order of events, and none after ``today``), so an import never records what ``log`` and
    the lifecycle commands refuse.

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
    date_labels = {f: labels[i] for col, i in index_of.items() for f in col.fields}
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
        order = order_findings(values, today)
        if order:
            rejected.append(
                RejectedRow(
                    number,
                    list(row),
                    [
                        Problem(name, number, date_labels.get(f, f), _uk(values.get(f)), m)
                        for f, m in order
                    ],
                )
            )
            continue
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


def unknown_columns_note(result: ReadResult) -> str | None:
    """``Kept 2 columns the log does not know: 'Notes', 'Column K'``."""
    if not result.extra_keys:
        return None
    listed = ", ".join(repr(h) for h in result.extra_keys)
    return f"kept {len(result.extra_keys)} column(s) the log does not know: {listed}"


#: Each stored field's column header, for people (log columns win over the tool's own).
FIELD_HEADERS: Final = {
    **{f: c.header for c in EXTRA_COLUMNS for f in c.fields},
    **{PENCE_FIELDS[f]: c.header for c in EXTRA_COLUMNS for f in c.fields if f in PENCE_FIELDS},
    **{f: c.header for c in COLUMNS for f in c.fields},
    "compensation_pence": COLUMNS[14].header,
}


def existing_folders(root: Path) -> dict[str, str]:
    """Reference (upper case) -> folder name, for the case folders already under ``root``
    (one listing for a whole import; see :func:`complaints_cli.files.folders.case_folders`)."""
    from complaints_cli.files.folders import case_folders

    by_ref, _strays = case_folders(root)
    return {ref: names[0] for ref, names in by_ref.items()}


__all__ = [
    "FIELD_HEADERS",
    "ParsedRow",
    "Problem",
    "ReadResult",
    "RejectedRow",
    "SheetParser",
    "bulk_work",
    "existing_folders",
    "extra_value",
    "make_plan",
    "read_log",
    "unknown_columns_note",
]
