"""What an OpenDocument spreadsheet's ``content.xml`` holds before the reader builds its grid.

:func:`parse_ods_content` streams it once (always: its repeated rows and columns place cells
far away with few bytes, the reader reports no merged cells for .ods, and the date system,
``table:null-date``, is there), giving each table's extent, unreadable cells, merges and the
cells the reader would change (tabs) or whose text is struck through. The OOXML side is
:mod:`.sheet_xml`, whose :class:`~.sheet_xml.SheetFacts` both fill.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from complaints_cli.files.sheet_xml import (
    MAX_UNREADABLE,
    NO_RESULT,
    SheetFacts,
    XmlProblem,
    _expat,
    _run,
    error_value,
)

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_SEP = "\x01"


def _count(attrs: dict[str, str], name: str, ns: str = _TABLE) -> int:
    text = attrs.get(f"{ns}{_SEP}{name}", "1")
    try:
        n = int(text)
    except ValueError:
        raise XmlProblem(f"table:{name}={text[:20]!r}, which is not a count") from None
    if n < 1:
        raise XmlProblem(f"table:{name}={text[:20]!r}, which is not a count")
    return n


@dataclass
class OdsFacts:
    """What ``content.xml`` holds: each table's facts, by name, and the date system."""

    tables: dict[str, SheetFacts] = field(default_factory=dict)
    #: day 0 of the workbook's serial numbers (``table:null-date``)
    null_date: date = date(1899, 12, 30)


