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
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.import_plan import (
    DEFAULTS,
    MAX_LENGTHS,
    PENCE_FIELDS,
    ParsedRow,
    imply_values,
    make_plan,
)
from complaints_cli.domain.order import order_findings
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.header_rows import HeaderRows, find_header
from complaints_cli.files.headers import (
    EXTRA_COLUMNS,
    ExtraColumn,
    HeaderError,
    column_letter,
)
from complaints_cli.files.row_kinds import drop_old_reasons, not_cases, short
from complaints_cli.files.sheet_parser import (
    Problem,
    ReadResult,
    RejectedRow,
    SheetParser,
    blank_row,
    column_label,
    extra_value,
    is_blank,
    uk_text,
)
from complaints_cli.files.struck import STRUCK, first_struck

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
        hidden = workbook.hidden_sheets
        names = [repr(s.name) + (" (hidden)" if s.name in hidden else "") for s, _ in found]
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        each = "both" if len(found) == 2 else "each"
        raise ComplaintsError(
            f"sheets {listed} {each} look like a complaints log: import one sheet at a time "
            f"with --sheet (--sheet {found[0][0].name!r}, then the next)"
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
            if c0 < len(row) and is_blank(row[c0]):
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
    above: int | None = None,
) -> list[Problem]:
    """A row's whole-row problems: no reference or date received, a text too long to store,
    a reference already on an earlier row. ``found`` are its cell problems so far (a cell
    already refused is not also called empty). ``above`` is the number of the sheet's row
    read before this one: a row with neither reference nor date received is most likely the
    rest of that row's case, split over two rows, and one line says so."""
    out: list[Problem] = []
    named = {p.column for p in found}
    reference = values.get("reference")
    neither = reference is None and values.get("received", 0) is None
    if neither and above is not None and not {ref_label, rec_label} & named:
        reason = (
            f"is empty, and so is column {rec_label}: if this row continues the case on row "
            f"{above}, move its cells into that row and delete this one; if it is a complaint "
            "of its own, give it its reference and date received"
        )
        out.append(Problem(sheet, number, ref_label, "", reason))
        return out
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
        if any(index < len(r) and not is_blank(r[index]) for r in rows[header_index + 1 :]):
            unknown[index] = f"Column {column_letter(index)}"
    width = max((len(r) for r in rows[header_index + 1 :]), default=0)
    for index in range(len(headers), width):
        if any(index < len(r) and not is_blank(r[index]) for r in rows[header_index + 1 :]):
            unknown[index] = f"Column {column_letter(index)}"
    unknown_items = sorted(unknown.items())
    labels = {i: column_label(i, headers[i] if i < len(headers) else None) for i in range(width)}
    for index in match.columns:
        labels[index] = column_label(index, headers[index])
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
    for r, c in first_struck(sheet.struck, mapped).items():
        unreadable.setdefault(r, []).append((c, STRUCK))
    name = sheet.name
    data = [i for i in range(header_index + 1, len(rows)) if not blank_row(rows[i])]
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
    for position, (values, errors) in enumerate(parser.iter_parse(data_rows)):
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
                Problem(
                    name,
                    number,
                    labels.get(c, column_letter(c)),
                    row[c] if reason is STRUCK and c < len(row) else "",
                    reason,
                )
                for c, reason in unreadable.get(index, ())
            ]
            problems += [
                Problem(name, number, labels[cell], value, reason) for cell, value, reason in errors
            ]
            above = data[position - 1] + 1 if position else None
            problems += _row_checks(
                values, seen, number, name, ref_label, rec_label, length_labels, problems, above
            )
            if problems:
                if isinstance(reference, str):
                    seen.setdefault(reference, number)
                rejected.append(RejectedRow(number, list(row), problems))
                parser.uncount_defaults(row)
                continue
        assert isinstance(reference, str)
        seen[reference] = number
        order = order_findings(values, today)
        if values.get("signatories"):
            order += _signatory_findings(values, today)
        if order:
            rejected.append(
                RejectedRow(
                    number,
                    list(row),
                    [
                        Problem(name, number, date_labels.get(f, f), _shown(values.get(f)), m)
                        for f, m in order
                    ],
                )
            )
            parser.uncount_defaults(row)
            continue
        imply_values(values, fields)
        extra = dict(zip(kept_headers, kept_rows[position], strict=True))
        parsed.append(ParsedRow(number, reference, values, extra))
    for key in ("status", "stage"):
        if parser.defaulted.get(key):
            notes.append(
                f"{parser.defaulted[key]} blank {key.title()} cell(s) taken as {DEFAULTS[key]!r}"
            )
    missing = _people_missing(present, kept_headers)
    if missing and parsed:
        notes.append(missing)
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


