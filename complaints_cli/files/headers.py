"""Recognising the header row of a Complaints Log spreadsheet.

Real logs rename their columns a little: ``Complaint ref`` for ``Complaints reference``,
``Date received`` for ``Complaint received``, ``Acknowledgement`` spelt with or without its
``e``, a ``?`` here and a double space there. :func:`match_headers` maps each header cell to
one of the log's 24 columns (:data:`complaints_cli.domain.columns.COLUMNS`), to one of the
tool's own export columns (:data:`EXTRA_COLUMNS`), or leaves it *unknown* so the importer can
keep it.

How a header is matched
-----------------------
A header is reduced to a *key*: the set of its words after lower-casing, removing punctuation,
``(Y/N)`` and ``(dd/mm/yyyy)`` hints, spelling variants (``acknowledgement`` ->
``acknowledgment``, ``organizational`` -> ``organisational``, ``recieved`` -> ``received``,
``ref`` -> ``reference``, ``S2``/``Stage2``/``Stage two`` -> ``stage 2``, ``time frame`` /
``timescale`` -> ``timeframe``, a few plurals) and filler words (``the``, ``a``, ``an``,
``was``, ``is``, ``of``, ``and``, ``has``, ``been``, ``HOS``, ``code``). Word order does not
matter: ``Date received`` and ``Received date`` have the same key.

The key must then equal the key of one of a column's listed aliases *exactly*. There is no
fuzzy or partial matching, so the three "met timeframe" columns (10, 13, 22) and the four
date columns (8, 11, 17, 20) can never be confused: ``Timeframe met?`` or ``Date`` alone name
no column and stay unknown, and the alias table is checked when this module loads so that no
key belongs to two columns.

Conventions, following the procedure's own headers: an unqualified ``response``,
``extension`` or ``handler`` is Stage 1 (``Extension required`` is column 12, ``Handler`` is
column 4); Stage 2 columns always say ``Stage 2`` (or ``S2``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from complaints_cli.domain.columns import COLUMNS, Column
from complaints_cli.domain.presentation import field_label
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.header_aliases import COLUMN_ALIASES, EXTRA_ALIASES

ExtraKind = Literal[
    "channel",
    "date",
    "review_type",
    "text",
    "yesno",
    "money",
    "case_kind",
    "actions",
    "signatories",
    "reference",
    "tenure",
    "outcome",
    "ombudsman_body",
]


@dataclass(frozen=True)
class ExtraColumn:
    """One of the tool's own columns, exported after the 24 columns of the log."""

    header: str
    kind: ExtraKind
    #: The stored field(s) of :class:`complaints_cli.store.models.Complaint`.
    fields: tuple[str, ...]
    #: Personal and sensitive (vulnerability): exported only with ``--include-sensitive``;
    #: always read on import when the sheet has it.
    sensitive: bool = False


def _own(kind: ExtraKind, *fields: str, sensitive: bool = False) -> ExtraColumn:
    """One of the tool's own columns, headed with its first field's words
    (:func:`complaints_cli.domain.presentation.field_label`, the one owner of them: the
    history names a change with the same words); an amount's column says ``& reasons``."""
    header = field_label(fields[0]) + (" & reasons" if kind == "money" else "")
    return ExtraColumn(header, kind, fields, sensitive)


