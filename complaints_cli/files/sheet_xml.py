"""What a sheet's XML holds before the reader builds its grid: extent and unreadable cells.

python-calamine builds each sheet as a dense grid from cell ``A1`` to the last cell with
content, so one cell at ``XFD1048576`` in a 2 KB file asks for hundreds of gigabytes. This
module finds, from the same bytes the reader will read, how large that grid will be (its
*extent*: the highest row and column holding content, 0-based) and which cells the reader
cannot give a value for (a formula with no saved result, an error value such as ``#N/A``).

Two ways, one fast and one exact:

* :class:`PartScan` runs over every chunk of every XML part while the zip is streamed (the
  checks of :mod:`.spreadsheet`), with byte searches that cost little on the usual file. It
  sees each ``r`` attribute written the usual way (`` r="AB12"``, a space before, double
  quotes, letters then digits) and records those far out (three letters, a first letter past
  J, six or more digits); and it marks the part *unusual* when anything could hide a cell from
  those searches: an ``r`` attribute written another way (single quotes, tabs or line breaks,
  spaces around ``=``, an entity), a cell without ``r`` first (placed by counting, as OOXML
  allows), a cell element with a namespace prefix. It also notes a DTD in the part's prolog
  and whether there are formulas or error cells to look at.
* :func:`parse_xlsx_sheet` parses the part with a streaming XML parser (expat) and places
  every cell as calamine does (``r`` when present, else the row's ``r`` and a column count),
  giving the exact extent and the unreadable cells. It runs when the fast scan found the part
  unusual, or when its bound is past the memory budget.

OpenDocument's ``content.xml`` is always parsed (:mod:`.ods_content`): its repeated
rows and columns (``number-rows-repeated``) place cells far away with few bytes, its merged
cells are not reported by the reader, and its date system (``table:null-date``) is there.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

#: ``(row, col)`` 0-based -> why the cell has no usable value.
Unreadable = dict[tuple[int, int], str]
Merge = tuple[tuple[int, int], tuple[int, int]]

NO_RESULT: Final = (
    "is a formula with no saved result: open the file in Excel or LibreOffice, let it "
    "calculate, save it, and import again"
)


def error_value(shown: str) -> str:
    """The reason for a cell holding an error value (the same words for every format)."""
    return f"holds the error value {shown}: correct the formula or the cell in the file"


def letters_to_index(letters: str) -> int:
    """``A`` -> 0, ``AA`` -> 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


# --- the fast scan ---------------------------------------------------------------------------

# One pass finds, after each " r", what needs a closer look: a usual r="..." whose value is
# far out or not letters-then-digits (the lookahead lets near values through: a column of one
# letter or two with the first up to J, a row of up to five digits), or an r attribute written
# any other way (r=' r = r\t=).
_R_ATTR = re.compile(rb' r(?:="(?!(?:[A-J]?[A-Z])?[1-9][0-9]{0,4}")|=(?!")|[ \t\r\n])')
_R_VALUE = re.compile(rb'="([A-Z]*)([0-9]*)"')
# An r attribute after a tab or line break (only looked for where such bytes are).
_R_AFTER_BREAK = re.compile(rb"[\t\r\n]r[ \t\r\n]*=")
# A cell without r first (placed by counting, as OOXML allows, or written unusually).
_CELL_WITHOUT_R = re.compile(rb'<c(?! r=")[ >/\t\r\n]')
# A cell element with a namespace prefix (<x:c ...>, as the Open XML SDK can write).
_PREFIXED_CELL = re.compile(rb":c[ >/\t\r\n]")
# The end of a formula element with text (</f>, </x:f>).
_FORMULA_END = re.compile(rb"f>")
# The first element's start: what comes before it is the prolog.
_ELEMENT = re.compile(rb"<[A-Za-z_]")
#: Where the usual scan bounds a part: columns before KA (286), rows below 100,000.
NEAR_COLUMNS: Final = 286
NEAR_ROWS: Final = 99_999