#: The columns ``log`` asks for that an import may lack: without them the cases come in blank.
_PEOPLE: Final = (COLUMNS[3], COLUMNS[4], COLUMNS[5])


def _people_missing(present: Collection[object], kept: Sequence[str]) -> str:
    """The note for a sheet with no Handler, Complainant or Address column (a heading the
    import did not recognise, such as ``Name`` or ``Officer``): its cases come in without
    them, which a note listing the kept columns alone does not say. ``""`` when all are
    there."""
    lacking = [c.header for c in _PEOPLE if c not in present]
    if not lacking:
        return ""
    note = (
        f"no {' or '.join(repr(h) for h in lacking)} column found: the cases are imported without"
    )
    note += " one" if len(lacking) == 1 else " them"
    if kept:
        listed = ", ".join(repr(h) for h in kept[:10])
        note += (
            f"; if a column the log does not know ({listed}) holds it, rename its heading to"
            " the log's and import again"
        )
    return note


def _signatory_findings(values: Mapping[str, object], today: date | None) -> list[tuple[str, str]]:
    """:func:`complaints_cli.domain.process.signatory_findings` (imported only for a row
    with signatories: the process rules bring the profiles, which most imports never need)."""
    from complaints_cli.domain.process import signatory_findings

    return signatory_findings(values, today)


def _shown(value: object) -> str:
    """A value a whole-row finding names: a date in UK order, a Yes/No as Yes or No; a list
    (the signatories) is not repeated, the message names the one at fault."""
    return "" if isinstance(value, tuple) else uk_text(value)


def unknown_columns_note(result: ReadResult) -> str | None:
    """``Kept 2 columns the log does not know: 'Notes', 'Column K'``."""
    if not result.extra_keys:
        return None
    listed = ", ".join(repr(h) for h in result.extra_keys)
    return f"kept {len(result.extra_keys)} column(s) the log does not know: {listed}"


#: Each stored field's column header, for people (log columns win over the tool's own).
#: The part of a column a field holds, where a column holds more than one (the messages
#: name it: ``'Met HOS acknowledgment timeframe' (its explanation)``, not the column alone).
_PARTS: Final = {
    "ack_met_note": "its explanation",
    "stage1_met_note": "its explanation",
    "stage2_met_note": "its explanation",
    "stage1_extension_reason": "the reason",
    "stage2_extension_reason": "the reason",
    "stage1_extended_to": "the new date",
    "stage2_extended_to": "the new date",
    "compensation_reasons": "the reasons",
    "stage2_compensation_reasons": "the reasons",
    "review_type": "the review type",
}


def _header(column: Column | ExtraColumn, field: str) -> str:
    part = _PARTS.get(field) if field != column.fields[0] else None
    return f"{column.header} ({part})" if part else column.header


FIELD_HEADERS: Final = {
    **{f: _header(c, f) for c in EXTRA_COLUMNS for f in c.fields},
    **{PENCE_FIELDS[f]: c.header for c in EXTRA_COLUMNS for f in c.fields if f in PENCE_FIELDS},
    **{f: _header(c, f) for c in COLUMNS for f in c.fields},
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
