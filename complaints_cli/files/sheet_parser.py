"""Reading one sheet of a Complaints Log: each row's cells parsed into a case's values, or
rejected with every problem (sheet, row, column, value and reason).

Step 1 of the import (:mod:`complaints_cli.files.importer`): pure, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.dates import format_uk
from complaints_cli.domain.import_plan import (
    DEFAULTS,
    MAX_LENGTHS,
    PENCE_FIELDS,
    ParsedRow,
)
from complaints_cli.files.cell_basics import shown_number
from complaints_cli.files.cells import CellError, parse_column, parse_text
from complaints_cli.files.headers import (
    EXTRA_COLUMNS,
    ExtraColumn,
    HeaderMatch,
    column_letter,
)

if TYPE_CHECKING:
    pass

AnyColumn = Column | ExtraColumn
Progress = Callable[[int], None]

#: The fields an import never writes from a sheet: the tool's own bookkeeping.
_BOOKKEEPING: Final = frozenset({"id", "created_at", "updated_at", "row_version", "folder"})


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
    """A cell's value as the spreadsheet shows it: text quoted, numbers as typed (``4``, not
    ``4.0``), dates and times in ISO form, never Python's own spelling."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    number = shown_number(value)
    if number:
        return number
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..." + text[-1]  # repr's own quote


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


def column_label(index: int, header: object) -> str:
    text = " ".join(str(header).split()) if header not in (None, "") else ""
    return f"{column_letter(index)} {text!r}" if text else column_letter(index)


def _order(column: AnyColumn) -> tuple[int, int]:
    """The order :func:`.cells.parse_row` parses columns in (log columns first)."""
    if isinstance(column, Column):
        return 0, column.number
    return 1, EXTRA_COLUMNS.index(column)