@dataclass
class PartScan:
    """What streaming through one XML part found (see the module docstring).

    :meth:`feed` takes the part's bytes in chunks of any size and looks at them in windows
    that end just after a ``>``, so that no tag is split between two looks (a search stops at
    a window's end: a tag cut in two would look unusual, or hide a far cell).
    """

    size: int = 0
    #: the part declares a DTD (``<!DOCTYPE``, ``<!ENTITY``): refused by the caller
    dtd: bool = False
    #: the part holds a worksheet's cells (the bytes ``sheetData``)
    sheet: bool = False
    #: something the fast scan cannot bound: parse the part (:func:`parse_xlsx_sheet`)
    unusual: bool = False
    #: a formula element with text (``</f>``, ``</x:f>``; a shared formula's ``<f .../>``
    #: always has such a master) or an error cell (``t="e"``): worth a closer look
    formulas_or_errors: bool = False
    max_row: int = -1  #: the highest 0-based row seen past :data:`NEAR_ROWS` (else -1)
    max_col: int = -1  #: the highest 0-based column seen past :data:`NEAR_COLUMNS` (else -1)
    _carry: bytes = b""
    _prolog: bool = True

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the part."""
        self.size += len(chunk)
        first = chunk.find(b">") + 1
        last = chunk.rfind(b">") + 1
        if first == 0:  # no tag ends in this chunk: keep it for the next look
            self._carry += chunk
            if len(self._carry) > 1 << 22:
                self.finish()
            return
        # The seam: what was carried over and this chunk's start, up to its first ">".
        self._look(self._carry + chunk[:first] if self._carry else chunk[:first], 0, None)
        if last > first:
            self._look(chunk, first, last)
        self._carry = chunk[last:]

    def finish(self) -> None:
        """The part has ended: look at what is left."""
        if self._carry:
            data, self._carry = self._carry, b""
            self._look(data, 0, None)

    def _look(self, data: bytes, start: int, end: int | None) -> None:
        """Look at ``data[start:end]`` (searched in place: no copy of a chunk is made)."""
        stop = len(data) if end is None else end
        if self._prolog:
            # A DTD can only come before the root element (XML 1.0, section 2.8).
            root = _ELEMENT.search(data, start, stop)
            prolog_end = stop if root is None else root.start()
            if data.find(b"<!DOCTYPE", start, prolog_end) >= 0:
                self.dtd = True
            if data.find(b"<!ENTITY", start, prolog_end) >= 0:
                self.dtd = True
            self._prolog = root is None
        if not self.sheet:
            # Cells are only read after <sheetData>: the sheet checks start there.
            at = data.find(b"sheetData", start, stop)
            if at < 0:
                return
            self.sheet = True
            start = at
        if not self.formulas_or_errors:
            self.formulas_or_errors = (
                _FORMULA_END.search(data, start, stop) is not None
                or data.find(b't="e"', start, stop) >= 0
            )
        if self.unusual:
            return
        for m in _R_ATTR.finditer(data, start, stop):
            value = _R_VALUE.match(data, m.start() + 2, stop)
            if value is None or not (value[1] or value[2]) or len(value[1]) > 3:
                self.unusual = True
                return
            letters, digits = value[1], value[2]
            if letters:
                self.max_col = max(self.max_col, letters_to_index(letters.decode()))
            if digits:
                self.max_row = max(self.max_row, int(digits[:9]) - 1)
        breaks = any(data.find(b, start, stop) >= 0 for b in (b"\t", b"\n", b"\r"))
        if (
            (breaks and _R_AFTER_BREAK.search(data, start, stop))
            or _CELL_WITHOUT_R.search(data, start, stop)
            or _PREFIXED_CELL.search(data, start, stop)
        ):
            self.unusual = True

    def bound(self) -> tuple[int, int]:
        """``(rows, columns)`` the grid can reach at most, when the part is not unusual."""
        rows = self.max_row + 1 if self.max_row >= 0 else NEAR_ROWS
        cols = self.max_col + 1 if self.max_col >= 0 else NEAR_COLUMNS
        return max(rows, NEAR_ROWS), max(cols, NEAR_COLUMNS)


# --- the exact parse of an OOXML sheet -----------------------------------------------------------


@dataclass
class SheetFacts:
    """A sheet's exact extent and its unreadable cells (and merges, for OpenDocument)."""

    rows: int = 0  #: the grid's height: the last row holding content + 1
    cols: int = 0  #: the grid's width
    unreadable: Unreadable = field(default_factory=dict)
    merged: list[Merge] = field(default_factory=list)
    #: OpenDocument text cells holding a tab (``<text:tab/>``), as written: python-calamine
    #: drops the tab (``Flat 1<tab>Block A`` comes back ``Flat 1Block A``), so the import
    #: puts these back (row, column: 0-based, as the reader's grid).
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    #: cells with content whose style strikes their text through (row, column: 0-based): a
    #: row deleted by a line through it (:mod:`.struck`)
    struck: set[tuple[int, int]] = field(default_factory=set)

    def grow(self, row: int, col: int) -> None:
        if row >= self.rows:
            self.rows = row + 1
        if col >= self.cols:
            self.cols = col + 1

    def note(self, where: tuple[int, int], reason: str) -> None:
        """Record an unreadable cell (at most :data:`MAX_UNREADABLE`: past that the sheet is
        not a log to fix cell by cell)."""
        if len(self.unreadable) >= MAX_UNREADABLE:
            raise XmlProblem(
                f"more than {MAX_UNREADABLE:,} cells without a usable value (formulas never "
                "calculated, error values)"
            )
        self.unreadable[where] = reason