#: The tool's own export columns that carry data, in export order.
EXTRA_COLUMNS: tuple[ExtraColumn, ...] = (
    _own("channel", "channel"),
    _own("date", "closed"),
    _own("date", "stage1_extended_to"),
    _own("date", "stage2_extended_to"),
    _own("review_type", "review_type"),
    # The lifecycle beyond the 24 columns (migration 0002), so a round trip keeps it.
    _own("date", "stage2_acknowledged"),
    _own("date", "last_update"),
    _own("ombudsman_body", "ombudsman_body"),
    _own("date", "ombudsman_referred"),
    _own("date", "ombudsman_requested"),
    _own("date", "ombudsman_evidence_sent"),
    _own("text", "close_reason"),
    # Whether the resident was told of an extension (with the Ombudsman's details, Code 6.5),
    # and the compensation decided at Stage 2 (column 15 holds Stage 1's).
    _own("yesno", "stage1_extension_told"),
    _own("yesno", "stage2_extension_told"),
    _own("money", "stage2_compensation_amount", "stage2_compensation_reasons"),
    # The whole process (migration 0004).
    _own("case_kind", "kind"),
    _own("text", "not_accepted_reason"),
    _own("date", "not_accepted_told"),
    _own("date", "events_date"),
    _own("date", "informal_received"),
    _own("date", "informal_responded"),
    _own("date", "converted_from_informal"),
    _own("text", "folded_issues"),
    _own("date", "panel_meeting"),
    _own("date", "ombudsman_determined"),
    _own("text", "ombudsman_findings"),
    # The case's actions (their own table), one a line: see complaints_cli.files.action_cells.
    _own("actions", "actions"),
    # The case this one was raised from as a new issue (Code 6.8), by its reference.
    _own("reference", "related_to"),
    # The shared ground of migration 0005: category and tenure, each stage's outcome, a
    # withdrawal, a void (and the case it duplicates, by its reference), when each extension
    # was agreed and the resident told, when compensation was paid, a refused escalation,
    # when the learning was sent.
    _own("text", "category"),
    _own("tenure", "tenure"),
    _own("outcome", "stage1_outcome"),
    _own("outcome", "stage2_outcome"),
    _own("date", "withdrawn"),
    _own("text", "withdrawn_reason"),
    _own("date", "voided"),
    _own("text", "void_reason"),
    _own("reference", "duplicate_of"),
    _own("date", "stage1_extension_agreed"),
    _own("date", "stage1_extension_told_on"),
    _own("date", "stage2_extension_agreed"),
    _own("date", "stage2_extension_told_on"),
    _own("date", "compensation_paid"),
    _own("date", "stage2_compensation_paid"),
    _own("date", "stage2_refused"),
    _own("text", "stage2_refused_reason"),
    _own("date", "stage2_refusal_told"),
    _own("date", "learning_sent"),
    # A petition's signatories (their own table), one a line: see
    # complaints_cli.files.signatory_cells.
    _own("signatories", "signatories"),
    _own("yesno", "vulnerable", sensitive=True),
    _own("text", "contact_preference", sensitive=True),
    _own("text", "adjustments", sensitive=True),
    _own("text", "vulnerability_notes", sensitive=True),
)

#: The tool's own bookkeeping columns (timestamps it writes on export). They are recognised so
#: that re-importing an export does not keep them as unknown columns (and export them twice);
#: the importer ignores their values, the tool sets its own.
TOOL_COLUMNS: tuple[str, ...] = ("Created", "Updated")

#: The column ``import --skip-invalid`` adds to the rejected-rows workbook, saying why each row
#: was refused: recognised and left out when the fixed workbook is imported.
REJECTED_BECAUSE = "Rejected because"

AnyColumn = Column | ExtraColumn

#: A header row qualifies when it has the reference and date-received columns and at least
#: this many of the 24 columns in all (or when every non-blank cell in it is recognised).
MIN_HEADER_COLUMNS = 4

REFERENCE = COLUMNS[0]
RECEIVED = COLUMNS[6]
REQUIRED: tuple[Column, ...] = (REFERENCE, RECEIVED)


class HeaderError(ComplaintsError):
    """The header row cannot be used: a required column is missing or one appears twice."""


# --- normalisation -----------------------------------------------------------------------

_HINTS = (
    # "(Y/N)", "Yes/No"
    re.compile(r"\(?\s*\b(?:y\s*/\s*n|yes\s*/\s*no)\b\s*\)?"),
    # "(dd/mm/yyyy)", "DD-MM-YY"
    re.compile(r"\(?\s*\bdd\s*[/.\-]\s*mm\s*[/.\-]\s*yy(?:yy)?\b\s*\)?"),
)
_STAGE = re.compile(r"\b(?:stage|stg|s)\s*[\-.]?\s*(1|2|one|two)\b")
_NOT_WORD = re.compile(r"[\W_]+")