_MISSING: Final = object()
#: The cells of a column looked at together (see :meth:`SheetParser._plain_column`).
_SLICE: Final = 4096


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
        plain = self._plain_column(column, cells)
        if plain is not None:
            parsed, out = plain
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

    def _plain_column(
        self, column: AnyColumn, cells: Sequence[object]
    ) -> tuple[dict[object, Any], list[Any]] | None:
        """``({distinct value: parsed}, each cell parsed)`` for a column of text, dates and
        blanks only (equal values parse alike, so a plain dict maps them), each distinct value
        parsed once, in the order it first appears; ``None`` for any other column, or one of
        more than :attr:`_LIMIT` distinct values (:meth:`_column` parses those by type and
        value, with a bounded cache).

        The column is taken in slices of :data:`_SLICE` cells, each found distinct and mapped
        while its cells are still in the processor's cache: two passes over a whole column
        of 100k cells missed the cache at every cell of each pass (26 columns at 100k rows:
        ~1.25 s against ~0.95 s, 2026-11-30). The types are read from the distinct values: a
        value of a plain type never equals one of another type (a str, a date, a datetime, a
        time, a timedelta, None), so a number, a bool or anything else in a slice keeps a key
        of its own type among them.
        """
        parsed: dict[object, Any] = {}
        out: list[Any] = []
        parse = self._parse_one
        for start in range(0, len(cells), _SLICE):
            part = cells[start : start + _SLICE]
            fresh = [value for value in dict.fromkeys(part) if value not in parsed]
            if fresh:
                if not _PLAIN_TYPES.issuperset(set(map(type, fresh))):
                    return None
                if len(parsed) + len(fresh) > self._LIMIT:
                    return None
                for value in fresh:
                    parsed[value] = parse(column, value)
            out += map(parsed.__getitem__, part)
        return parsed, out

    def _count_defaults(self, column: AnyColumn, cells: Sequence[object]) -> None:
        for f in column.fields:
            blanks = self._blank.get(f)
            if blanks:
                found = sum(1 for v in cells if (type(v), v) in blanks)
                self.defaulted[f] = self.defaulted.get(f, 0) + found

    def uncount_defaults(self, row: Sequence[object]) -> None:
        """Take back the defaults :attr:`defaulted` counted for ``row``, a row the importer
        refuses after all: its blank Status was never "taken as 'Open'" (a trial: the note
        was printed above the refusal of the very row it counted)."""
        for index, column in self.ordered:
            value = row[index] if index < len(row) else None
            for f in column.fields:
                blanks = self._blank.get(f)
                if blanks and (type(value), value) in blanks and self.defaulted.get(f):
                    self.defaulted[f] -= 1

    def parse(
        self, rows: Sequence[Sequence[object]]
    ) -> list[tuple[dict[str, object], list[tuple[int, object, str]]]]:
        """For each row: its values by field and its errors as ``(cell index, value, reason)``.

        A row with errors still gets the fields of the columns that parsed (as ``parse_row``).
        """
        return list(self.iter_parse(rows))

    def iter_parse(
        self, rows: Sequence[Sequence[object]]
    ) -> Iterator[tuple[dict[str, object], list[tuple[int, object, str]]]]:
        """:meth:`parse`, each row's values made as the caller takes them: every column is
        parsed first, then each row's dict is built and handed over while it is still in the
        processor's cache (the importer checks it at once; a list of 100k such dicts, ~220
        MB, was cold again by the time it was read)."""
        if not rows:
            return
        width = max(max(len(r) for r in rows), max(i for i, _ in self.ordered) + 1)
        padded = [r if len(r) == width else [*r, *([None] * (width - len(r)))] for r in rows]
        by_column = list(zip(*padded, strict=True))
        results: list[list[Any] | None] = []
        bad: set[int] = set()
        #: each field's values (flat columns only), a list per field in :attr:`names` order
        fields_of: list[Sequence[Any]] = []
        for (index, column), keep in zip(self.ordered, self.flat, strict=True):
            out, failed = self._column(column, by_column[index])
            bad.update(failed)
            if keep:
                fields_of += _by_field(out, len(column.fields), bool(failed))
            # A flat column with no refused cell is read from fields_of from here on: its
            # list of tuples is let go (the rows' dicts are made next: a lower peak).
            results.append(out if failed or not keep else None)
        del by_column
        flat = [r for r, keep in zip(results, self.flat, strict=True) if keep]
        flat_fields = [c.fields for (_, c), k in zip(self.ordered, self.flat, strict=True) if k]
        names = self.names
        # The columns sharing a field with an earlier one (never flat: their lists are kept).
        shared = [(pos, name, earlier, results[pos] or []) for pos, name, earlier in self.shared]
        # Rows where a later column sharing a field says something (or fails): only those
        # need the agreement check.
        active = {
            i
            for _pos, _name, _earlier, hits in shared
            for i, hit in enumerate(hits)
            if type(hit) is not tuple or hit[0] is not None
        }
        for i, row in enumerate(zip(*fields_of, strict=True)):
            errors: list[tuple[int, object, str]] = []
            if i not in bad:
                values = dict(zip(names, row, strict=True))
            else:
                # As parse_row: a column whose cell is refused contributes no fields.
                values = {}
                start = 0
                for hits_or_none, fields in zip(flat, flat_fields, strict=True):
                    stop = start + len(fields)
                    hit = row[start:stop] if hits_or_none is None else hits_or_none[i]
                    if type(hit) is tuple:
                        values.update(zip(fields, hit, strict=True))
                    start = stop
                for hits_or_none, (index, _column) in zip(results, self.ordered, strict=True):
                    if hits_or_none is not None and type(hits_or_none[i]) is not tuple:
                        errors.append((index, padded[i][index], hits_or_none[i].reason))
            for pos, name, earlier, hits in shared if (i in active or i in bad) else ():
                hit = hits[i]
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
                    reason = f"says {uk_text(hit[0])} but {header!r} says {uk_text(old)}"
                    errors.append((index, padded[i][index], reason))
            if len(errors) > 1:
                order = {index: pos for pos, (index, _c) in enumerate(self.ordered)}
                errors.sort(key=lambda e: order[e[0]])
            yield values, errors


def _by_field(out: Sequence[Any], width: int, failed: bool) -> list[Sequence[Any]]:
    """A column's parsed cells (a tuple of its ``width`` fields each, or a
    :class:`CellError`) as one list per field, made in C (a refused cell gives ``None``
    there: its row is rebuilt from the tuples, see :meth:`SheetParser.iter_parse`)."""
    if failed:
        blank = (None,) * width
        out = [hit if type(hit) is tuple else blank for hit in out]
    if width == 1:
        return [list(map(_FIRST, out))]
    return list(zip(*out, strict=True))


_FIRST: Final = itemgetter(0)

#: A reference exactly as the log writes it (``format_reference``), within the grammar's
#: bounds: a prefix of at most 12 letters, then three digits, or four to nine without a
#: leading zero (``SPRUCE0001`` is not: it is read as SPRUCE001; see domain/references).
_PLAIN_REFERENCE: Final = re.compile(r"[A-Z]{1,12}(?:[0-9]{3}|[1-9][0-9]{3,8})")
_PLAIN_TYPES: Final = frozenset({str, date, datetime, time, timedelta, type(None)})


def uk_text(value: object) -> str:
    """A value as a message shows it, in the log's words: a date in UK order, a Yes/No
    column's value as ``Yes`` or ``No`` (not ``True``/``False``), anything else as text."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
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


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def blank_row(row: Sequence[object]) -> bool:
    for value in row:
        if value is None or value == "" or (type(value) is str and not value.strip()):
            continue
        return False
    return True