#: The most unreadable cells recorded for one sheet.
MAX_UNREADABLE: Final = 100_000


class XmlProblem(Exception):
    """The XML cannot be parsed (the message says where), or declares a DTD."""


_CELL_REF = re.compile(r"([A-Z]{0,3})([0-9]{0,9})")
_COLUMNS: dict[str, int] = {}


def _position(ref: str) -> tuple[int | None, int | None]:
    """``"AB12"`` -> ``(11, 27)``; a part missing is ``None``. Raises :class:`XmlProblem` for
    anything the reader refuses (it reads letters then digits only)."""
    m = _CELL_REF.fullmatch(ref)
    if m is None or not ref:
        raise XmlProblem(f"a cell reference {ref[:20]!r} that is not a cell address")
    letters, digits = m.groups()
    col = None
    if letters:
        col = _COLUMNS.get(letters)
        if col is None:
            col = _COLUMNS[letters] = letters_to_index(letters)
    return (int(digits) - 1 if digits else None), col


def parse_xlsx_sheet(chunks: Iterable[bytes], struck: frozenset[str] = frozenset()) -> SheetFacts:
    """The exact extent and unreadable cells of one OOXML sheet part, streamed.

    Cells are placed as calamine's ``XlsxCellReader`` places them: rows and cells are found by
    local name inside the first ``sheetData``; a cell's ``r`` gives its place (and sets the
    column count), else the row's ``r`` and the count; a self-closing ``<c/>`` takes a place
    like any cell (calamine 0.37 reads empty elements as a start and an end); a cell counts
    towards the extent when it has any child (a value, a formula, an inline string). Raises
    :class:`XmlProblem` when the part is not well-formed XML, declares a DTD, or has a cell
    reference the reader refuses. A cell with content whose style (``s``, none: ``"0"``) is in
    ``struck`` (:func:`.struck.xlsx_struck_styles`) is recorded in ``struck``.
    """
    parser = _expat()
    facts = SheetFacts()
    local_of: dict[str, str] = {}
    values: list[str] = []
    # The state lives in one list (closures read it faster than attributes): row and column
    # counts, the cell's row and column, inside a cell, its type, has content, has a formula,
    # the text of its <v> (None: no <v>), inside sheetData (0 before, 1 inside, 2 after),
    # its style strikes through.
    st: list[Any] = [0, 0, 0, 0, False, "n", False, False, None, 0, False]

    def local(name: str) -> str:
        found = local_of.get(name)
        if found is None:
            found = local_of[name] = name.rsplit(":", 1)[-1]
        return found

    def text(data: str) -> None:
        values.append(data)

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local_of.get(name) or local(name)
        if st[9] != 1:
            if tag == "sheetData" and st[9] == 0:
                st[9] = 1
            return
        if st[4]:  # inside a cell: its value, formula or inline string
            st[6] = True
            if tag == "v":
                values.clear()
                parser.CharacterDataHandler = text
            elif tag == "f":
                st[7] = True
            return
        if tag == "c":
            ref = attrs.get("r")
            if ref is None:
                st[2], st[3] = st[0], st[1]
            else:
                row, col = _position(ref)
                if row is None or col is None:
                    raise XmlProblem(f"a cell reference {ref[:20]!r} without row or column")
                st[2], st[3], st[1] = row, col, col
            st[4], st[5], st[6], st[7], st[8] = True, attrs.get("t", "n"), False, False, None
            st[10] = bool(struck) and attrs.get("s", "0") in struck
        elif tag == "row":
            ref = attrs.get("r")
            if ref is not None:
                row, col = _position(ref)
                if row is None or col is not None:
                    raise XmlProblem(f"a row number {ref[:20]!r} that is not a number")
                st[0] = row
            st[1] = 0

    def end(name: str) -> None:
        if st[9] != 1:
            return
        tag = local_of.get(name) or local(name)
        if st[4]:
            if tag == "c":
                st[4] = False
                st[1] += 1
                if st[6]:
                    facts.grow(st[2], st[3])
                    if st[10]:
                        facts.struck.add((st[2], st[3]))
                    if st[7] or st[5] == "e":
                        reason = cell_problem(st[5], st[7], st[8])
                        if reason is not None:
                            facts.note((st[2], st[3]), reason)
            elif tag == "v":
                parser.CharacterDataHandler = None
                st[8] = "".join(values)
        elif tag == "row":
            st[0] += 1
            st[1] = 0
        elif tag == "sheetData":
            st[9] = 2

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _run(parser, chunks)
    return facts