_SYNONYMS: dict[str, str] = {
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgment",
    "acknowledgments": "acknowledgment",
    "ack": "acknowledgment",
    "ackd": "acknowledged",
    "organizational": "organisational",
    "recieved": "received",
    "recd": "received",
    "ref": "reference",
    "num": "number",
    "learnt": "learned",
    "timescale": "timeframe",
    "timescales": "timeframe",
    "timeframes": "timeframe",
    "complaints": "complaint",
    "complainants": "complainant",
    "reasons": "reason",
    "details": "detail",
    "dates": "date",
    "lessons": "lesson",
    "one": "1",
    "two": "2",
}
_FILLERS = frozenset(
    {"the", "a", "an", "was", "is", "of", "and", "has", "been", "hos", "code", "s"}
)


def header_key(text: str) -> frozenset[str]:
    """Reduce a header to the set of words it is matched by (see the module docstring).

    >>> sorted(header_key("Met HOS Acknowledgement Time-frame?"))
    ['acknowledgment', 'met', 'timeframe']
    """
    s = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    s = s.replace("'", "")
    for hint in _HINTS:
        s = hint.sub(" ", s)
    s = s.replace("&", " and ").replace("+", " and ").replace("#", " number ")
    s = _STAGE.sub(lambda m: " stage " + {"one": "1", "two": "2"}.get(m[1], m[1]) + " ", s)
    words = _NOT_WORD.sub(" ", s).split()
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        if word == "time" and following in {"frame", "frames", "scale", "scales"}:
            out.append("timeframe")
            i += 2
            continue
        out.append(_SYNONYMS.get(word, word))
        i += 1
    return frozenset(w for w in out if w not in _FILLERS)


# --- the alias table -----------------------------------------------------------------------

_Target = Column | ExtraColumn | str  # a str is one of TOOL_COLUMNS


def _build_aliases() -> dict[frozenset[str], _Target]:
    table: dict[frozenset[str], _Target] = {}

    def add(alias: str, target: _Target) -> None:
        key = header_key(alias)
        if not key:
            raise RuntimeError(f"header alias {alias!r} has no words left after normalising")
        other = table.setdefault(key, target)
        if other != target:
            raise RuntimeError(f"header alias {alias!r} would match two columns")

    for column in COLUMNS:
        add(column.header, column)
        for alias in COLUMN_ALIASES.get(column.number, ()):
            add(alias, column)
    for extra in EXTRA_COLUMNS:
        add(extra.header, extra)
        for alias in EXTRA_ALIASES.get(extra.fields[0], ()):
            add(alias, extra)
    for tool in (*TOOL_COLUMNS, REJECTED_BECAUSE):
        add(tool, tool)
    return table


_ALIASES: dict[frozenset[str], _Target] = _build_aliases()
_ALIAS_SHAPES: list[tuple[str, str]] = []  # filled on first use (only a failed header needs it)


def _display(target: _Target) -> str:
    return target if isinstance(target, str) else target.header


def _shape(text: str) -> str:
    """A header's words, sorted, for comparing by likeness (word order does not count)."""
    return " ".join(sorted(header_key(text)))


def _alias_shapes() -> list[tuple[str, str]]:
    shapes: dict[str, str] = {}
    for column in COLUMNS:
        for alias in (column.header, *COLUMN_ALIASES.get(column.number, ())):
            shapes.setdefault(_shape(alias), column.header)
    for extra in EXTRA_COLUMNS:
        for alias in (extra.header, *EXTRA_ALIASES.get(extra.fields[0], ())):
            shapes.setdefault(_shape(alias), extra.header)
    return list(shapes.items())