class _OdsContent:
    """Expat handlers walking tables, rows and cells with their repeats (namespaces on)."""

    def __init__(self, *, empty_results: bool) -> None:
        self.out = OdsFacts()
        self.empty_results = empty_results
        self.facts: SheetFacts | None = None
        self.row = 0
        self.row_repeat = 1
        self.col = 0
        self.cell: tuple[int, int, int, dict[str, str]] | None = None
        self.cell_text: list[str] | None = None
        self.has_content = False
        # The cell's text as written (paragraphs, spaces, tabs; not its comments), kept only
        # when it holds a tab: see SheetFacts.texts.
        self.exact: list[str] = []
        self.paragraphs = 0
        self.tab = False
        self.in_note = 0
        # The automatic cell styles whose text is struck through (they come before the body).
        self.style = ""
        self.struck_styles: set[str] = set()

    def _style(self, local: str, attrs: dict[str, str]) -> None:
        if local in ("style", "default-style"):
            self.style = attrs.get(f"{_STYLE}{_SEP}name", "")
        elif local == "text-properties" and self.style:
            line = attrs.get(f"{_STYLE}{_SEP}text-line-through-style", "none")
            kind = attrs.get(f"{_STYLE}{_SEP}text-line-through-type", "single")
            if line != "none" and kind != "none":
                self.struck_styles.add(self.style)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(_SEP)
        if ns == _STYLE and self.cell is None:
            self._style(local, attrs)
            return
        if self.cell is not None:
            self.has_content = True
            if ns == _TABLE and local == "table":
                raise XmlProblem("a table inside a cell, which the import does not read")
            if ns == _OFFICE and local == "annotation":
                self.in_note += 1
            elif ns == _TEXT and not self.in_note:
                if local == "p":
                    self.paragraphs += 1
                    if self.paragraphs > 1:
                        self.exact.append("\n")
                elif local == "tab":
                    self.exact.append("\t")
                    self.tab = True
                elif local == "s":
                    self.exact.append(" " * _count(attrs, "c", _TEXT))
                elif local == "line-break":
                    self.exact.append("\n")
            return
        if ns != _TABLE:
            return
        if local == "null-date":
            value = attrs.get(f"{_TABLE}{_SEP}date-value", "")
            try:
                self.out.null_date = date.fromisoformat(value[:10])
            except ValueError:
                raise XmlProblem(f"a null date {value[:20]!r}, which is not a date") from None
        elif local == "table":
            if self.facts is not None:
                raise XmlProblem("a table inside a table, which the import does not read")
            name_attr = attrs.get(f"{_TABLE}{_SEP}name", "")
            self.facts = self.out.tables.setdefault(name_attr, SheetFacts())
            self.row = 0
        elif local == "table-row" and self.facts is not None:
            self.row_repeat = _count(attrs, "number-rows-repeated")
            self.col = 0
        elif local in ("table-cell", "covered-table-cell") and self.facts is not None:
            repeat = _count(attrs, "number-columns-repeated")
            self.cell = (self.row, self.col, repeat, attrs)
            self.has_content = any(
                key.endswith((f"{_SEP}value-type", f"{_SEP}formula")) for key in attrs
            )
            self.cell_text = []
            rows_spanned = _count(attrs, "number-rows-spanned")
            cols_spanned = _count(attrs, "number-columns-spanned")
            if rows_spanned > 1 or cols_spanned > 1:
                last = (self.row + rows_spanned - 1, self.col + cols_spanned - 1)
                self.facts.merged.append(((self.row, self.col), last))

    def end(self, name: str) -> None:
        ns, _, local = name.rpartition(_SEP)
        if ns == _OFFICE and local == "annotation" and self.in_note:
            self.in_note -= 1
        if ns != _TABLE:
            return
        if local in ("table-cell", "covered-table-cell") and self.cell is not None:
            self._finish_cell(*self.cell)
            self.cell = None
        elif self.cell is not None:
            return
        elif local == "table-row" and self.facts is not None:
            self.row += self.row_repeat
            self.row_repeat = 1
        elif local == "table":
            self.facts = None

    def text(self, data: str) -> None:
        if self.cell_text is not None and self.cell is not None:
            self.cell_text.append(data)
            if not self.in_note:
                self.exact.append(data)
            if data.strip():
                self.has_content = True

    def _finish_cell(self, row: int, col: int, repeat: int, attrs: dict[str, str]) -> None:
        self.col = col + repeat
        facts = self.facts
        exact, tab = "".join(self.exact), self.tab
        self.exact, self.paragraphs, self.tab, self.in_note = [], 0, False, 0
        if facts is None or not self.has_content:
            return
        facts.grow(row + self.row_repeat - 1, col + repeat - 1)
        if self.struck_styles and attrs.get(f"{_TABLE}{_SEP}style-name") in self.struck_styles:
            for r in range(row, row + min(self.row_repeat, MAX_UNREADABLE)):
                for c in range(col, col + min(repeat, MAX_UNREADABLE)):
                    if len(facts.struck) < MAX_UNREADABLE:
                        facts.struck.add((r, c))
        if tab and attrs.get(f"{_OFFICE}{_SEP}value-type", "string") == "string":
            for r in range(row, row + min(self.row_repeat, MAX_UNREADABLE)):
                for c in range(col, col + min(repeat, MAX_UNREADABLE)):
                    if len(facts.texts) < MAX_UNREADABLE:
                        facts.texts[(r, c)] = exact
        formula = f"{_TABLE}{_SEP}formula" in attrs
        kind = attrs.get(f"{_OFFICE}{_SEP}value-type")
        error = attrs.get(f"{_CALCEXT}{_SEP}value-type") == "error"
        # LibreOffice saves a formula whose result is "" with no value at all, as a writer that
        # never calculated it does: which one wrote the file (meta.xml) tells them apart.
        if not (error or (formula and kind is None and not self.empty_results)):
            return
        reason = error_value("".join(self.cell_text or ()).strip() or "an error")
        if not error:
            reason = NO_RESULT
        for r in range(row, row + min(self.row_repeat, MAX_UNREADABLE)):
            for c in range(col, col + min(repeat, MAX_UNREADABLE)):
                facts.note((r, c), reason)


def parse_ods_content(chunks: Iterable[bytes], *, empty_results: bool = False) -> OdsFacts:
    """Each table's extent, unreadable cells and merges, and the null date, of an OpenDocument
    spreadsheet's ``content.xml``, streamed.

    An error cell (``calcext:value-type="error"``) is unreadable; so is a formula with no
    value, unless ``empty_results``: the file was written by LibreOffice (or OpenOffice),
    which saves a formula whose result is the empty string that way and never leaves a
    formula uncalculated. Raises :class:`XmlProblem` for XML the import does not read (not
    well-formed, a DTD, a table inside a cell, a bad repeat count)."""
    parser = _expat(_SEP)
    content = _OdsContent(empty_results=empty_results)
    parser.StartElementHandler = content.start
    parser.EndElementHandler = content.end
    parser.CharacterDataHandler = content.text
    _run(parser, chunks)
    return content.out


__all__ = ["OdsFacts", "parse_ods_content"]