def cell_problem(kind: str, formula: bool, value: str | None) -> str | None:
    """Why an OOXML cell has no usable value, or ``None``: ``kind`` is its ``t`` attribute,
    ``value`` the text of its ``<v>`` (``None``: no ``<v>``). An error value (``t="e"``) is
    refused; a formula whose saved result is the empty string (``t="str"`` and an empty
    ``<v>``: Excel writes ``<v/>``, LibreOffice ``<v></v>``) is an empty cell; any other
    formula without a value was never calculated (scripts write ``<v/>`` with no type)."""
    if kind == "e":
        return error_value(value.strip() if value and value.strip() else "an error")
    if formula and not value and not (kind == "str" and value is not None):
        return NO_RESULT
    return None


def _no_dtd(*_args: object) -> None:
    raise XmlProblem("a document type declaration, which Excel never writes")


def _expat(namespace_separator: str | None = None) -> Any:
    parser = xml.parsers.expat.ParserCreate(namespace_separator=namespace_separator)
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    return parser


def _run(parser: Any, chunks: Iterable[bytes]) -> None:
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as exc:
        raise XmlProblem(
            f"not well-formed XML (line {exc.lineno}, column {exc.offset}: "
            f"{xml.parsers.expat.ErrorString(exc.code)})"
        ) from None


# --- the quick look for unreadable cells in a usual sheet ---------------------------------------

_CELL_START = b'<c r="'
_MARK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[ \t\r\n/>]|>#")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[ \t\r\n/>]")
_ATTR = re.compile(rb'([A-Za-z_:]+)="([^"]*)"')
_V_ELEMENT = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?v(?:[ \t\r\n][^>]*)?(?:/>|>([^<]*)</(?:[A-Za-z_][\w.-]*:)?v>)"
)


def unreadable_cells(sheet_xml: bytes) -> Unreadable:
    """Unreadable cells of a usual sheet (every cell starts ``<c r="``, see :class:`PartScan`),
    looking only at the cells holding a formula or a value starting with ``#``; the rules are
    :func:`cell_problem`'s."""
    facts = SheetFacts()
    seen: set[int] = set()
    for m in _MARK.finditer(sheet_xml):
        start = sheet_xml.rfind(_CELL_START, 0, m.start())
        if start < 0 or start in seen:
            continue
        seen.add(start)
        tag_end = sheet_xml.find(b">", start)
        end = sheet_xml.find(b"</c>", start)
        if tag_end < 0 or end < m.start() or sheet_xml[tag_end - 1] == ord("/"):
            continue  # the mark is not inside this cell (a <c .../> before it)
        attrs = dict(_ATTR.findall(sheet_xml[start:tag_end]))
        try:
            row, col = _position(attrs.get(b"r", b"").decode("ascii"))
        except (XmlProblem, UnicodeDecodeError):
            continue
        if row is None or col is None:
            continue
        body = sheet_xml[tag_end + 1 : end]
        v = _V_ELEMENT.search(body)
        value = None if v is None else (v[1] or b"").decode("utf-8", "replace")
        kind = attrs.get(b"t", b"n").decode("ascii", "replace")
        reason = cell_problem(kind, _FORMULA.search(body) is not None, value)
        if reason is not None:
            facts.note((row, col), reason)
    return facts.unreadable


__all__ = [
    "NO_RESULT",
    "PartScan",
    "SheetFacts",
    "XmlProblem",
    "error_value",
    "parse_xlsx_sheet",
    "unreadable_cells",
]