def nearest_header(header: object) -> str | None:
    """The known header most like ``header`` (a typing slip: ``Complaint Refrence`` ->
    ``Complaints reference``), or ``None`` when none is close (difflib's ratio of their words,
    in order, under 0.8: typing slips score over 0.9, different headers under 0.8)."""
    import difflib

    if not _ALIAS_SHAPES:
        _ALIAS_SHAPES.extend(_alias_shapes())
    text = _cell_text(header)
    if not text:
        return None
    shape = _shape(text) or text.lower()
    best, score = None, 0.8
    for alias, display in _ALIAS_SHAPES:
        ratio = difflib.SequenceMatcher(None, shape, alias).ratio()
        if ratio > score:
            best, score = display, ratio
    return best


def recognise(header: object) -> Column | ExtraColumn | str | None:
    """The column a single header names: a :class:`Column`, an :class:`ExtraColumn`, the name
    of a :data:`TOOL_COLUMNS` entry, or ``None`` when it names nothing we know."""
    text = _cell_text(header)
    if not text:
        return None
    return _ALIASES.get(header_key(text))


# --- matching a row ------------------------------------------------------------------------


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index: 0 -> ``A``, 26 -> ``AA``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


@dataclass(frozen=True)
class Duplicate:
    """Two or more header cells that name the same column."""

    column: AnyColumn
    #: (0-based cell index, header as written), in sheet order.
    cells: tuple[tuple[int, str], ...]

    def message(self) -> str:
        """``columns G ('Complaint received') and H ('Date received') both mean ...``."""
        named = [f"{column_letter(i)} ({text!r})" for i, text in self.cells]
        listed = ", ".join(named[:-1]) + " and " + named[-1]
        return (
            f"columns {listed} both mean {self.column.header!r}: "
            "rename or remove one of them so the import knows which to use"
        )


@dataclass(frozen=True)
class HeaderMatch:
    """How one header row maps onto the log's columns.

    Every index is the 0-based position of the cell in the row (``A`` is 0).
    """

    #: cell index -> the column it holds (one of the 24, or an :data:`EXTRA_COLUMNS` entry).
    #: For a duplicated column only its first cell is here; see :attr:`duplicates`.
    columns: Mapping[int, AnyColumn]
    #: cell index -> header as written, for headers that name no column we know. The importer
    #: keeps these columns' values and exports them back.
    unknown: Mapping[int, str]
    #: cell index -> the :data:`TOOL_COLUMNS` name (``Created``/``Updated``), ignored on import.
    tool: Mapping[int, str] = field(default_factory=dict)
    #: Columns named by more than one cell (an error).
    duplicates: tuple[Duplicate, ...] = ()
    #: Indices of blank header cells (within the row's length); data under them has no name.
    blank: tuple[int, ...] = ()

    @property
    def missing(self) -> tuple[Column, ...]:
        """The log's columns (of the 24) that no header names, in column order."""
        present = set(self.columns.values())
        return tuple(c for c in COLUMNS if c not in present)

    @property
    def log_columns(self) -> int:
        """How many of the 24 columns the row names."""
        return sum(isinstance(c, Column) for c in self.columns.values())

    def index_of(self, column: AnyColumn) -> int | None:
        """The cell index holding ``column``, or ``None`` when the sheet has no such column."""
        for index, found in self.columns.items():
            if found == column:
                return index
        return None

    def problems(self) -> list[str]:
        """Everything that stops the row being used as the header row, as sentences."""
        out = [dup.message() for dup in self.duplicates]
        absent = [c for c in REQUIRED if c in self.missing]
        if absent:
            names = " and ".join(repr(c.header) for c in absent)
            out.append(
                f"the header row has no {names} column: every complaint needs its reference "
                "and the date it was received (headers such as 'Complaints reference' or "
                "'Ref', and 'Complaint received' or 'Date received')"
            )
        return out

    def check(self) -> HeaderMatch:
        """Raise :class:`HeaderError` listing every problem; return ``self`` when none."""
        problems = self.problems()
        if problems:
            raise HeaderError("; ".join(problems))
        return self

    def cells(self, row: Sequence[object]) -> dict[AnyColumn, object]:
        """The row's cells keyed by column (a cell past the row's end is ``None``)."""
        return {column: _at(row, i) for i, column in self.columns.items()}

    def unknown_cells(self, row: Sequence[object]) -> list[tuple[str, object]]:
        """(header, value) for each unknown column, in sheet order."""
        return [(text, _at(row, i)) for i, text in sorted(self.unknown.items())]


def _at(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def match_headers(row: Sequence[object], *, strict: bool = True) -> HeaderMatch:
    """Map a header row's cells to the log's columns.

    With ``strict`` (the default), raise :class:`HeaderError` when two cells name the same
    column (naming both) or when the reference or date-received column is missing; with
    ``strict=False`` return the match regardless, problems included.
    """
    columns: dict[int, AnyColumn] = {}
    unknown: dict[int, str] = {}
    tool: dict[int, str] = {}
    blank: list[int] = []
    seen: dict[AnyColumn, list[tuple[int, str]]] = {}
    for index, cell in enumerate(row):
        text = _cell_text(cell)
        if not text:
            blank.append(index)
            continue
        target = _ALIASES.get(header_key(text))
        if target is None:
            unknown[index] = text
        elif isinstance(target, str):
            tool[index] = target
        else:
            cells = seen.setdefault(target, [])
            if not cells:
                columns[index] = target
            cells.append((index, text))
    duplicates = tuple(
        Duplicate(col, tuple(cells)) for col, cells in seen.items() if len(cells) > 1
    )
    match = HeaderMatch(
        columns=columns, unknown=unknown, tool=tool, duplicates=duplicates, blank=tuple(blank)
    )
    return match.check() if strict else match


def _qualifies(match: HeaderMatch) -> bool:
    if any(c in match.missing for c in REQUIRED):
        return False
    return match.log_columns >= MIN_HEADER_COLUMNS or not match.unknown


def near_miss(where: str, match: HeaderMatch) -> str:
    """Why the row that came closest is not the header row: what it has, what it lacks, and
    each header it did not recognise with the nearest known one (at most ten)."""
    named = ", ".join(repr(c.header) for c in match.columns.values() if isinstance(c, Column))
    lacking = " and ".join(repr(c.header) for c in REQUIRED if c in match.missing)
    if lacking:
        reason = f"but has no {lacking} column"
    else:
        reason = "but too few of the log's columns to be sure it is the header row"
    message = f"no header row found: {where} looks like one (it has {named}) {reason}"
    unknown = sorted(match.unknown.items())
    if unknown:
        listed = []
        for index, text in unknown[:10]:
            near = nearest_header(text)
            hint = f"nearest known header {near!r}" if near else "no known header is close"
            listed.append(f"{column_letter(index)} {text!r} ({hint})")
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        message += "; columns not recognised: " + ", ".join(listed) + more
    return message


def find_header_row(
    rows: Iterable[Sequence[object]], max_scan: int = 30
) -> tuple[int, HeaderMatch]:
    """Find the header row below any title rows; return its 0-based index and its match.

    The header row is the first of the first ``max_scan`` rows that names the reference and
    date-received columns and at least :data:`MIN_HEADER_COLUMNS` of the 24 columns in all
    (or names those two and nothing unknown, for a small sheet). Raises :class:`HeaderError`
    when no row qualifies (saying which row came closest and what it lacks), or when the
    header row names a column twice. Row numbers in messages count from 1, as Excel does.
    """
    best: tuple[int, HeaderMatch] | None = None
    for index, row in enumerate(rows):
        if index >= max_scan:
            break
        match = match_headers(row, strict=False)
        if _qualifies(match):
            try:
                return index, match.check()
            except HeaderError as err:
                raise HeaderError(f"header row {index + 1}: {err}") from None
        if match.log_columns and (best is None or match.log_columns > best[1].log_columns):
            best = (index, match)
    if best is not None and best[1].log_columns >= 2:
        raise HeaderError(near_miss(f"row {best[0] + 1}", best[1]))
    raise HeaderError(
        f"no header row found in the first {max_scan} rows: expected headers such as "
        "'Complaints reference', 'Status', 'Stage' and 'Complaint received'"
    )
